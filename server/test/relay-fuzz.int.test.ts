import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  generateBoxKeyPair,
  generateSignKeyPair,
  mailboxIdOf,
  type SignKeyPair,
  toBase64url,
} from '../../shared/crypto'
import {
  CHUNK_HEADER_BYTES,
  ERRORS,
  MAX_CHUNK_ENVELOPE_BYTES,
  mailboxAuthorization,
  setupAuthorization,
  signCannedResponses,
  signCaseEvent,
} from '../../shared/protocol'
import { createApp, type RelayApp } from '../app'
import { mintSetupToken } from '../auth/setup-token'
import { silentLogger } from '../log'
import { chunkPut, chunkUrl, sealFile } from './attachment-client'
import { postCaseEvent } from './case-client'
import { createCommunityRequest, fakeCommunity, fakeReport, json, signChallenge } from './fixtures'
import { mailboxUrl, openBrokerSession, postOwnerMessage, sealReply } from './mailbox-client'
import { mutatedBinaryBodies, mutatedBodies } from './mutations'
import { BACKENDS, type TestStore } from './stores'

const RUNS = 2000
/** Each owner-signed run costs an Ed25519 signature and a verification (~20 ms in tweetnacl). */
const SIGNED_RUNS = 500
const KNOWN_CODES = new Set(Object.keys(ERRORS))

/**
 * Fuzz every write route with mutations of a valid request: every answer must be a typed 4xx
 * (never a 5xx, never a hang), and no table may change.
 */
