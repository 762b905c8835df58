import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startRelay } from '../server/test/relay-process'

/** Node only (test harness). The real relay, serving the built app from `dist/`, on a throwaway database. */
export interface TestRelay {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  readonly url: string
  readonly origin: string
  /** The directory the relay serves the app from. */
  readonly staticDir: string
  /** Everything the relay printed so far. */
  output(): string
  stop(): Promise<void>
}

export const DIST_DIR = path.resolve(import.meta.dirname, '../dist')

/**
 * Start the relay on the built app. With `copy`, it serves a private copy of `dist/` that the test
 * may change (to publish a "new version" of the app).
 */
export async function startBuiltRelay(options: { copy?: boolean } = {}): Promise<TestRelay> {
  if (!existsSync(path.join(DIST_DIR, 'index.html'))) {
    throw new Error(`The built app is missing (${DIST_DIR}/index.html): run npm run build first.`)
  }
  const scratch = mkdtempSync(path.join(tmpdir(), 'heard-e2e-'))
  const staticDir = options.copy ? path.join(scratch, 'dist') : DIST_DIR
  if (options.copy) cpSync(DIST_DIR, staticDir, { recursive: true })
  const dataDir = path.join(scratch, 'data')
  try {
    const relay = await startRelay({ DATA_DIR: dataDir, STATIC_DIR: staticDir })
    return {
      url: relay.url,
      origin: new URL(relay.url).origin,
      staticDir,
      output: relay.output,
      async stop() {
        await relay.stop()
        rmSync(scratch, { recursive: true, force: true })
      },
    }
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true })
    throw error
  }
}
