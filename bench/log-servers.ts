import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { serve } from '@hono/node-server'
import { createApp } from '../server/app'
import { openSqliteStore } from '../server/db/sqlite-store'
import type { Store } from '../server/db/store'
import { silentLogger } from '../server/log'
import { openSqliteStoreWithoutLog } from './no-log-store'

/**
 * One contender of bench/log.bench.ts, in a child process of its own (as bench/servers.ts does for
 * bench:relay): `fork('bench/log-servers.ts', [kind])`. The port goes to the parent over IPC; the
 * message 'stats' is answered with the process's CPU time and the store's commit counts; SIGTERM (or
 * losing the parent) closes everything and deletes what the server wrote.
 *
 *   relay          the real relay, as bench:relay's "relay": createApp + openSqliteStore
 *   relay-no-log   the same app on the same store whose log writes are no-ops (bench/no-log-store.ts)
 *
 * Both count the store's report commits, so the parent can run the log's own work in-process at the
 * batch size the relay really commits at.
 */

export type LogServerKind = 'relay' | 'relay-no-log'

export interface LogServerStats {
  readonly cpu: NodeJS.CpuUsage
  /** insertReports calls (one transaction, one WAL fsync each) and the reports they held. */
  readonly commits: number
  readonly reports: number
}

const kind = process.argv[2] as LogServerKind
const workDir = mkdtempSync(path.join(tmpdir(), `heard-bench-${kind}-`))

async function main(): Promise<void> {
  if ((kind !== 'relay' && kind !== 'relay-no-log') || !process.send) {
    throw new Error('usage: fork bench/log-servers.ts <relay|relay-no-log>')
  }
  const dataDir = path.join(workDir, 'data')
  const real = kind === 'relay' ? openSqliteStore(dataDir) : openSqliteStoreWithoutLog(dataDir)
  let commits = 0
  let reports = 0
  // The same thin wrapper on both sides, so it cannot tilt the comparison.
  const store: Store = {
    ...real,
    async insertReports(batch) {
      commits++
      reports += batch.length
      return real.insertReports(batch)
    },
  }
  // The benchmark creates its community with a plain PUT: no setup link (a test convenience).
  const app = await createApp({ store, log: silentLogger, staticDir: null, communitySetup: 'open' })
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
    process.send?.({ port: info.port })
  })
  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    server.close()
    void (async () => {
      await real.close()
      rmSync(workDir, { recursive: true, force: true })
      process.exit(0)
    })()
  }
  process.on('message', (message) => {
    if (message === 'stats') {
      const stats: LogServerStats = { cpu: process.cpuUsage(), commits, reports }
      process.send?.({ stats })
    }
  })
  process.on('SIGTERM', stop)
  process.on('disconnect', stop)
}

main().catch((error: unknown) => {
  rmSync(workDir, { recursive: true, force: true })
  console.error(error)
  process.exit(1)
})
