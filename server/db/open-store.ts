import type { RelayConfig } from '../env'
import type { Logger } from '../log'
import { openPgStore } from './pg-store'
import { openSqliteStore } from './sqlite-store'
import type { Store } from './store'

/** PostgreSQL when DATABASE_URL is set, otherwise embedded SQLite in the data directory. */
export const openStore = (
  config: Pick<RelayConfig, 'databaseUrl' | 'dataDir'>,
  log?: Pick<Logger, 'failure'>,
): Promise<Store> =>
  config.databaseUrl
    ? openPgStore(config.databaseUrl)
    : Promise.resolve(openSqliteStore(config.dataDir, log ? { log } : {}))
