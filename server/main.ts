import { serve } from '@hono/node-server'
import { createApp } from './app'
import { openStore } from './db/open-store'
import { ConfigError, readConfig } from './env'
import { createLogger } from './log'

/** `npm start`: read the configuration, open storage (running migrations), serve the API and the app. */
async function main(): Promise<void> {
  const config = readConfig()
  const log = createLogger()
  const store = await openStore(config)
  const app = await createApp({
    store,
    log,
    staticDir: config.staticDir,
    maxReportBytes: config.maxReportBytes,
  })
  const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info) => {
    const shownHost = info.family === 'IPv6' ? `[${info.address}]` : info.address
    console.log(`Heard relay listening on http://${shownHost}:${info.port}/`)
    console.log(
      `Storage: ${store.dialect === 'sqlite' ? `SQLite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
    )
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
