import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateBoxKeyPair, generateSignKeyPair, mailboxIdOf, type SignKeyPair } from '../../shared/crypto'
import { ERRORS, mailboxAuthorization } from '../../shared/protocol'
import { createApp, type RelayApp } from '../app'
import { silentLogger } from '../log'
import { fakeCommunity, fakeReport, json, signChallenge } from './fixtures'
import { mailboxUrl, openBrokerSession, postOwnerMessage, sealReply } from './mailbox-client'
import { mutatedBodies } from './mutations'
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
    app = await createApp({ store: ts.store, log: silentLogger, staticDir: null })
    expect(
      (await app.request(`/api/v1/communities/${community.id}/manifest`, json(community.signed, 'PUT')))
        .status,
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

  it(`POST auth/session: ${RUNS} mutations of a valid signed challenge`, async () => {
    const res = await app.request(`/api/v1/communities/${community.id}/auth/challenge`, { method: 'POST' })
    const { challenge } = (await res.json()) as { challenge: string }
    await fuzz(`/communities/${community.id}/auth/session`, 'POST', signChallenge(community, 0, challenge))
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
