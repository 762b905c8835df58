import { type ChildProcess, fork } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import path from 'node:path'

/**
 * Node only. What the benchmarks share: integer knobs from the environment, child processes run
 * through tsx (servers, and sealing spread over the cores: pure-JS X25519 costs ~2.5 ms an envelope).
 */

const root = path.resolve(import.meta.dirname, '..')

/** A positive integer from the environment, or `fallback` when unset or empty. */
export function intEnv(name: string, fallback: number): number {
  const value = process.env[name]
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`)
  return n
}

/**
 * Fork `bench/<script>` under tsx, with an IPC channel. With `cpuProfileDir`, the child writes a V8
 * CPU profile there when it exits (open it in Chrome DevTools).
 */
export const forkChild = (
  script: string,
  args: readonly string[],
  options: { cpuProfileDir?: string | undefined } = {},
): ChildProcess =>
  fork(path.join(root, 'bench', script), args, {
    cwd: root,
    execArgv: [
      '--import',
      'tsx',
      ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })

/** The child's exit code, once it has exited. */
export const exited = (proc: ChildProcess): Promise<number | null> =>
  proc.exitCode !== null || proc.signalCode !== null
    ? Promise.resolve(proc.exitCode)
    : new Promise((resolve) => proc.once('exit', (code) => resolve(code)))

/** A benchmark server in a child process: its address, a question to ask it, and a way to stop it. */
export interface ServerChild {
  readonly url: string
  /** Send `message` and resolve to the child's next message. */
  ask(message: string): Promise<unknown>
  stop(): Promise<void>
}

/** Fork `bench/<script> <kind>` and wait until it reports the port it listens on. */
export async function forkServer(
  script: string,
  kind: string,
  options: { cpuProfileDir?: string | undefined } = {},
): Promise<ServerChild> {
  const proc = forkChild(script, [kind], options)
  const port = await new Promise<number>((resolve, reject) => {
    proc.once('message', (m) => resolve((m as { port: number }).port))
    proc.once('exit', (code) => reject(new Error(`${kind} server exited with ${code} before listening`)))
  })
  return {
    url: `http://127.0.0.1:${port}`,
    ask: (message) =>
      new Promise((resolve) => {
        proc.once('message', resolve)
        proc.send(message)
      }),
    async stop() {
      proc.kill('SIGTERM')
      await exited(proc)
    },
  }
}

/**
 * Run one sealing child per core (at most 8), each writing its share of `count` lines to a file of
 * its own, and return every line in order: child 0's first, then child 1's, and so on. `argsFor` gets
 * the index of the share's first item, the share's size and the file to write.
 */
export async function sealInChildren(
  script: string,
  count: number,
  argsFor: (first: number, count: number, outFile: string) => readonly string[],
  options: { cpuProfileDir?: string | undefined } = {},
): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'heard-bench-sealed-'))
  try {
    const workers = Math.max(1, Math.min(cpus().length, 8, count))
    const shares = Array.from(
      { length: workers },
      (_, i) => Math.floor(count / workers) + (i < count % workers ? 1 : 0),
    )
    const files = shares.map((_, i) => path.join(dir, `part-${i}.ndjson`))
    const codes = await Promise.all(
      shares.map((share, i) => {
        const first = shares.slice(0, i).reduce((sum, n) => sum + n, 0)
        return exited(forkChild(script, argsFor(first, share, files[i] as string), options))
      }),
    )
    if (codes.some((code) => code !== 0)) throw new Error(`sealing with bench/${script} failed`)
    const lines: string[] = []
    for (const file of files) {
      for (const line of readFileSync(file, 'utf8').split('\n')) if (line) lines.push(line)
    }
    return lines
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
