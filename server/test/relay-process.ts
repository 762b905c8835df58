import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { setupTokenOfLink } from '../../shared/protocol'

/**
 * Run the real relay (`server/main.ts`) as a child process, the way `npm start` does, and collect
 * everything it prints. Used where a test must kill it, restart it, or scan its output.
 */
export interface RelayProcess {
  readonly url: string
  readonly child: ChildProcess
  /** Everything written to stdout and stderr so far. */
  output(): string
  /** The one-time setup link this start printed (a relay with no community prints one), or null. */
  readonly setupUrl: string | null
  /**
   * A fresh setup token for one more community, minted the way `npm run setup-link` does, on the
   * same storage (same environment) as this relay.
   */
  mintSetupToken(): Promise<string>
  stop(signal?: NodeJS.Signals): Promise<void>
}

/** The line server/main.ts and server/setup-link.ts print; group 1 is the link. */
export const SETUP_LINK_LINE = /Set up your community: (\S+)/

/** The token of a setup link (what follows `#`); throws when there is none. */
export function tokenOfSetupLink(link: string | null | undefined): string {
  const token = setupTokenOfLink(link ?? '')
  if (!token) throw new Error('no setup token in that link')
  return token
}

const root = path.resolve(import.meta.dirname, '../..')

/** A static directory holding only a stub shell, for API-only tests that need no build. */
export function stubStaticDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'heard-static-'))
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>stub</title>')
  return dir
}

/**
 * Run `server/setup-link.ts` (what `npm run setup-link` runs) with this environment and return the
 * token it printed.
 */
export async function runSetupLink(env: Record<string, string>): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'server/setup-link.ts')],
    { cwd: root, env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env } },
  )
  return tokenOfSetupLink(SETUP_LINK_LINE.exec(stdout)?.[1])
}

export function startRelay(env: Record<string, string>): Promise<RelayProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/main.ts')], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString('utf8')
  })
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString('utf8')
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start:\n${output}`)), 60_000)
    const onData = () => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(output)
      if (!match?.[1]) return
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      // The relay prints its start-up lines in one write: the setup link, if any, is here already.
      resolve({
        url: match[1].replace(/\/$/, ''),
        child,
        output: () => output,
        setupUrl: SETUP_LINK_LINE.exec(output)?.[1] ?? null,
        mintSetupToken: () => runSetupLink(env),
        async stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal)
          await exited
        },
      })
    }
    child.stdout?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`relay exited with ${code} before listening:\n${output}`))
    })
  })
}
