import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import type { InsertOutcome, NewReport } from './store'

/**
 * SQLite report inserts on a thread of their own. A commit with synchronous=FULL waits for the
 * disk, and better-sqlite3 waits synchronously: on the main thread, no request could be read or
 * checked meanwhile, and WAL checkpoints stalled the event loop for tens of milliseconds. Here the
 * writer thread owns its own connection; the main thread only awaits the outcome, which arrives
 * after the commit (and so the fsync) that covers the batch — acknowledgements stay durable.
 *
 * The thread's source is plain JavaScript evaluated as a script, so it loads the same way under
 * tsx, vitest and plain Node, whatever compiles the rest of the relay.
 */
export interface ReportWriter {
  insert(batch: readonly NewReport[]): Promise<InsertOutcome[]>
  close(): Promise<void>
}

const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.file)
db.pragma('journal_mode = WAL')
db.pragma('synchronous = FULL')
db.pragma('busy_timeout = 5000')
db.pragma('wal_autocheckpoint = 4000')
const lastSeqOf = db.prepare('select last_seq as lastSeq from communities where id = ?')
const existing = db.prepare('select hash, seq, received_at as receivedAt from reports where community = ? and id = ?')
const insertReport = db.prepare(
  'insert into reports (community, seq, id, hash, head, ct, received_at) values (?, ?, ?, ?, ?, ?, ?)',
)
const setLastSeq = db.prepare('update communities set last_seq = ? where id = ?')
const insertBatch = db.transaction((batch) => {
  const lastSeqs = new Map()
  const outcomes = batch.map((report) => {
    if (!lastSeqs.has(report.community)) lastSeqs.set(report.community, lastSeqOf.get(report.community)?.lastSeq ?? null)
    const lastSeq = lastSeqs.get(report.community)
    if (lastSeq === null || lastSeq === undefined) return { kind: 'unknown_community' }
    const prior = existing.get(report.community, report.id)
    if (prior) {
      if (prior.hash !== report.hash) return { kind: 'conflict' }
      return { kind: 'duplicate', receipt: { community: report.community, id: report.id, hash: prior.hash, seq: prior.seq, receivedAt: prior.receivedAt } }
    }
    const seq = lastSeq + 1
    const ct = Buffer.from(report.ct.buffer, report.ct.byteOffset, report.ct.byteLength)
    insertReport.run(report.community, seq, report.id, report.hash, report.head, ct, report.receivedAt)
    lastSeqs.set(report.community, seq)
    return { kind: 'stored', receipt: { community: report.community, id: report.id, hash: report.hash, seq, receivedAt: report.receivedAt } }
  })
  for (const [community, lastSeq] of lastSeqs) if (lastSeq !== null) setLastSeq.run(lastSeq, community)
  return outcomes
})
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close()
    parentPort.postMessage('closed')
    return
  }
  try {
    parentPort.postMessage({ id: message.id, outcomes: insertBatch.immediate(message.batch) })
  } catch (error) {
    // Only the name and code cross back: an SQLite message could quote a value.
    parentPort.postMessage({ id: message.id, error: { name: String(error && error.name), code: String(error && error.code) } })
  }
})
`

/** A storage failure from the writer thread, with SQLite's code (e.g. SQLITE_FULL) for the HTTP mapping. */
export class WriterError extends Error {
  override readonly name = 'WriterError'
  constructor(readonly code: string) {
    super(`report writer failed: ${code}`)
  }
}

type Reply = { id: number; outcomes?: InsertOutcome[]; error?: { name: string; code: string } }

export function startReportWriter(file: string): ReportWriter {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(WRITER_SOURCE, { eval: true, workerData: { file, driver } })
  const pending = new Map<number, { resolve: (o: InsertOutcome[]) => void; reject: (e: unknown) => void }>()
  let nextId = 0
  let failure: unknown = null
  const failAll = (error: unknown) => {
    failure = error
    for (const p of pending.values()) p.reject(error)
    pending.clear()
  }
  worker.on('message', (reply: Reply | 'closed') => {
    if (reply === 'closed') return
    const waiting = pending.get(reply.id)
    pending.delete(reply.id)
    if (!waiting) return
    if (reply.outcomes) waiting.resolve(reply.outcomes)
    else waiting.reject(new WriterError(reply.error?.code ?? 'unknown'))
  })
  worker.on('error', failAll)
  worker.on('exit', () => failAll(new WriterError('WRITER_EXITED')))
  return {
    insert(batch) {
      if (failure) return Promise.reject(failure)
      const id = nextId++
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        worker.postMessage({ id, batch })
      })
    },
    async close() {
      const closed = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
      worker.postMessage('close')
      worker.once('message', () => void worker.terminate())
      await closed
    },
  }
}
