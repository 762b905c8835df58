import { httpOrigin, mintSetupToken, setupLink } from './auth/setup-token'
import { openStore } from './db/open-store'
import { ConfigError, readConfig } from './env'

/**
 * `npm run setup-link`: mint one more one-time setup link on this relay's storage (the same
 * DATA_DIR or DATABASE_URL as the relay; HOST and PORT only shape the printed address), for
 * another community. Links printed earlier keep working until they are used.
 */
async function main(): Promise<void> {
  const config = readConfig()
  const store = await openStore(config)
  try {
    const token = await mintSetupToken(store, new Date())
    console.log(`Set up your community: ${setupLink(httpOrigin(config.host, config.port), token)}`)
  } finally {
    await store.close()
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(`Configuration error: ${error.message}`)
  else console.error('No setup link was made:', error instanceof Error ? error.message : error)
  process.exit(1)
})
