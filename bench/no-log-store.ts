import path from 'node:path'
import Database from 'better-sqlite3'
import { openSqliteStore, SQLITE_FILE } from '../server/db/sqlite-store'
import type { Store } from '../server/db/store'

/**
 * Bench only: the real SQLite store, unchanged, on a throwaway database whose schema has two triggers
 * that make the transparency log's writes no-ops: the leaf row is never inserted and the log size
 * never moves. The relay then finds nothing to mirror, and its receipts carry no log. That is the
 * "relay without the log" of bench/log.bench.ts, obtained without a code path in server/ that could
 * turn the log off in production.
 *
 * What it cannot skip (it lives in the store's transaction and the report route): the leaf hash,
 * computed twice (store and route), and two primary-key reads of the log size. bench/log.bench.ts
 * measures that remainder, so the comparison slightly understates the log's cost.
 */
export function openSqliteStoreWithoutLog(dataDir: string): Store {
  // Opening first runs the migrations, so the tables the triggers name exist.
  const store = openSqliteStore(dataDir)
  const db = new Database(path.join(dataDir, SQLITE_FILE))
  try {
    db.exec(`
      CREATE TRIGGER bench_no_log_leaf BEFORE INSERT ON log_leaves
        BEGIN SELECT RAISE(IGNORE); END;
      CREATE TRIGGER bench_no_log_size BEFORE UPDATE OF log_size ON communities
        BEGIN SELECT RAISE(IGNORE); END;
    `)
  } finally {
    db.close()
  }
  return store
}
