import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * Copies committed pages from the WAL into the database file on a thread of its own, with its own
 * connection, so the thread that answers requests does not stall in checkpoints. SQLite's automatic
 * checkpoint runs inside the commit that crosses its threshold: on the relay that was a pause of
 * 5–30 ms for every request in flight, once every thousand reports or so (docs/benchmarks.md).
 *
 * A PASSIVE checkpoint never blocks the writer, and the WAL starts again from its beginning at the
 * first write after a checkpoint has caught up with all of it. In a pause of traffic that happens
 * on its own. Under a steady stream of writes the background checkpoint stays a few frames behind,
 * and the WAL would keep growing. So when the WAL holds more than `catchUpFrames`, `behind` is
 * called: the owner runs one PASSIVE checkpoint of its own, between two of its transactions. There
 * is no writer to race then, so it catches up fully, and it has only the frames written since the
 * last background checkpoint to copy. If this thread's own checkpoint holds the lock at that moment,
 * the owner's does nothing, and the next tick calls `behind` again.
 */
export interface WalCheckpointer {
  stop(): Promise<void>
}

export interface WalCheckpointerOptions {
  /** The WAL has grown past catchUpFrames; checkpoint on the writing connection when it is idle. */
  readonly behind: () => void
  /** A background checkpoint failed. Nothing is lost (the pages stay in the WAL); it is retried. */
  readonly failed: (error: { name: string; code: string }) => void
  readonly everyMs?: number
  readonly catchUpFrames?: number
}

// Plain JavaScript, run as an eval'd worker: it needs nothing of this repository, so it starts the
// same way under tsx, Vitest and plain Node. Opening is part of every tick until it succeeds, so
// nothing (a file not yet readable, say) stops the thread for good. A failure is reported once
// until the next success: a lasting one (a full disk) is one log line, not ten a second.
const LOOP = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
let db = null
let failing = false
function connect() {
  const next = new Database(workerData.file)
  try {
    next.pragma('synchronous = FULL')
    next.pragma('busy_timeout = 0')
  } catch (error) {
    next.close()
    throw error
  }
  return next
}
const timer = setInterval(() => {
  try {
    db = db || connect()
    const [row] = db.pragma('wal_checkpoint(PASSIVE)')
    failing = false
    if (row && row.log > workerData.catchUpFrames) parentPort.postMessage({ behind: true })
  } catch (error) {
    if (!failing) parentPort.postMessage({ failed: { name: String(error && error.name), code: String(error && error.code) } })
    failing = true
  }
}, workerData.everyMs)
parentPort.on('message', () => {
  clearInterval(timer)
  if (db) db.close()
  parentPort.close()
})
`

export function startWalCheckpointer(file: string, options: WalCheckpointerOptions): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(LOOP, {
    eval: true,
    workerData: {
      file,
      driver,
      everyMs: options.everyMs ?? 100,
      catchUpFrames: options.catchUpFrames ?? 4000,
    },
  })
  // It only ever tidies up; it must not keep a process alive that is otherwise done.
  worker.unref()
  worker.on('message', (message: { behind?: true; failed?: { name: string; code: string } }) => {
    if (message.behind) options.behind()
    if (message.failed) options.failed(message.failed)
  })
  worker.on('error', (error: unknown) =>
    options.failed({ name: String((error as Error | undefined)?.name ?? 'Error'), code: 'worker_stopped' }),
  )
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  return {
    async stop() {
      // Waiting for it is what keeps this process alive until its connection has closed.
      worker.ref()
      worker.postMessage('stop')
      await exited
    },
  }
}
