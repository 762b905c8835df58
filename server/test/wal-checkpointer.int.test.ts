import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startWalCheckpointer, type WalCheckpointer } from '../db/wal-checkpointer'

/**
 * The background checkpointer on real SQLite files: it copies the WAL into the database file with
 * no checkpoint on the writing connection, asks the owner to catch up once the WAL passes its
 * threshold, and reports a lasting failure once.
 */

let dir: string
let file: string
let writer: Database.Database
let checkpointer: WalCheckpointer | null

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'heard-wal-'))
  file = path.join(dir, 'test.sqlite')
  writer = new Database(file)
  writer.pragma('journal_mode = WAL')
  writer.pragma('synchronous = FULL')
  writer.pragma('wal_autocheckpoint = 0')
  writer.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)')
  checkpointer = null
})

afterEach(async () => {
  await checkpointer?.stop()
  writer.close()
  rmSync(dir, { recursive: true, force: true })
})

/** `pages` 4 KiB rows, one transaction: the WAL grows by at least that many frames. */
function write(pages: number): void {
  const insert = writer.prepare('INSERT INTO t (body) VALUES (?)')
  writer.transaction(() => {
    for (let i = 0; i < pages; i++) insert.run(Buffer.alloc(4000, i))
  })()
}

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

const noop = () => {}

describe('WAL checkpointer', () => {
  it('copies committed pages into the database file on its own thread', async () => {
    write(200)
    const before = statSync(file).size
    // No checkpoint has run: the rows are only in the WAL.
    expect(before).toBeLessThan(200 * 4096)
    checkpointer = startWalCheckpointer(file, { behind: noop, failed: noop, everyMs: 10 })
    await until(() => statSync(file).size >= 200 * 4000, 'the database file holds the rows')
    // What was checkpointed reads back the same through the writing connection.
    expect(writer.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 200 })
  })

  it('asks its owner to catch up once the WAL passes the threshold, and not before', async () => {
    let behind = 0
    checkpointer = startWalCheckpointer(file, {
      behind: () => behind++,
      failed: noop,
      everyMs: 10,
      catchUpFrames: 100,
    })
    write(20)
    // Several ticks with 20-odd frames in the WAL: below the threshold.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(behind).toBe(0)
    write(300)
    await until(() => behind > 0, 'behind is called')
    // Caught up on the writing connection, between transactions, as the store does (and, as the
    // store does on the next call, again if the worker's own checkpoint held the lock): the next
    // write starts the WAL again from its first frame, and the calls stop.
    await until(() => {
      const [row] = writer.pragma('wal_checkpoint(PASSIVE)') as {
        busy: number
        log: number
        checkpointed: number
      }[]
      return row?.busy === 0 && row.log === row.checkpointed
    }, 'the writer has caught up')
    write(1)
    await new Promise((resolve) => setTimeout(resolve, 50))
    const settled = behind
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(behind).toBe(settled)
  })

  it('reports a lasting failure once, not on every tick', async () => {
    const broken = path.join(dir, 'not-a-database.sqlite')
    writeFileSync(broken, Buffer.alloc(8192, 7))
    const failures: { name: string; code: string }[] = []
    checkpointer = startWalCheckpointer(broken, {
      behind: noop,
      failed: (error) => failures.push(error),
      everyMs: 5,
    })
    await until(() => failures.length > 0, 'a failure is reported')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(failures).toEqual([{ name: 'SqliteError', code: 'SQLITE_NOTADB' }])
  })

  it('stops in a process with nothing else to wait for: the relay shuts down only after it', () => {
    // The worker must not keep a process alive, but stopping it must: a relay stopped with SIGTERM
    // closes its database after this, and exits once that is done.
    const script = path.join(dir, 'stop.mts')
    const module = pathToFileURL(path.resolve(import.meta.dirname, '../db/wal-checkpointer.ts')).href
    writeFileSync(
      script,
      `import { startWalCheckpointer } from ${JSON.stringify(module)}
const checkpointer = startWalCheckpointer(${JSON.stringify(file)}, { behind() {}, failed() {} })
await checkpointer.stop()
console.log('stopped')
`,
    )
    const output = execFileSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(output.trim()).toBe('stopped')
  })

  it('stops: its connection closes and the writer can still write and close', async () => {
    checkpointer = startWalCheckpointer(file, { behind: noop, failed: noop, everyMs: 5 })
    write(10)
    await checkpointer.stop()
    checkpointer = null
    write(10)
    expect(writer.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 20 })
  })
})
