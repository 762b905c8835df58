import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { fromBase64url, fromUtf8, signKeyPairFromSeed, toBase64url, utf8 } from '../crypto'
import { parseDirectoryFile, parseEmergencyNumbersFile } from '../directory'
import {
  applyDirectoryDiff,
  communityEntries,
  DirectoryPublishSchema,
  DirectorySyncSchema,
  diffEntries,
  globalEntries,
  readDirectoryEntries,
  readDirectoryHead,
  signDirectory,
  verifyDirectory,
} from './directory.schema'
import { ProtocolError } from './errors'
import { validationError } from './fields'

const codeOf = (fn: () => unknown): string => {
  try {
    fn()
  } catch (error) {
    if (error instanceof ProtocolError) return error.code
    throw error
  }
  return 'accepted'
}

const root = signKeyPairFromSeed(new Uint8Array(32).fill(7))
const other = signKeyPairFromSeed(new Uint8Array(32).fill(8))
const orgs = parseDirectoryFile(JSON.parse(readFileSync('resources/organizations.json', 'utf8')))
const emergency = parseEmergencyNumbersFile(
  JSON.parse(readFileSync('resources/emergency-numbers.json', 'utf8')),
)
const global = globalEntries(orgs.organizations, emergency.countries)
const meta = { community: 'wiki', version: 1, issuedAt: '2026-12-04T10:00:00.000Z' }
const expect_ = { community: 'wiki', root: root.publicKey }

const ownTeam = {
  ...(orgs.organizations[0] as (typeof orgs.organizations)[number]),
  id: 'wiki-safety-team',
  services: (orgs.organizations[0] as (typeof orgs.organizations)[number]).services.map((s) => ({
    ...s,
    id: `wiki-${s.id}`,
  })),
}

