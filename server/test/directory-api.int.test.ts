import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SignKeyPair, signDetached, toBase64url, utf8 } from '../../shared/crypto'
import { type Organization, parseDirectoryFile, parseEmergencyNumbersFile } from '../../shared/directory'
import {
  API_PREFIX,
  applyDirectoryDiff,
  communityEntries,
  DIRECTORY_SIGNING_DOMAIN,
  type DirectoryEntries,
  type DirectoryHead,
  type DirectorySync,
  DirectorySyncSchema,
  diffEntries,
  directoryDigest,
  directoryEntryHash,
  ERRORS,
  type ErrorCode,
  entriesOf,
  GlobalDirectorySchema,
  globalEntries,
  isGlobalEntryKey,
  readDirectoryEntries,
  type SignedDirectoryHead,
  signDirectory,
  verifyDirectory,
} from '../../shared/protocol'
import { createApp, type RelayApp } from '../app'
import { silentLogger } from '../log'
import { MAX_DIRECTORY_BODY } from '../routes/directory.routes'
import { type FakeCommunity, fakeCommunity, json } from './fixtures'
import { openBrokerSession } from './mailbox-client'
import { BACKENDS, type TestStore } from './stores'

const BASE = 'http://relay.test'
const ISSUED_AT = '2026-12-04T10:00:00.000Z'

const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join('resources', file), 'utf8'))
const organizations = parseDirectoryFile(readJson('organizations.json')).organizations
const emergency = parseEmergencyNumbersFile(readJson('emergency-numbers.json')).countries
const global = globalEntries(organizations, emergency)
const firstOrg = organizations[0] as Organization
/** The community's own team, as a `c:` entry (services renamed so their ids stay unique). */
const ownTeam: Organization = {
  ...firstOrg,
  id: 'wiki-safety-team',
  services: firstOrg.services.map((s) => ({ ...s, id: `wiki-${s.id}` })),
}

/** Another organisation of the community's own, with service ids of its own. */
const orgEntry = (id: string): string =>
  JSON.stringify({ ...firstOrg, id, services: firstOrg.services.map((s) => ({ ...s, id: `${id}-${s.id}` })) })

/** What a complainant's device holds: the last version it verified, and its entries. */
interface Device {
  readonly version: number
  readonly entries: DirectoryEntries
}

