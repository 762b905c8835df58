import { mkdtempSync, rmSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { serve } from '@hono/node-server'
import Database from 'better-sqlite3'
import { Hono } from 'hono'
import { createApp } from '../server/app'
import { openSqliteStore } from '../server/db/sqlite-store'
import type { Store } from '../server/db/store'
import { silentLogger } from '../server/log'

/**
 * One contender of bench/relay.bench.ts, run as a child process so that the server and the load
 * generator never share an event loop: `fork('bench/servers.ts', [kind])`. The listening port is
 * sent to the parent over IPC; the message 'usage' is answered with process.cpuUsage() and the main
 * thread's event loop utilization; SIGTERM (or losing the parent) closes everything and deletes what
 * the server wrote.
 *
 *   hono        bare Hono hello world: the HTTP stack's ceiling
 *   raw         POST bodies appended to a file, one writev + fdatasync per batch (group commit, no
 *               database): the disk's durable-append ceiling for these bytes at this concurrency
 *   naive       the body parsed and INSERTed by one SQLite transaction per request (WAL, FULL)
 *   relay       the real relay: createApp + openSqliteStore on a fresh data directory
 *   relay-nop   diagnostic: the real relay app whose report insert only invents a receipt, never
 *               touching the disk: what HTTP + validation + hashing alone cost
 */

export type ServerKind = 'hono' | 'raw' | 'naive' | 'relay' | 'relay-nop'

type FetchApp = { fetch: (request: Request) => Response | Promise<Response> }

const kind = process.argv[2] as ServerKind
const workDir = mkdtempSync(path.join(tmpdir(), `heard-bench-${kind}-`))
const cleanups: (() => unknown)[] = []

async function helloApp(): Promise<FetchApp> {
  return new Hono().get('/', (c) => c.text('Hello Hono!'))
}

/** Group commit against a plain file: the least a durable append of these bytes can cost. */
async function rawAppendApp(): Promise<FetchApp> {
  const file = await open(path.join(workDir, 'append.log'), 'a')
  type Pending = { bytes: Uint8Array; done: () => void; fail: (e: unknown) => void }
  let queue: Pending[] = []
  let flushing: Promise<void> | null = null
  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue
      queue = []
      try {
        await file.writev(batch.map((p) => p.bytes))
        await file.datasync()
        for (const p of batch) p.done()
      } catch (error) {
        for (const p of batch) p.fail(error)
      }
    }
    flushing = null
  }
  const append = (bytes: Uint8Array) =>
    new Promise<void>((done, fail) => {
      queue.push({ bytes, done, fail })
      flushing ??= flush()
    })
  cleanups.push(async () => {
    await flushing
    await file.close()
  })
  return new Hono().post('/append', async (c) => {
    await append(new Uint8Array(await c.req.arrayBuffer()))
    return c.json({ ok: true }, 201)
  })
}

/** The obvious handler: parse, INSERT in a transaction of its own (one WAL fsync per request), answer. */
async function naiveApp(): Promise<FetchApp> {
  const db = new Database(path.join(workDir, 'naive.sqlite'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec('CREATE TABLE reports (id TEXT PRIMARY KEY, community TEXT NOT NULL, envelope TEXT NOT NULL)')
  cleanups.push(() => db.close())
  const insert = db.prepare('INSERT INTO reports (id, community, envelope) VALUES (?, ?, ?)')
  return new Hono().post('/reports', async (c) => {
    const text = await c.req.text()
    const envelope = JSON.parse(text) as { id: string; community: string }
    insert.run(envelope.id, envelope.community, text)
    return c.json({ id: envelope.id }, 201)
  })
}

async function relayApp(): Promise<FetchApp> {
  const store = openSqliteStore(path.join(workDir, 'data'))
  cleanups.push(() => store.close())
  // The benchmark creates its community with a plain PUT: no setup link (a test convenience).
  return createApp({ store, log: silentLogger, staticDir: null, communitySetup: 'open' })
}

async function relayNopApp(): Promise<FetchApp> {
  const real = openSqliteStore(path.join(workDir, 'data'))
  cleanups.push(() => real.close())
  let seq = 0
  const store: Store = {
    ...real,
    async insertReports(batch) {
      return batch.map((r) => ({
        kind: 'stored' as const,
        receipt: { community: r.community, id: r.id, hash: r.hash, seq: ++seq, receivedAt: r.receivedAt },
      }))
    },
  }
  return createApp({ store, log: silentLogger, staticDir: null, communitySetup: 'open' })
}

const apps: Record<ServerKind, () => Promise<FetchApp>> = {
  hono: helloApp,
  raw: rawAppendApp,
  naive: naiveApp,
  relay: relayApp,
  'relay-nop': relayNopApp,
}

async function main(): Promise<void> {
  const make = apps[kind]
  if (!make || !process.send) throw new Error('usage: fork bench/servers.ts <kind> (see the comment on top)')
  const app = await make()
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
    process.send?.({ port: info.port })
  })
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    server.close()
    void (async () => {
      for (const cleanup of cleanups.reverse()) await cleanup()
      rmSync(workDir, { recursive: true, force: true })
      process.exit(0)
    })()
  }
  process.on('message', (message) => {
    if (message === 'usage')
      process.send?.({ cpu: process.cpuUsage(), loop: performance.eventLoopUtilization() })
  })
  process.on('SIGTERM', stop)
  process.on('disconnect', stop)
}

main().catch((error: unknown) => {
  rmSync(workDir, { recursive: true, force: true })
  console.error(error)
  process.exit(1)
})
