import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { randomBytes, toBase64url } from '../../shared/crypto'
import { ERRORS, type ErrorCode, setupAuthorization, signManifest } from '../../shared/protocol'
import { createApp, type RelayApp } from '../app'
import { mintSetupToken } from '../auth/setup-token'
import { silentLogger } from '../log'
import { createCommunityRequest, type FakeCommunity, fakeCommunity, json } from './fixtures'
import { type RelayProcess, runSetupLink, startRelay, stubStaticDir, tokenOfSetupLink } from './relay-process'
import { BACKENDS, freshPgDatabase, type TestStore } from './stores'

interface SetupTokenRow {
  token_hash: string
  created_at: string
  spent_at: string | null
  community: string | null
}

/**
 * One-time setup links: on a relay as it runs in production (the default `communitySetup: 'token'`),
 * creating a community spends a setup token in the same transaction as its first manifest, and
 * nothing else creates one.
 */
describe.each(BACKENDS)('setup links on $name', ({ open: openStore }) => {
  let ts: TestStore
  let app: RelayApp
  /** A community created with a token in beforeAll. */
  const first: FakeCommunity = fakeCommunity('first-community', 1)
  let spentToken: string

  const put = (c: FakeCommunity, headers: Record<string, string> = {}, body: unknown = c.signed) =>
    app.request(`/api/v1/communities/${c.id}/manifest`, json(body, 'PUT', headers))
  const withToken = (c: FakeCommunity, token: string) =>
    app.request(`/api/v1/communities/${c.id}/manifest`, createCommunityRequest(c, token))
  const tokens = async (): Promise<SetupTokenRow[]> =>
    (JSON.parse(await ts.snapshot()) as { setup_tokens: SetupTokenRow[] }).setup_tokens
  const communities = async () => (await (await app.request('/api/v1/communities')).json()) as unknown

  beforeAll(async () => {
    ts = await openStore()
    app = await createApp({ store: ts.store, log: silentLogger, staticDir: null })
    spentToken = await mintSetupToken(ts.store, new Date('2026-11-25T10:00:00Z'))
    expect((await withToken(first, spentToken)).status).toBe(201)
  })
  afterAll(async () => ts?.close())

  it('spends the token that created a community, and records which community it made', async () => {
    const rows = await tokens()
    expect(rows).toEqual([
      {
        token_hash: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        created_at: '2026-11-25T10:00:00.000Z',
        spent_at: expect.any(String),
        community: first.id,
      },
    ])
    // Only the hash is stored.
    expect(JSON.stringify(rows)).not.toContain(spentToken)
  })

  it('creates a second community with a second token, never with the first', async () => {
    const second = fakeCommunity('second-community', 1)
    const before = await ts.snapshot()
    const again = await withToken(second, spentToken)
    expect(again.status).toBe(403)
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('setup_token_invalid')
    expect(await ts.snapshot()).toBe(before)
    const token = await mintSetupToken(ts.store, new Date())
    expect((await withToken(second, token)).status).toBe(201)
    expect((await tokens()).filter((t) => t.community === second.id)).toHaveLength(1)
  })

  it('takes updates of an existing community signed by its root without any token, and spends none', async () => {
    const unspent = await mintSetupToken(ts.store, new Date())
    const next = signManifest({ ...first.manifest, seq: 2 }, first.root.secretKey)
    expect((await put(first, {}, next)).status).toBe(200)
    // A token sent along with an update is ignored, not spent.
    const later = signManifest({ ...first.manifest, seq: 3 }, first.root.secretKey)
    expect((await put(first, { authorization: setupAuthorization(unspent) }, later)).status).toBe(200)
    expect(
      (
        await put(
          first,
          { authorization: 'HeardSetup nonsense' },
          signManifest({ ...first.manifest, seq: 4 }, first.root.secretKey),
        )
      ).status,
    ).toBe(200)
    expect((await tokens()).filter((t) => t.spent_at === null)).toHaveLength(1)
    // It still creates a community afterwards.
    expect((await withToken(fakeCommunity('third-community', 1), unspent)).status).toBe(201)
  })

  it('lets exactly one of two concurrent creations with the same token land', async () => {
    const token = await mintSetupToken(ts.store, new Date())
    const racers = [fakeCommunity('racer-one', 1), fakeCommunity('racer-two', 1)]
    const answers = await Promise.all(racers.map((c) => withToken(c, token)))
    const outcomes = await Promise.all(
      answers.map(async (r) =>
        `${r.status} ${((await r.json()) as { error?: { code: string } }).error?.code ?? ''}`.trim(),
      ),
    )
    expect(outcomes.sort()).toEqual(['201', '403 setup_token_invalid'])
    const listed = ((await communities()) as { communities: { id: string }[] }).communities.map((c) => c.id)
    expect(listed.filter((id) => id.startsWith('racer-'))).toHaveLength(1)
    const spent = (await tokens()).filter((t) => t.community?.startsWith('racer-'))
    expect(spent).toHaveLength(1)
    expect(listed).toContain(spent[0]?.community)
  })

  it('supersedes unspent tokens when asked (as at start-up), marking them spent, never deleting them', async () => {
    const old = await mintSetupToken(ts.store, new Date())
    const count = (await tokens()).length
    const fresh = await mintSetupToken(ts.store, new Date(), { supersedeUnspent: true })
    const rows = await tokens()
    expect(rows).toHaveLength(count + 1)
    expect(rows.filter((t) => t.spent_at === null)).toHaveLength(1)
    expect(rows.filter((t) => t.spent_at !== null && t.community === null)).toHaveLength(1)
    expect((await withToken(fakeCommunity('superseded', 1), old)).status).toBe(403)
    expect((await withToken(fakeCommunity('not-superseded', 1), fresh)).status).toBe(201)
  })

  describe('refuses to create a community without a good token, and changes nothing', () => {
    const stranger = fakeCommunity('strangers-community', 1)
    const cases: { name: string; code: ErrorCode; request: () => Response | Promise<Response> }[] = [
      { name: 'no Authorization header', code: 'setup_token_required', request: () => put(stranger) },
      {
        name: 'another scheme (a broker session)',
        code: 'setup_token_required',
        request: () => put(stranger, { authorization: `Bearer ${toBase64url(randomBytes(32))}` }),
      },
      {
        name: 'the scheme in lower case',
        code: 'setup_token_required',
        request: () => put(stranger, { authorization: `heardsetup ${toBase64url(randomBytes(32))}` }),
      },
      {
        name: 'a well-formed token the relay never minted',
        code: 'setup_token_invalid',
        request: () => withToken(stranger, toBase64url(randomBytes(32))),
      },
      { name: 'a spent token', code: 'setup_token_invalid', request: () => withToken(stranger, spentToken) },
      {
        name: 'a token of the wrong length',
        code: 'setup_token_invalid',
        request: () => withToken(stranger, toBase64url(randomBytes(16))),
      },
      {
        name: 'a token that is not canonical base64url',
        code: 'setup_token_invalid',
        request: () => withToken(stranger, `${spentToken.slice(0, 42)}B`),
      },
      {
        name: 'a token with something after it',
        code: 'setup_token_invalid',
        request: () => put(stranger, { authorization: `${setupAuthorization(spentToken)} extra` }),
      },
      {
        name: 'the scheme alone',
        code: 'setup_token_invalid',
        request: () => put(stranger, { authorization: 'HeardSetup x' }),
      },
    ]

    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, { code, request }) => {
      const before = await ts.snapshot()
      const res = await request()
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect({ status: res.status, code: body.error?.code }).toEqual({ status: ERRORS[code].status, code })
      expect(body.error.message).toBe(ERRORS[code].message)
      expect(await ts.snapshot()).toBe(before)
    })

    it('leaves a good token unspent when the manifest is refused', async () => {
      const token = await mintSetupToken(ts.store, new Date())
      const before = await ts.snapshot()
      const forged = { ...stranger.signed, signature: toBase64url(new Uint8Array(64)) }
      const res = await put(stranger, { authorization: setupAuthorization(token) }, forged)
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_signature')
      expect(await ts.snapshot()).toBe(before)
      expect((await withToken(stranger, token)).status).toBe(201)
    })
  })
})