describe.each(BACKENDS)('fuzzing write routes on $name', ({ open }) => {
  let ts: TestStore
  let app: RelayApp
  const community = fakeCommunity('fuzz-community', 2)

  beforeAll(async () => {
    ts = await open()
    // As in production: a new community needs a setup token.
    app = await createApp({ store: ts.store, log: silentLogger, staticDir: null })
    const token = await mintSetupToken(ts.store, new Date())
    expect(
      (
        await app.request(
          `/api/v1/communities/${community.id}/manifest`,
          createCommunityRequest(community, token),
        )
      ).status,
    ).toBe(201)
  })
  afterAll(async () => ts?.close())

  /** `headers` adds request headers that may depend on the exact body (a signature over it). */
  async function fuzz(
    path: string,
    method: string,
    base: unknown,
    headers: (body: string) => Record<string, string> = () => ({}),
    runs = RUNS,
  ) {
    const before = await ts.snapshot()
    const statuses = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(mutatedBodies(base as never), async (body) => {
        const init = json(body, method)
        const res = await app.request(`/api/v1${path}`, {
          ...init,
          headers: { ...(init.headers as Record<string, string>), ...headers(body) },
        })
        const answer = (await res.json()) as { error?: { code?: string } }
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
        expect(res.status).toBeGreaterThanOrEqual(400)
        expect(res.status).toBeLessThan(500)
        expect(KNOWN_CODES.has(answer.error?.code ?? '')).toBe(true)
      }),
      { numRuns: runs, endOnFailure: true },
    )
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(runs)
    expect(await ts.snapshot()).toBe(before)
  }

  it(`POST reports: ${RUNS} mutations of a stored envelope`, async () => {
    const stored = await fakeReport(community, 'the report being fuzzed')
    expect((await app.request(`/api/v1/communities/${community.id}/reports`, json(stored))).status).toBe(201)
    await fuzz(`/communities/${community.id}/reports`, 'POST', stored)
  })

  it(`PUT manifest: ${RUNS} mutations of the next valid manifest`, async () => {
    const next = fakeCommunity(community.id, 2, 2, community.root)
    await fuzz(`/communities/${community.id}/manifest`, 'PUT', next.signed)
  })

  describe('PUT manifest creating a community', () => {
    const newcomer = fakeCommunity('fuzz-newcomer', 1)
    const path = `/communities/${newcomer.id}/manifest`

    it(`with a valid setup token: ${RUNS} mutations of its valid first manifest`, async () => {
      // Minted before fuzz() takes its snapshot, and still unspent after every run.
      const token = await mintSetupToken(ts.store, new Date())
      await fuzz(path, 'PUT', newcomer.signed, () => ({ authorization: setupAuthorization(token) }))
    })

    it(`with a valid manifest: ${RUNS} Authorization headers that are not an unspent token`, async () => {
      const spent = await mintSetupToken(ts.store, new Date())
      expect(
        (
          await app.request(
            `/api/v1/communities/fuzz-spender/manifest`,
            createCommunityRequest(fakeCommunity('fuzz-spender', 1), spent),
          )
        ).status,
      ).toBe(201)
      const unspent = await mintSetupToken(ts.store, new Date())
      const printable = fc.string({
        unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
        maxLength: 80,
      })
      const base64url = fc.string({
        unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
        maxLength: 60,
      })
      const flipped = fc
        .tuple(fc.nat(42), fc.constantFrom(...'AQgw-_z9'))
        .map(([at, ch]) => `${unspent.slice(0, at)}${ch}${unspent.slice(at + 1)}`)
      const header = fc
        .oneof(
          printable,
          fc.tuple(printable, printable).map(([a, b]) => `${a} ${b}`),
          base64url.map((t) => `HeardSetup ${t}`),
          flipped.map((t) => `HeardSetup ${t}`),
          fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => `HeardSetup ${toBase64url(b)}`),
          fc.constantFrom(
            `HeardSetup ${spent}`,
            `Bearer ${unspent}`,
            `heardsetup ${unspent}`,
            `HEARDSETUP ${unspent}`,
            `HeardSetup  ${unspent}`,
            `HeardSetup ${unspent} ${unspent}`,
            `HeardSetup ${unspent}=`,
            `HeardSetup ${unspent}A`,
            `HeardSetup ${unspent.slice(0, 42)}`,
            `HeardSetup\t${unspent}`,
            `HeardSetup,${unspent}`,
            `HeardSetup=${unspent}`,
            'HeardSetup',
          ),
          fc.constant(null),
        )
        // Headers trim the value: nothing may come out as exactly the unspent token.
        .filter((h) => h?.trim() !== `HeardSetup ${unspent}`)
      const before = await ts.snapshot()
      const codes = new Map<string, number>()
      await fc.assert(
        fc.asyncProperty(header, async (authorization) => {
          const res = await app.request(
            `/api/v1${path}`,
            json(newcomer.signed, 'PUT', authorization === null ? {} : { authorization }),
          )
          const code = ((await res.json()) as { error?: { code?: string } }).error?.code ?? `${res.status}`
          codes.set(code, (codes.get(code) ?? 0) + 1)
          expect(['setup_token_required', 'setup_token_invalid']).toContain(code)
          expect(res.status).toBe(code === 'setup_token_required' ? 401 : 403)
        }),
        { numRuns: RUNS, endOnFailure: true },
      )
      expect([...codes.keys()].sort()).toEqual(['setup_token_invalid', 'setup_token_required'])
      expect(await ts.snapshot()).toBe(before)
    })
  })

  it(`POST case events as a broker: ${RUNS} mutations of a stored event`, async () => {
    const relay = { baseUrl: '', fetch: async (url: string, init?: RequestInit) => app.request(url, init) }
    const author = community.brokers[0]?.sign as SignKeyPair
    const token = await openBrokerSession({ ...relay, community: community.id, brokerSignKeyPair: author })
    const report = await fakeReport(community, 'the case being fuzzed')
    expect((await app.request(`/api/v1/communities/${community.id}/reports`, json(report))).status).toBe(201)
    const signed = signCaseEvent(
      {
        v: 1,
        case: report.id,
        at: new Date().toISOString(),
        author: toBase64url(author.publicKey),
        change: { type: 'status', status: 'in_progress' },
      },
      author,
    )
    const { envelope } = await postCaseEvent({
      ...relay,
      community: community.id,
      token,
      caseId: report.id,
      recipients: community.brokers.map((b) => b.box.publicKey),
      signed,
    })
    await fuzz(`/communities/${community.id}/cases/${report.id}/events`, 'POST', envelope, () => ({
      authorization: `Bearer ${token}`,
    }))
  })

  it(`PUT canned responses as a broker: ${SIGNED_RUNS} mutations of the current version`, async () => {
    const relay = { baseUrl: '', fetch: async (url: string, init?: RequestInit) => app.request(url, init) }
    const author = community.brokers[0]?.sign as SignKeyPair
    const token = await openBrokerSession({ ...relay, community: community.id, brokerSignKeyPair: author })
    const signed = signCannedResponses(
      {
        v: 1,
        community: community.id,
        seq: 1,
        issuedAt: new Date().toISOString(),
        author: toBase64url(author.publicKey),
        responses: [{ kind: 'acknowledgement', language: 'en', text: 'We have your report.' }],
      },
      author,
    )
    const path = `/communities/${community.id}/canned-responses`
    const put = json(signed, 'PUT', { authorization: `Bearer ${token}` })
    expect((await app.request(`/api/v1${path}`, put)).status).toBe(201)
    // The stored version again is refused (409), and so is every mutation of it.
    await fuzz(path, 'PUT', signed, () => ({ authorization: `Bearer ${token}` }), SIGNED_RUNS)
  })

  it(`POST auth/session: ${RUNS} mutations of a valid signed challenge`, async () => {
    const res = await app.request(`/api/v1/communities/${community.id}/auth/challenge`, { method: 'POST' })
    const { challenge } = (await res.json()) as { challenge: string }
    await fuzz(`/communities/${community.id}/auth/session`, 'POST', signChallenge(community, 0, challenge))
  })

  it(`PUT attachment chunks: ${RUNS} mutations of a stored chunk and its Content-Type`, async () => {
    const report = await fakeReport(community, 'the report whose file is fuzzed')
    expect((await app.request(`/api/v1/communities/${community.id}/reports`, json(report))).status).toBe(201)
    const file = sealFile(community.id, new TextEncoder().encode('a file being fuzzed'))
    const stored = file.chunks[0] as Uint8Array
    const url = chunkUrl('', community.id, report.id, file.ref.id, 0)
    expect((await app.request(url, chunkPut(stored))).status).toBe(201)
    const printable = fc.string({
      unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: 40,
    })
    const contentType = fc.oneof(
      { weight: 6, arbitrary: fc.constant('application/octet-stream') },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          'application/octet-stream; charset=binary',
          'APPLICATION/OCTET-STREAM',
          'application/json',
          'text/plain',
          'application/octet',
          'application/octet-streams',
          'multipart/form-data; boundary=x',
          '',
          null,
        ),
      },
      { weight: 1, arbitrary: printable },
    )
    const before = await ts.snapshot()
    const codes = new Map<string, number>()
    await fc.assert(
      fc.asyncProperty(
        mutatedBinaryBodies(stored, CHUNK_HEADER_BYTES, MAX_CHUNK_ENVELOPE_BYTES),
        contentType,
        async (body, type) => {
          const res = await app.request(url, {
            method: 'PUT',
            headers: type === null ? {} : { 'content-type': type },
            body: body as Uint8Array<ArrayBuffer>,
          })
          const code = ((await res.json()) as { error?: { code?: string } }).error?.code ?? ''
          codes.set(code, (codes.get(code) ?? 0) + 1)
          expect(res.status).toBeGreaterThanOrEqual(400)
          expect(res.status).toBeLessThan(500)
          expect(KNOWN_CODES.has(code)).toBe(true)
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    )
    expect([...codes.values()].reduce((a, b) => a + b, 0)).toBe(RUNS)
    // The mutations reach every check a chunk body meets, up to the stored place itself.
    expect([...codes.keys()]).toEqual(
      expect.arrayContaining([
        'unsupported_chunk_media_type',
        'body_too_large',
        'invalid_chunk',
        'unsupported_version',
        'unpadded_ciphertext',
        'chunk_mismatch',
        'chunk_conflict',
      ]),
    )
    expect(await ts.snapshot()).toBe(before)
  })

  describe('POST mailbox', () => {
    const owner: SignKeyPair = generateSignKeyPair()
    const mailbox = mailboxIdOf(owner.publicKey)
    const path = `/communities/${community.id}/mailboxes/${mailbox}`
    const relay = () => ({
      baseUrl: '',
      fetch: async (url: string, init?: RequestInit) => app.request(url, init),
    })

    it(`as the owner, each body signed: ${SIGNED_RUNS} mutations of a stored envelope`, async () => {
      const stored = await sealReply({
        community: community.id,
        recipients: community.brokers.map((b) => b.box.publicKey),
        text: 'the answer being fuzzed',
      })
      const first = await postOwnerMessage({
        ...relay(),
        community: community.id,
        ownerSignKeyPair: owner,
        envelope: stored,
      })
      expect(first.status).toBe(201)
      await fuzz(
        path,
        'POST',
        stored,
        (body) => ({
          authorization: mailboxAuthorization({
            community: community.id,
            mailbox,
            method: 'POST',
            body,
            signKeyPair: owner,
          }),
        }),
        SIGNED_RUNS,
      )
    })

    it(`as a broker: ${RUNS} mutations of a stored reply`, async () => {
      const token = await openBrokerSession({
        ...relay(),
        community: community.id,
        brokerSignKeyPair: community.brokers[0]?.sign as SignKeyPair,
      })
      const stored = await sealReply({
        community: community.id,
        recipients: [generateBoxKeyPair().publicKey],
        text: 'a reply being fuzzed',
      })
      const res = await app.request(mailboxUrl('', community.id, mailbox), {
        ...json(stored),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      })
      expect(res.status).toBe(201)
      await fuzz(path, 'POST', stored, () => ({ authorization: `Bearer ${token}` }))
    })
  })
})
