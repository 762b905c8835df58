import { serve } from '@hono/node-server'
import { createApp } from './app'
import { httpOrigin, mintSetupToken, setupLink } from './auth/setup-token'
import { openStore } from './db/open-store'
import { ConfigError, readConfig } from './env'
import { createLogger } from './log'

/** `npm start`: read the configuration, open storage (running migrations), serve the API and the app. */
async function main(): Promise<void> {
  const config = readConfig()
  const log = createLogger()
  const store = await openStore(config, log)
  // A relay nobody has set up yet gets a one-time link for its first community; only the newest
  // printed link works (older unspent ones are marked spent, never deleted).
  const setupToken =
    (await store.listCommunities(1)).length === 0
      ? await mintSetupToken(store, new Date(), { supersedeUnspent: true })
      : null
  const app = await createApp({
    store,
    log,
    staticDir: config.staticDir,
    maxReportBytes: config.maxReportBytes,
    attachmentQuotaBytes: config.attachmentQuotaBytes,
  })
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    const origin = httpOrigin(info.address, info.port)
    const lines = [
      `Heard relay listening on ${origin}/`,
      `Storage: ${store.dialect === 'sqlite' ? `SQLite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
    ]
    if (setupToken) lines.push(`Set up your community: ${setupLink(origin, setupToken)}`)
    // One write, so whoever reads the start-up lines (a test harness) gets them together.
    console.log(lines.join('\n'))
  })
  const summary = setInterval(() => log.summarize(), 3_600_000)
  summary.unref()
  const stop = () => {
    clearInterval(summary)
    server.close(() => void store.close().then(() => process.exit(0)))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`)
  else console.error('The relay could not start:', error instanceof Error ? error.message : error)
  process.exit(1)
})