/** The relay as `npm start` runs it: it prints a link while it has no community, and only then. */
describe('setup links printed by the relay process', () => {
  let relay: RelayProcess | undefined
  afterEach(async () => relay?.stop())

  async function walkThrough(env: Record<string, string>) {
    relay = await startRelay(env)
    const link = relay.setupUrl
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/setup#[A-Za-z0-9_-]{43}$/)
    expect(link?.startsWith(`${relay.url}/setup#`)).toBe(true)
    // Restarting before anyone used it prints a new link, and the old one stops working.
    await relay.stop()
    relay = await startRelay(env)
    const second = relay.setupUrl
    expect(second).not.toBe(link)
    const c = fakeCommunity('printed-link', 1)
    const manifestUrl = `${relay.url}/api/v1/communities/${c.id}/manifest`
    expect((await fetch(manifestUrl, createCommunityRequest(c, tokenOfSetupLink(link)))).status).toBe(403)
    expect((await fetch(manifestUrl, createCommunityRequest(c, tokenOfSetupLink(second)))).status).toBe(201)
    // `npm run setup-link` mints another one on the same storage while the relay runs.
    const more = fakeCommunity('minted-link', 1)
    const token = await runSetupLink(env)
    const moreUrl = `${relay.url}/api/v1/communities/${more.id}/manifest`
    expect((await fetch(moreUrl, json(more.signed, 'PUT'))).status).toBe(401)
    expect((await fetch(moreUrl, createCommunityRequest(more, token))).status).toBe(201)
    // A relay that has a community prints no link.
    await relay.stop()
    relay = await startRelay(env)
    expect(relay.setupUrl).toBeNull()
    expect(relay.output()).not.toContain('/setup#')
  }

  it('SQLite', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'heard-setup-'))
    await walkThrough({ DATA_DIR: dataDir, STATIC_DIR: stubStaticDir() })
  })

  it('PostgreSQL', async () => {
    await walkThrough({ DATABASE_URL: await freshPgDatabase(), STATIC_DIR: stubStaticDir() })
  })
})