describe('signed directory versions', () => {
  it('verifies what the admin signed, and reads the real resources back', () => {
    const { signed } = signDirectory(global, meta, root.secretKey)
    expect(verifyDirectory(signed, global, expect_).version).toBe(1)
    const data = readDirectoryEntries(global)
    expect(data.organizations).toHaveLength(orgs.organizations.length)
    expect(data.emergency).toHaveLength(emergency.countries.length)
  })

  it('refuses another key, another community, a changed or missing entry, or an extra one', () => {
    const { signed } = signDirectory(global, meta, root.secretKey)
    expect(codeOf(() => verifyDirectory(signed, global, { ...expect_, root: other.publicKey }))).toBe(
      'bad_signature',
    )
    expect(codeOf(() => verifyDirectory(signed, global, { ...expect_, community: 'other' }))).toBe(
      'community_mismatch',
    )
    const changed = new Map(global)
    changed.set('g:em:AU', (changed.get('g:em:AU') as string).replace('"000"', '"001"'))
    expect(changed.get('g:em:AU')).not.toBe(global.get('g:em:AU'))
    expect(codeOf(() => verifyDirectory(signed, changed, expect_))).toBe('directory_digest_mismatch')
    const missing = new Map(global)
    missing.delete('g:em:DE')
    expect(codeOf(() => verifyDirectory(signed, missing, expect_))).toBe('directory_digest_mismatch')
    const moved = new Map(global)
    moved.set('g:em:XX', moved.get('g:em:DE') as string)
    moved.delete('g:em:DE')
    expect(codeOf(() => verifyDirectory(signed, moved, expect_))).toBe('directory_digest_mismatch')
  })

  it('refuses a head whose payload was edited, even by one byte', () => {
    const { signed } = signDirectory(global, meta, root.secretKey)
    const text = fromUtf8(fromBase64url(signed.payload) as Uint8Array).replace('"version":1', '"version":2')
    const edited = { ...signed, payload: toBase64url(utf8(text)) }
    expect(codeOf(() => verifyDirectory(edited, global, expect_))).toBe('bad_signature')
  })

  it('layers community organisations over global ones with the same id', () => {
    const replaced = { ...(orgs.organizations[1] as (typeof orgs.organizations)[number]), name: 'Local name' }
    const entries = new Map([...global, ...communityEntries([replaced, ownTeam])])
    const data = readDirectoryEntries(entries)
    expect(data.organizations.filter((o) => o.id === replaced.id).map((o) => o.name)).toEqual(['Local name'])
    expect(data.organizations.some((o) => o.id === 'wiki-safety-team')).toBe(true)
    expect(data.organizations).toHaveLength(orgs.organizations.length + 1)
  })

  it('refuses entries that break the format, naming the key and the field', () => {
    const bad = new Map(global)
    bad.set('c:org:broken', JSON.stringify({ ...ownTeam, id: 'broken', website: 'http://x.example' }))
    try {
      readDirectoryEntries(bad)
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError)
      expect((error as ProtocolError).code).toBe('invalid_directory')
      expect(JSON.stringify((error as ProtocolError).issues)).toContain('c:org:broken')
      expect(JSON.stringify((error as ProtocolError).issues)).toContain('website')
    }
    const wrongKey = new Map([['g:em:FR', global.get('g:em:DE') as string]])
    expect(codeOf(() => readDirectoryEntries(wrongKey))).toBe('invalid_directory')
    const twice = new Map([...global, ['c:org:wiki-safety-team', JSON.stringify(ownTeam)]])
    twice.set('c:org:copy', JSON.stringify({ ...ownTeam, id: 'copy' }))
    expect(codeOf(() => readDirectoryEntries(twice))).toBe('invalid_directory')
  })

  it('property: any diff applied to the old version gives the new one, which verifies', () => {
    const keys = [...global.keys()]
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...keys), { maxLength: 20 }),
        fc.uniqueArray(fc.constantFrom(...keys), { maxLength: 20 }),
        fc.array(fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.string()), { maxLength: 5 }),
        (dropped, edited, added) => {
          const next = new Map(global)
          for (const k of dropped) next.delete(k)
          for (const k of edited) next.set(k, `${global.get(k)} `)
          for (const [id, text] of added) next.set(`c:org:${id}`, JSON.stringify(text))
          const { signed } = signDirectory(next, { ...meta, version: 2 }, root.secretKey)
          const { put, removed } = diffEntries(global, next)
          const rebuilt = applyDirectoryDiff(global, put, removed)
          expect(verifyDirectory(signed, rebuilt, expect_).version).toBe(2)
          expect(Object.keys(put).length).toBeLessThanOrEqual(edited.length + added.length)
          // The wire form of a diff parses.
          expect(
            v.safeParse(DirectorySyncSchema, { kind: 'diff', from: 1, head: signed, put, removed }).success,
          ).toBe(true)
        },
      ),
      { numRuns: 40 },
    )
  })

  it('property: garbage heads are refused with a typed error, never a crash', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(codeOf(() => readDirectoryHead(input))).not.toBe('accepted')
      }),
    )
    fc.assert(
      fc.property(fc.json(), (json) => {
        const signed = { payload: toBase64url(utf8(json)), signature: toBase64url(new Uint8Array(64)) }
        expect(codeOf(() => verifyDirectory(signed, global, expect_))).not.toBe('accepted')
      }),
    )
  })

  it('never echoes a key it refuses in the issues', () => {
    const result = v.safeParse(DirectoryPublishSchema, {
      from: null,
      head: { payload: 'AA', signature: toBase64url(new Uint8Array(64)) },
      put: { 'canary-<script>': '{}' },
      removed: [],
    })
    expect(result.success).toBe(false)
    if (result.success) return
    const described = JSON.stringify(validationError(result.issues).issues)
    expect(described).not.toContain('canary')
    expect(described).toContain('put.(key)')
  })

  it('property: garbage entries are refused with invalid_directory, never a crash', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,10}$/), fc.oneof(fc.string(), fc.json()), (id, text) => {
        expect(codeOf(() => readDirectoryEntries(new Map([[`c:org:${id}`, text]])))).toBe('invalid_directory')
      }),
    )
  })
})
