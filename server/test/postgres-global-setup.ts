import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type {} from 'vitest'
import type { TestProject } from 'vitest/node'

/**
 * Start a real PostgreSQL server on loopback for the integration suite, from Debian's binaries
 * (initdb into a temporary directory, run as the `postgres` user when we are root), or use
 * TEST_DATABASE_URL. When neither works the PostgreSQL tests fail with this explanation — they
 * never skip.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string
    pgDataDir: string
    pgError: string
  }
}

const HOW_TO =
  'PostgreSQL is needed for the integration suite. Install it (apt-get install -y postgresql) so that ' +
  '/usr/lib/postgresql/<version>/bin/initdb exists, or set TEST_DATABASE_URL to a server you own.'

function findBinDir(): string | null {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return null
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a))
  for (const version of versions) {
    const bin = path.join(root, version, 'bin')
    if (existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl'))) return bin
  }
  return null
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer()
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })

export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL
  if (external) {
    project.provide('pgAdminUrl', external)
    project.provide('pgDataDir', '')
    project.provide('pgError', '')
    return
  }
  const bin = findBinDir()
  if (!bin) {
    project.provide('pgAdminUrl', '')
    project.provide('pgDataDir', '')
    project.provide('pgError', HOW_TO)
    return
  }
  const asRoot = process.getuid?.() === 0
  const dir = mkdtempSync(path.join(tmpdir(), 'heard-pg-'))
  const dataDir = path.join(dir, 'data')
  const run = (command: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]
    const result = spawnSync(cmd, argv, { encoding: 'utf8' })
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`)
  }
  if (asRoot) execFileSync('chown', ['-R', 'postgres:postgres', dir])
  const port = await freePort()
  try {
    run(path.join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8'])
    run(path.join(bin, 'pg_ctl'), [
      '-D',
      dataDir,
      '-l',
      path.join(dir, 'server.log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`,
      'start',
    ])
  } catch (error) {
    project.provide('pgAdminUrl', '')
    project.provide('pgDataDir', '')
    project.provide('pgError', `${HOW_TO}\nStarting it failed: ${(error as Error).message}`)
    return
  }
  project.provide('pgAdminUrl', `postgres://postgres@127.0.0.1:${port}/postgres`)
  project.provide('pgDataDir', dataDir)
  project.provide('pgError', '')
  return () => {
    try {
      run(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop'])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
