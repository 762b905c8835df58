import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/**
 * Run the real relay (`server/main.ts`) as a child process, the way `npm start` does, and collect
 * everything it prints. Used where a test must kill it, restart it, or scan its output.
 */
export interface RelayProcess {
  readonly url: string
  readonly child: ChildProcess
  /** Everything written to stdout and stderr so far. */
  output(): string
  stop(signal?: NodeJS.Signals): Promise<void>
}

const root = path.resolve(import.meta.dirname, '../..')

/** A static directory holding only a stub shell, for API-only tests that need no build. */
export function stubStaticDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'heard-static-'))
  mkdirSync(dir, { recursive: true })
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>stub</title>')
  return dir
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
      resolve({
        url: match[1].replace(/\/$/, ''),
        child,
        output: () => output,
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
