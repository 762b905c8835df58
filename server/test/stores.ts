import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import postgres from 'postgres'
import { inject } from 'vitest'
import { sha256, toHex } from '../../shared/crypto'
import { openPgStore } from '../db/pg-store'
import { openSqliteStore, SQLITE_FILE } from '../db/sqlite-store'
import type { Store } from '../db/store'

/**
 * The two real storage back ends, each with a way to read every table back. Tests use the
 * snapshot to prove that a refused request changed nothing.
 */
export interface TestStore {
  readonly store: Store
  /** Every row of every table, as sorted JSON text. */
  snapshot(): Promise<string>
  /** Where the data lives: a SQLite data directory, or a PostgreSQL URL. */
  readonly location: { dataDir?: string; databaseUrl?: string }
  close(): Promise<void>
}

export const TABLES = [
  'communities',
  'manifests',
  'reports',
  'mailbox_messages',
  'sessions',
  'relay_secrets',
  'setup_tokens',
  'case_events',
  'canned_responses',
  'log_leaves',
  'directory_versions',
  'directory_entries',
  'attachment_chunks',
] as const

/** Columns each table's rows are ordered by, so two snapshots of the same rows are the same text. */
const orderOf = (table: (typeof TABLES)[number]): string =>
  // A directory key has a row per version that put it: (community, key, added_in); a file has a
  // row per chunk: (community, file, idx).
  table === 'directory_entries' ? '1, 2, 5' : table === 'attachment_chunks' ? '1, 2, 3' : '1, 2'

/** Blobs as hex; a large one (an attachment chunk) as the hex of its SHA-256, which changes with any byte. */
const blobText = (bytes: Uint8Array): string =>
  bytes.length > 4096 ? `sha256:${toHex(sha256(bytes))}` : Buffer.from(bytes).toString('hex')

/**
 * Blobs are turned to text before JSON.stringify sees them: a Buffer's own toJSON runs before any
 * replacer, and would write every byte as a number.
 */
const serialize = (tables: Record<string, unknown[]>) =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries(tables).map(([name, rows]) => [
        name,
        rows.map((row) =>
          Object.fromEntries(
            Object.entries(row as Record<string, unknown>).map(([k, v]) => [
              k,
              typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? blobText(v) : v,
            ]),
          ),
        ),
      ]),
    ),
  )

export async function sqliteTestStore(): Promise<TestStore> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'heard-sqlite-'))
  const store = openSqliteStore(dataDir)
  return {
    store,
    location: { dataDir },
    async snapshot() {
      const db = new Database(path.join(dataDir, SQLITE_FILE), { readonly: true })
      try {
        const tables: Record<string, unknown[]> = {}
        for (const t of TABLES) tables[t] = db.prepare(`select * from ${t} order by ${orderOf(t)}`).all()
        return serialize(tables)
      } finally {
        db.close()
      }
    },
    close: () => store.close(),
  }
}

/** Fails loudly, with instructions, when the suite could not start PostgreSQL: never a silent skip. */
export function requirePostgres(): string {
  const error = inject('pgError')
  if (error) throw new Error(error)
  return inject('pgAdminUrl')
}

/** A fresh database on the suite's PostgreSQL server, so each test file starts empty. */
export async function freshPgDatabase(): Promise<string> {
  const adminUrl = requirePostgres()
  const name = `heard_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
  try {
    await admin.unsafe(`create database ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.toString()
}

export async function pgTestStore(): Promise<TestStore> {
  const databaseUrl = await freshPgDatabase()
  const store = await openPgStore(databaseUrl)
  const reader = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  return {
    store,
    location: { databaseUrl },
    async snapshot() {
      const tables: Record<string, unknown[]> = {}
      for (const t of TABLES)
        tables[t] = [...(await reader.unsafe(`select * from ${t} order by ${orderOf(t)}`))]
      return serialize(tables)
    },
    async close() {
      await reader.end()
      await store.close()
    },
  }
}

export const BACKENDS = [
  { name: 'SQLite', open: sqliteTestStore },
  { name: 'PostgreSQL', open: pgTestStore },
] as const
