import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startRelay, tokenOfSetupLink } from '../server/test/relay-process'

/** Node only (test harness). The real relay, serving the built app from `dist/`, on a throwaway database. */
export interface TestRelay {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  readonly url: string
  readonly origin: string
  /** The directory the relay serves the app from. */
  readonly staticDir: string
  /** The relay's SQLite data directory (DATA_DIR), for scanning its files. */
  readonly dataDir: string
  /**
   * The one-time setup link the fresh relay printed (`<origin>/setup#<token>`). Reading it hands
   * the printed token to the caller: nextSetupToken() mints new ones from then on.
   */
  readonly setupUrl: string
  /**
   * A setup token for one more community (one community per token): the printed one, unless it
   * was handed out already (here or through setupUrl); after that a new one, minted on the same
   * data directory the way `npm run setup-link` does.
   */
  nextSetupToken(): Promise<string>
  /** Everything the relay printed so far. */
  output(): string
  stop(): Promise<void>
}

export const DIST_DIR = path.resolve(import.meta.dirname, '../dist')

/** The relays this process started and has not stopped, by URL (see testRelayAt). */
const running = new Map<string, TestRelay>()

/**
 * The running test relay at `url`, for helpers that are handed only its URL (publishCommunity).
 * Throws for a URL this process did not start.
 */
export function testRelayAt(url: string): TestRelay {
  const relay = running.get(url.replace(/\/$/, ''))
  if (!relay) throw new Error(`no test relay started at ${url}; pass the TestRelay itself`)
  return relay
}

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
    const printed = relay.setupUrl
    if (!printed) throw new Error(`the fresh relay printed no setup link:\n${relay.output()}`)
    let printedTaken = false
    const testRelay: TestRelay = {
      url: relay.url,
      origin: new URL(relay.url).origin,
      staticDir,
      dataDir,
      get setupUrl() {
        printedTaken = true
        return printed
      },
      async nextSetupToken() {
        if (printedTaken) return relay.mintSetupToken()
        printedTaken = true
        return tokenOfSetupLink(printed)
      },
      output: relay.output,
      async stop() {
        running.delete(relay.url)
        await relay.stop()
        rmSync(scratch, { recursive: true, force: true })
      },
    }
    running.set(relay.url, testRelay)
    return testRelay
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true })
    throw error
  }
}

/** A TCP port free on loopback now, for a relay a test restarts on the same address. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
