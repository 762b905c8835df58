import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { findViolations } from './architecture'

const root = path.resolve(import.meta.dirname, '..')

/** A copy of the real tree plus one extra file, to prove each rule bites. */
function treeWith(file: string, content: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'heard-arch-'))
  for (const top of ['client', 'server', 'shared']) {
    cpSync(path.join(root, top), path.join(dir, top), {
      recursive: true,
      filter: (src) => !src.includes('node_modules'),
    })
  }
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
  writeFileSync(path.join(dir, file), content)
  return dir
}

describe('architecture', () => {
  it('the tree keeps every boundary', () => {
    expect(findViolations(root)).toEqual([])
  })

  it.each([
    [
      'server/leak.ts',
      "import nacl from 'tweetnacl'\nexport const k = nacl.box.keyPair",
      'crypto-outside-shared-crypto',
    ],
    [
      'client/leak.ts',
      "import { sha256 } from '@noble/hashes/sha2.js'\nexport const h = sha256",
      'crypto-outside-shared-crypto',
    ],
    [
      'shared/protocol/leak.ts',
      "import { createHash } from 'node:crypto'\nexport const h = createHash",
      'crypto-outside-shared-crypto',
    ],
    ['server/leak.ts', "import { x } from '../client/main'\nexport const y = x", 'server-imports-client'],
    [
      'client/leak.ts',
      "import { createApp } from '../server/app'\nexport const y = createApp",
      'client-imports-server',
    ],
    ['client/leak.ts', "export const load = () => import('../server/db/store')", 'client-imports-server'],
    [
      'shared/protocol/leak.ts',
      "import { readFileSync } from 'node:fs'\nexport const r = readFileSync",
      'shared-platform-api',
    ],
    ['shared/protocol/leak.ts', 'export const where = () => window.location.href', 'shared-platform-api'],
    ['shared/protocol/leak.ts', 'export const env = () => process.env.HOME', 'shared-platform-api'],
    [
      'server/leak.ts',
      "export const c = globalThis.process.getBuiltinModule('node:crypto')",
      'crypto-outside-shared-crypto',
    ],
    [
      'shared/crypto/leak.ts',
      "export const f = (globalThis as any).process?.getBuiltinModule?.('node:fs')",
      'shared-platform-api',
    ],
  ])('refuses %s (%s)', (file, content, rule) => {
    const found = findViolations(treeWith(file, content))
    expect(found).toContainEqual(expect.objectContaining({ file, rule }))
  })

  it('allows a type-only import of the relay app type in the client', () => {
    const found = findViolations(
      treeWith('client/api.ts', "import type { RelayApp } from '../server/app'\nexport type A = RelayApp"),
    )
    expect(found).toEqual([])
  })
})