describe.each(BACKENDS)('referral directory on $name', ({ open: openStore }) => {
  let ts: TestStore
  let app: RelayApp
  const community: FakeCommunity = fakeCommunity('wiki-example', 2)
  const elsewhere: FakeCommunity = fakeCommunity('other-wiki', 1)
  let token: string
  let boToken: string
  let elsewhereToken: string
  /** The test's own record of what the relay holds: the last version published, and its entries. */
  let published: { version: number; entries: DirectoryEntries } | null = null

  const url = (forCommunity = community.id, since?: string) =>
    `${BASE}${API_PREFIX}/communities/${forCommunity}/directory${since === undefined ? '' : `?since=${since}`}`
  const put = (body: unknown, bearer: string | null = token, forCommunity = community.id) =>
    app.request(url(forCommunity), {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  /** GET without a session (complainants have none); the answer must be a DirectorySync. */
  const sync = async (since?: number | string, forCommunity = community.id): Promise<DirectorySync> => {
    const res = await app.request(url(forCommunity, since === undefined ? undefined : String(since)))
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const parsed = v.safeParse(DirectorySyncSchema, await res.json())
    expect(parsed.success).toBe(true)
    return parsed.output as DirectorySync
  }
  /** What a device does with an answer: apply it, and keep it only if the root's signature says so. */
  const apply = (device: Device | null, answer: DirectorySync): Device => {
    const expect_ = { community: community.id, root: community.root.publicKey }
    if (answer.kind === 'unchanged') {
      expect(answer.version).toBe(device?.version)
      return device as Device
    }
    const entries =
      answer.kind === 'full'
        ? entriesOf(answer.entries)
        : applyDirectoryDiff((device as Device).entries, answer.put, answer.removed)
    if (answer.kind === 'diff') expect(answer.from).toBe(device?.version)
    const head = verifyDirectory(answer.head, entries, expect_)
    readDirectoryEntries(entries)
    return { version: head.version, entries }
  }
  /** The PUT body for `entries` as the next version (or another `version`/`from`), signed by `signer`. */
  const body = (
    entries: DirectoryEntries,
    options: { version?: number; from?: number | null; signer?: SignKeyPair; community?: string } = {},
  ) => {
    const from = options.from === undefined ? (published?.version ?? null) : options.from
    const version = options.version ?? (published?.version ?? 0) + 1
    const { signed } = signDirectory(
      entries,
      { community: options.community ?? community.id, version, issuedAt: ISSUED_AT },
      (options.signer ?? community.root).secretKey,
    )
    return { from, head: signed, ...diffEntries(published?.entries ?? new Map(), entries) }
  }
  /** Publish `entries` as the next version and record it. */
  const publish = async (entries: DirectoryEntries, bearer = token) => {
    const res = await put(body(entries), bearer)
    expect(res.status).toBe(201)
    const version = (published?.version ?? 0) + 1
    expect(await res.json()).toEqual({ community: community.id, version })
    published = { version, entries }
  }
  /** Sign any head, bypassing signDirectory (a head that lies about its entries). */
  const signHead = (head: DirectoryHead, signer: SignKeyPair = community.root): SignedDirectoryHead => {
    const payload = utf8(JSON.stringify(head))
    return {
      payload: toBase64url(payload),
      signature: toBase64url(signDetached(DIRECTORY_SIGNING_DOMAIN, payload, signer.secretKey)),
    }
  }
  const current = () => published?.entries ?? new Map<string, string>()
  const withEntry = (key: string, text: string) => new Map([...current(), [key, text]])

  beforeAll(async () => {
    ts = await openStore()
    // Not a test of setup links (setup.int.test.ts is): communities are created freely.
    app = await createApp({ store: ts.store, log: silentLogger, staticDir: null, communitySetup: 'open' })
    const fetcher = async (u: string, init?: RequestInit) => app.request(u, init)
    for (const c of [community, elsewhere]) {
      const res = await app.request(`/api/v1/communities/${c.id}/manifest`, json(c.signed, 'PUT'))
      expect(res.status).toBe(201)
    }
    const login = (c: FakeCommunity, broker = 0) =>
      openBrokerSession({
        baseUrl: BASE,
        fetch: fetcher,
        community: c.id,
        brokerSignKeyPair: c.brokers[broker]?.sign as SignKeyPair,
      })
    token = await login(community)
    boToken = await login(community, 1)
    elsewhereToken = await login(elsewhere)
  })
  afterAll(async () => ts?.close())

  it('has no directory until the root publishes one', async () => {
    const res = await app.request(url())
    expect(res.status).toBe(404)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('directory_not_published')
  })

  it('takes a first version signed by the root, whole, and serves it whole to anyone', async () => {
    const first = new Map([...global, ...communityEntries([ownTeam])])
    const firstBody = body(first)
    expect(firstBody.removed).toEqual([])
    expect(JSON.stringify(firstBody).length).toBeGreaterThan(100_000)
    await publish(first)

    const answer = await sync()
    expect(answer.kind).toBe('full')
    const device = apply(null, answer)
    expect(device.version).toBe(1)
    expect(device.entries).toEqual(first)
    const data = readDirectoryEntries(device.entries)
    expect(data.organizations.some((o) => o.id === 'wiki-safety-team')).toBe(true)
    expect(data.emergency).toHaveLength(emergency.length)
    // The relay keeps each entry's hash beside it, as a device computes it.
    const stored = await ts.store.directoryEntries(community.id)
    expect(stored).toHaveLength(first.size)
    for (const e of stored.slice(0, 20))
      expect(toBase64url(e.hash)).toBe(toBase64url(directoryEntryHash(e.key, e.text)))
  })

  it('sends a device one changed entry as a diff of exactly that entry, then "unchanged"', async () => {
    const au = (current().get('g:em:AU') as string).replace('"000"', '"001"')
    expect(au).not.toBe(current().get('g:em:AU'))
    // Published from another broker's session: the root's signature, not the session, decides.
    await publish(withEntry('g:em:AU', au), boToken)
    const answer = await sync(1)
    expect(answer).toEqual({
      kind: 'diff',
      from: 1,
      head: expect.anything(),
      put: { 'g:em:AU': au },
      removed: [],
    })
    expect(await sync(2)).toEqual({ kind: 'unchanged', version: 2 })
  })

  it('sends removed entries as removed keys', async () => {
    const fewer = new Map(current())
    fewer.delete('c:org:wiki-safety-team')
    fewer.delete('g:em:DE')
    await publish(fewer)
    expect(await sync(2)).toEqual({
      kind: 'diff',
      from: 2,
      head: expect.anything(),
      put: {},
      removed: ['c:org:wiki-safety-team', 'g:em:DE'],
    })
    const fromFirst = await sync(1)
    expect(fromFirst.kind === 'diff' && Object.keys(fromFirst.put)).toEqual(['g:em:AU'])
    expect(fromFirst.kind === 'diff' && fromFirst.removed).toEqual(['c:org:wiki-safety-team', 'g:em:DE'])
  })

  it('brings a device from any version it holds to the current one with one diff that verifies', async () => {
    // One more version: the team comes back under new text, and a global entry changes.
    const back = new Map(current())
    back.set('c:org:wiki-safety-team', JSON.stringify({ ...ownTeam, name: 'Wiki safety team' }))
    back.set('g:em:FR', (back.get('g:em:FR') as string).replace('}', ' }'))
    await publish(back)
    const latest = published?.version as number
    expect(latest).toBe(4)
    for (let from = 1; from < latest; from++) {
      const held = apply(null, { kind: 'full', ...(await versionAt(from)) })
      expect(held.version).toBe(from)
      const step = await sync(from)
      expect(step.kind).toBe('diff')
      const device = apply(held, step)
      expect(device.version).toBe(latest)
      expect(device.entries).toEqual(current())
      expect(await sync(device.version)).toEqual({ kind: 'unchanged', version: latest })
    }
  })

  /** An older version as a device would have fetched it then: its head and entries, as stored. */
  const versionAt = async (version: number) => {
    const rows = (
      JSON.parse(await ts.snapshot()) as {
        directory_versions: {
          community: string
          version: number | string
          payload: string
          signature: string
        }[]
      }
    ).directory_versions
    const row = rows.find((r) => r.community === community.id && Number(r.version) === version)
    if (!row) throw new Error(`no version ${version}`)
    const entries = await ts.store.directoryEntries(community.id, version)
    return {
      head: { payload: row.payload, signature: row.signature },
      entries: Object.fromEntries(entries.map((e) => [e.key, e.text])),
    }
  }

  it('answers the whole version to a device whose version the relay does not have, or none', async () => {
    for (const since of [undefined, 99, 123_456_789_012_345]) {
      const answer = await sync(since)
      expect(answer.kind).toBe('full')
      expect(apply(null, answer).entries).toEqual(current())
    }
  })

  it('lets exactly one of two versions signed against the same current one land', async () => {
    const before = published?.version as number
    const a = body(withEntry('c:org:racer-a', orgEntry('racer-a')))
    const b = body(withEntry('c:org:racer-b', orgEntry('racer-b')))
    const answers = await Promise.all([put(a, token), put(b, boToken)])
    const outcomes = await Promise.all(
      answers.map(async (r) =>
        `${r.status} ${((await r.json()) as { error?: { code: string } }).error?.code ?? ''}`.trim(),
      ),
    )
    expect(outcomes.sort()).toEqual(['201', '409 directory_changed'])
    const head = await sync(before)
    expect(head.kind).toBe('diff')
    const winner = head.kind === 'diff' ? Object.keys(head.put) : []
    expect(winner).toHaveLength(1)
    const key = winner[0] as string
    published = {
      version: before + 1,
      entries: withEntry(key, (head as { put: Record<string, string> }).put[key] as string),
    }
    expect(apply(null, await sync()).entries).toEqual(current())
  })

  it('names the failing entry and field of a correctly signed but invalid entry, and stores nothing', async () => {
    const before = await ts.snapshot()
    const broken = { ...ownTeam, id: 'broken', services: [], website: 'http://broken.example' }
    const res = await put(body(withEntry('c:org:broken', JSON.stringify(broken))))
    expect(res.status).toBe(400)
    const error = (
      (await res.json()) as { error: { code: string; issues: { path: string; rule: string }[] } }
    ).error
    expect(error.code).toBe('invalid_directory')
    expect(error.issues.some((i) => i.path.includes('c:org:broken') && i.path.includes('website'))).toBe(true)
    expect(await ts.snapshot()).toBe(before)
  })

  it('never echoes a key it refuses', async () => {
    const res = await put({ ...body(current()), put: { 'not a <key>': '{}' } })
    expect(res.status).toBe(400)
    const text = await res.text()
    expect(text).not.toContain('<key>')
    expect(JSON.parse(text)).toMatchObject({
      error: { code: 'invalid_body', issues: [{ path: 'put.(key)' }] },
    })
  })

  it('serves the global directory it ships: entries that read back, under the digest it names', async () => {
    const res = await app.request(`${BASE}${API_PREFIX}/directory/global`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const parsed = v.parse(GlobalDirectorySchema, await res.json())
    const entries = entriesOf(parsed.entries)
    expect(entries).toEqual(global)
    expect([...entries.keys()].every(isGlobalEntryKey)).toBe(true)
    expect(readDirectoryEntries(entries).organizations).toHaveLength(organizations.length)
    expect(parsed.digest).toBe(toBase64url(directoryDigest(entries)))
    // Its digest is its ETag: a console that has it revalidates for nothing.
    const etag = res.headers.get('etag') as string
    expect(etag).toBe(`"${parsed.digest}"`)
    const again = await app.request(`${BASE}${API_PREFIX}/directory/global`, {
      headers: { 'if-none-match': `"other", W/${etag}` },
    })
    expect(again.status).toBe(304)
    expect(await again.text()).toBe('')
  })

  it('gzips directory answers for a client that accepts it, and only those', async () => {
    const plain = await app.request(url())
    const zipped = await app.request(url(), { headers: { 'accept-encoding': 'gzip' } })
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(zipped.headers.get('content-encoding')).toBe('gzip')
    const unzipped = gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString('utf8')
    const plainText = await plain.text()
    expect(unzipped).toBe(plainText)
    // Answers that are not the public directory stay uncompressed (they may carry secrets).
    const other = await app.request(`/api/v1/communities/${community.id}/manifest`, {
      headers: { 'accept-encoding': 'gzip' },
    })
    expect(other.headers.get('content-encoding')).toBeNull()
  })

  it('describes the routes in the OpenAPI document', async () => {
    const spec = (await (await app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>
    }
    expect(Object.keys(spec.paths['/communities/{community}/directory'] ?? {}).sort()).toEqual(['get', 'put'])
    expect(Object.keys(spec.paths['/directory/global'] ?? {})).toEqual(['get'])
  })

  describe('refuses bad input with its documented code and changes nothing', () => {
    const stranger = fakeCommunity('stranger', 1).root
    const cases: { name: string; code: ErrorCode; request: () => Response | Promise<Response> }[] = [
      {
        name: 'GET for a community the relay does not hold',
        code: 'unknown_community',
        request: () => app.request(url('nobody-here')),
      },
      {
        name: 'GET for a community that has published nothing',
        code: 'directory_not_published',
        request: () => app.request(url(elsewhere.id)),
      },
      ...['0', '-1', '1.5', 'abc', '', '01', '1234567890123456'].map((since) => ({
        name: `GET since=${JSON.stringify(since)}`,
        code: 'invalid_cursor' as const,
        request: () => app.request(url(community.id, since)),
      })),
      {
        name: 'GET with an invalid community id',
        code: 'invalid_community',
        request: () => app.request(url('Not_Valid')),
      },
      { name: 'PUT without a session', code: 'unauthorized', request: () => put(body(current()), null) },
      {
        name: 'PUT without a session, with a body that is not JSON (the session is checked first)',
        code: 'unauthorized',
        request: () => put('{"from":', null),
      },
      {
        name: "another community's session",
        code: 'session_expired',
        request: () => put(body(current()), elsewhereToken),
      },
      {
        name: 'a version signed by a broker, not the root',
        code: 'bad_signature',
        request: () =>
          put(body(withEntry('g:em:AU', '{}'), { signer: community.brokers[0]?.sign as SignKeyPair })),
      },
      {
        name: "another community's root",
        code: 'bad_signature',
        request: () => put(body(current(), { signer: stranger })),
      },
      {
        name: 'a signature made for another purpose',
        code: 'bad_signature',
        request: () => {
          const b = body(current())
          const asManifest = signDetached(
            'heard/manifest/v1',
            Buffer.from(b.head.payload, 'base64url'),
            community.root.secretKey,
          )
          return put({ ...b, head: { ...b.head, signature: toBase64url(asManifest) } })
        },
      },
      {
        name: 'a head naming another community',
        code: 'community_mismatch',
        request: () => put(body(current(), { community: elsewhere.id })),
      },
      {
        name: 'a "from" that is not the current version',
        code: 'directory_changed',
        request: () => put(body(current(), { from: (published?.version as number) - 1 })),
      },
      {
        name: 'a first version, when there is one',
        code: 'directory_changed',
        request: () => put(body(current(), { from: null, version: 1 })),
      },
      {
        name: 'the current version again',
        code: 'directory_changed',
        request: () => put(body(current(), { version: published?.version as number })),
      },
      {
        name: 'a version that skips one',
        code: 'directory_changed',
        request: () => put(body(current(), { version: (published?.version as number) + 2 })),
      },
      {
        name: 'entries that do not match the signed digest',
        code: 'directory_digest_mismatch',
        request: () => {
          const signed = body(withEntry('g:em:AU', '{"changed":1}'))
          return put({ ...signed, put: { ...signed.put, 'g:em:AU': '{"changed":2}' } })
        },
      },
      {
        name: 'a removal the head does not commit to',
        code: 'directory_digest_mismatch',
        request: () => put({ ...body(current()), removed: ['g:em:FR'] }),
      },
      {
        name: 'a head whose "global" is not the digest of its g: entries',
        code: 'directory_digest_mismatch',
        request: () => {
          const entries = current()
          const version = (published?.version as number) + 1
          const { head } = signDirectory(
            entries,
            { community: community.id, version, issuedAt: ISSUED_AT },
            community.root.secretKey,
          )
          const lie = toBase64url(directoryDigest(entries, (k) => !isGlobalEntryKey(k)))
          return put({ from: version - 1, head: signHead({ ...head, global: lie }), put: {}, removed: [] })
        },
      },
      {
        name: 'a head that miscounts its entries',
        code: 'directory_digest_mismatch',
        request: () => {
          const entries = current()
          const version = (published?.version as number) + 1
          const { head } = signDirectory(
            entries,
            { community: community.id, version, issuedAt: ISSUED_AT },
            community.root.secretKey,
          )
          return put({
            from: version - 1,
            head: signHead({ ...head, entries: head.entries + 1 }),
            put: {},
            removed: [],
          })
        },
      },
      {
        name: 'an entry under a key that is not its id',
        code: 'invalid_directory',
        request: () => put(body(withEntry('c:org:other-id', JSON.stringify(ownTeam)))),
      },
      {
        name: 'an entry that is not JSON',
        code: 'invalid_directory',
        request: () => put(body(withEntry('c:org:not-json', '{"id":'))),
      },
      {
        name: 'a head payload that is not a head',
        code: 'invalid_directory',
        request: () => {
          const b = body(current())
          const payload = utf8(JSON.stringify({ v: 1, community: community.id }))
          return put({
            ...b,
            head: {
              payload: toBase64url(payload),
              signature: toBase64url(
                signDetached(DIRECTORY_SIGNING_DOMAIN, payload, community.root.secretKey),
              ),
            },
          })
        },
      },
      {
        name: 'a head payload that is not JSON',
        code: 'invalid_json',
        request: () =>
          put({ ...body(current()), head: { ...body(current()).head, payload: toBase64url(utf8('{"v":')) } }),
      },
      { name: 'a body that is not JSON', code: 'invalid_json', request: () => put('{"from":') },
      {
        name: 'a body of the wrong shape',
        code: 'invalid_body',
        request: () => put({ ...body(current()), extra: 1 }),
      },
      {
        name: 'a put that is not an object of entries',
        code: 'invalid_body',
        request: () => put({ ...body(current()), put: ['g:em:DE'] }),
      },
      {
        name: 'a payload that is not canonical base64url',
        code: 'invalid_encoding',
        request: () => put({ ...body(current()), head: { ...body(current()).head, payload: '+/+/' } }),
      },
      {
        name: 'an oversized body',
        code: 'body_too_large',
        request: () => put({ ...body(current()), padding: 'x'.repeat(MAX_DIRECTORY_BODY) }),
      },
      {
        name: 'a body not declared JSON',
        code: 'unsupported_media_type',
        request: () =>
          app.request(url(), {
            method: 'PUT',
            headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
            body: JSON.stringify(body(current())),
          }),
      },
      {
        name: 'PUT with an invalid community id',
        code: 'invalid_community',
        request: () => put(body(current()), token, 'Not_Valid'),
      },
      {
        name: 'a method the route does not take',
        code: 'method_not_allowed',
        request: () =>
          app.request(url(), json(body(current()), 'POST', { authorization: `Bearer ${token}` })),
      },
      {
        name: 'a method the global directory does not take',
        code: 'method_not_allowed',
        request: () => app.request(`${BASE}${API_PREFIX}/directory/global`, json({}, 'PUT')),
      },
    ]

    it('has at least 20 documented cases', () => expect(cases.length).toBeGreaterThanOrEqual(20))

    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, { code, request }) => {
      const before = await ts.snapshot()
      const res = await request()
      const answer = (await res.json()) as { error: { code: string; message: string } }
      expect({ status: res.status, code: answer.error?.code }).toEqual({ status: ERRORS[code].status, code })
      expect(answer.error.message).toBe(ERRORS[code].message)
      expect(await ts.snapshot()).toBe(before)
    })
  })
})

describe('the global directory a relay ships', () => {
  const copyResources = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'heard-resources-'))
    for (const file of ['organizations.json', 'emergency-numbers.json'])
      writeFileSync(path.join(dir, file), readFileSync(path.join('resources', file)))
    return dir
  }

  it('is read from the resources folder given, once, at start-up', async () => {
    const ts = await BACKENDS[0].open()
    try {
      const dir = copyResources()
      const fewer = { ...(readJson('emergency-numbers.json') as { countries: unknown[] }) }
      fewer.countries = fewer.countries.slice(0, 3)
      writeFileSync(path.join(dir, 'emergency-numbers.json'), JSON.stringify(fewer))
      const app = await createApp({ store: ts.store, log: silentLogger, staticDir: null, resourcesDir: dir })
      const answer = v.parse(
        GlobalDirectorySchema,
        await (await app.request('/api/v1/directory/global')).json(),
      )
      const keys = Object.keys(answer.entries)
      expect(keys.filter((k) => k.startsWith('g:em:'))).toHaveLength(3)
      expect(keys.filter((k) => k.startsWith('g:org:'))).toHaveLength(organizations.length)
      expect(answer.digest).toBe(toBase64url(directoryDigest(entriesOf(answer.entries))))
      // Read once: the file changing later does not change the answer.
      writeFileSync(path.join(dir, 'emergency-numbers.json'), '{}')
      const later = v.parse(
        GlobalDirectorySchema,
        await (await app.request('/api/v1/directory/global')).json(),
      )
      expect(later.digest).toBe(answer.digest)
    } finally {
      await ts.close()
    }
  })

  it('stops start-up when a resource file does not parse', async () => {
    const ts = await BACKENDS[0].open()
    try {
      const dir = copyResources()
      writeFileSync(path.join(dir, 'organizations.json'), JSON.stringify({ format: 'nonsense' }))
      await expect(
        createApp({ store: ts.store, log: silentLogger, staticDir: null, resourcesDir: dir }),
      ).rejects.toThrow()
    } finally {
      await ts.close()
    }
  })
})
