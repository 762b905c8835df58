import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateSignKeyPair, type SignKeyPair, signDetached, toBase64url, utf8 } from '../../shared/crypto'
import {
  CANNED_RESPONSES_LIMITS,
  CANNED_RESPONSES_SIGNING_DOMAIN,
  type CannedResponse,
  type CannedResponsesV1,
  type CurrentCannedResponses,
  cannedResponsesPath,
  ERRORS,
  type ErrorCode,
  type SignedCannedResponses,
  signCannedResponses,
  signManifest,
  verifyCurrentCannedResponses,
} from '../../shared/protocol'
import { createApp, type RelayApp } from '../app'
import { silentLogger } from '../log'
import { MAX_CANNED_RESPONSES_BODY } from '../routes/canned-responses.routes'
import { type FakeCommunity, fakeCommunity, json } from './fixtures'
import { openBrokerSession, type RelayFetch } from './mailbox-client'
import { BACKENDS, type TestStore } from './stores'

const BASE = 'http://relay.test'

const responses: CannedResponse[] = [
  { kind: 'acknowledgement', language: 'en', text: 'Thank you for telling us. We have your report.' },
  { kind: 'acknowledgement', language: 'pt-BR', text: 'Obrigado por nos contar. Recebemos a sua denúncia.' },
  {
    kind: 'cannot_act',
    language: 'en',
    text: 'We cannot act on this, because it happened elsewhere.\nHere is why.',
  },
  { kind: 'closing', language: 'zh-Hans', text: '谢谢。我们将结束此案。' },
]

describe.each(BACKENDS)('canned responses on $name', ({ open: openStore }) => {
  let ts: TestStore
  let app: RelayApp
  let fetcher: RelayFetch
  const community: FakeCommunity = fakeCommunity('wiki-example', 2)
  const elsewhere: FakeCommunity = fakeCommunity('other-wiki', 1)
  /** A community whose second broker is removed after logging in. */
  const shrinking: FakeCommunity = fakeCommunity('shrinking-wiki', 2)
  const [ada, bo] = community.brokers.map((b) => b.sign) as [SignKeyPair, SignKeyPair]
  let token: string
  let boToken: string
  let elsewhereToken: string
  let removedToken: string
  let keptToken: string

  const url = (forCommunity = community.id) => `${BASE}${cannedResponsesPath(forCommunity)}`
  const put = (body: unknown, bearer: string | null = token, forCommunity = community.id) =>
    app.request(url(forCommunity), {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  const get = (bearer: string | null = token, forCommunity = community.id) =>
    app.request(url(forCommunity), { headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` } })
  const current = async (forCommunity = community.id, bearer = token) => {
    const res = await get(bearer, forCommunity)
    expect(res.status).toBe(200)
    return ((await res.json()) as CurrentCannedResponses).current
  }
  /** The seq the next version must carry, read from the store at the moment of asking. */
  const nextSeq = async (forCommunity = community.id) =>
    ((await ts.store.currentCannedResponses(forCommunity))?.seq ?? 0) + 1
  const doc = (overrides: Partial<CannedResponsesV1>, signer: SignKeyPair = ada): CannedResponsesV1 => ({
    v: 1,
    community: community.id,
    seq: 1,
    issuedAt: '2026-11-25T10:31:07.000Z',
    author: toBase64url(signer.publicKey),
    responses,
    ...overrides,
  })
  /** The next version of `community`'s canned responses, signed by `signer`. */
  const next = async (signer: SignKeyPair = ada, overrides: Partial<CannedResponsesV1> = {}) =>
    signCannedResponses(doc({ seq: await nextSeq(overrides.community), ...overrides }, signer), signer)
  /** Sign any payload text with a key, bypassing signCannedResponses' own checks. */
  const signRaw = (text: string, signer: SignKeyPair = ada): SignedCannedResponses => ({
    payload: toBase64url(utf8(text)),
    signature: toBase64url(signDetached(CANNED_RESPONSES_SIGNING_DOMAIN, utf8(text), signer.secretKey)),
  })
  const rows = async () =>
    (JSON.parse(await ts.snapshot()) as { canned_responses: { community: string; seq: number | string }[] })
      .canned_responses

  beforeAll(async () => {
    ts = await openStore()
    // Not a test of setup links (setup.int.test.ts is): communities are created freely.
    app = await createApp({ store: ts.store, log: silentLogger, staticDir: null, communitySetup: 'open' })
    fetcher = async (u, init) => app.request(u, init)
    for (const c of [community, elsewhere, shrinking]) {
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
    keptToken = await login(shrinking, 0)
    removedToken = await login(shrinking, 1)
    const fewer = { ...shrinking.manifest, seq: 2, brokers: shrinking.manifest.brokers.slice(0, 1) }
    const update = json(signManifest(fewer, shrinking.root.secretKey), 'PUT')
    expect((await app.request(`/api/v1/communities/${shrinking.id}/manifest`, update)).status).toBe(200)
  })
  afterAll(async () => ts?.close())

  it('has none at first, then serves each new version to every broker, and keeps every version', async () => {
    expect(await current()).toBeNull()
    const first = await next(ada)
    const res = await put(first)
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ community: community.id, seq: 1 })
    const served = await current(community.id, boToken)
    expect(served).toEqual({ seq: 1, ...first })
    const verified = verifyCurrentCannedResponses(served as never, {
      manifest: community.manifest,
      community: community.id,
    })
    expect(verified.responses).toEqual(responses)

    // Bo edits: the next version, signed by Bo.
    const edited = [...responses, { kind: 'referral' as const, language: 'en', text: 'Try this helpline.' }]
    const second = signCannedResponses(doc({ seq: 2, responses: edited }, bo), bo)
    expect((await put(second, boToken)).status).toBe(201)
    expect(await current()).toEqual({ seq: 2, ...second })
    expect((await rows()).filter((r) => r.community === community.id).map((r) => Number(r.seq))).toEqual([
      1, 2,
    ])
    // Other communities have none.
    expect(await current(elsewhere.id, elsewhereToken)).toBeNull()
  })

  it("takes a current broker's signed document from another broker's session", async () => {
    // The signature, not the session, says who wrote it: Ada's document posted with Bo's session.
    const byAda = await next(ada)
    expect((await put(byAda, boToken)).status).toBe(201)
    const served = await current()
    expect(served?.payload).toBe(byAda.payload)
  })

  it('lets exactly one of two versions signed against the same current one land', async () => {
    const seq = await nextSeq()
    const before = await rows()
    const answers = await Promise.all([
      put(signCannedResponses(doc({ seq, responses: responses.slice(0, 1) }, ada), ada), token),
      put(signCannedResponses(doc({ seq, responses: responses.slice(1) }, bo), bo), boToken),
    ])
    const outcomes = await Promise.all(
      answers.map(async (r) =>
        `${r.status} ${((await r.json()) as { error?: { code: string } }).error?.code ?? ''}`.trim(),
      ),
    )
    expect(outcomes.sort()).toEqual(['201', '409 canned_responses_changed'])
    expect(await rows()).toHaveLength(before.length + 1)
    expect((await current())?.seq).toBe(seq)
  })

  it('takes a document up to the 256 KiB payload limit, whose body is larger than the payload', async () => {
    const big = Array.from({ length: 64 }, (_, i) => ({
      kind: 'acknowledgement' as const,
      language: `en-x${i}`,
      text: 'x'.repeat(CANNED_RESPONSES_LIMITS.textChars),
    }))
    const signed = await next(ada, { responses: big })
    const body = JSON.stringify(signed)
    expect(body.length).toBeGreaterThan(320 * 1024)
    expect(body.length).toBeLessThan(MAX_CANNED_RESPONSES_BODY)
    const res = await put(body)
    expect(res.status).toBe(201)
    expect((await current())?.payload).toBe(signed.payload)
  })

  it('describes both methods in the OpenAPI document', async () => {
    const spec = (await (await app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>
    }
    expect(Object.keys(spec.paths['/communities/{community}/canned-responses'] ?? {}).sort()).toEqual([
      'get',
      'put',
    ])
  })

  describe('refuses bad input with its documented code and changes nothing', () => {
    const stranger = generateSignKeyPair()
    const cases: { name: string; code: ErrorCode; request: () => Response | Promise<Response> }[] = [
      { name: 'PUT without a session', code: 'unauthorized', request: async () => put(await next(), null) },
      { name: 'GET without a session', code: 'unauthorized', request: () => get(null) },
      {
        name: 'a body that is not JSON, without a session (the session is checked first)',
        code: 'unauthorized',
        request: () => put('{"payload":', null),
      },
      { name: 'a malformed bearer token', code: 'unauthorized', request: async () => put(await next(), '!') },
      {
        name: 'an unknown bearer token',
        code: 'session_expired',
        request: async () => put(await next(), 'x'.repeat(43)),
      },
      {
        name: 'a session of another community (PUT)',
        code: 'session_expired',
        request: async () => put(await next(), elsewhereToken),
      },
      {
        name: 'a session of another community (GET)',
        code: 'session_expired',
        request: () => get(elsewhereToken),
      },
      {
        name: 'a broker removed from the manifest (PUT)',
        code: 'not_a_broker',
        request: async () =>
          put(
            await next(shrinking.brokers[0]?.sign as SignKeyPair, { community: shrinking.id }),
            removedToken,
            shrinking.id,
          ),
      },
      {
        name: 'a broker removed from the manifest (GET)',
        code: 'not_a_broker',
        request: () => get(removedToken, shrinking.id),
      },
      {
        name: 'a document signed by a removed broker, posted by a current one',
        code: 'not_a_broker',
        request: async () => {
          const removed = shrinking.brokers[1]?.sign as SignKeyPair
          return put(await next(removed, { community: shrinking.id }), keptToken, shrinking.id)
        },
      },
      {
        name: 'an author who is no broker at all',
        code: 'not_a_broker',
        request: async () => put(await next(stranger)),
      },
      {
        name: "a document of another community (with this community's session)",
        code: 'community_mismatch',
        request: async () => put(await next(ada, { community: elsewhere.id })),
      },
      {
        name: "another broker's signature",
        code: 'bad_signature',
        request: async () => {
          const signed = await next(ada)
          return put({ ...signed, signature: (await next(bo)).signature })
        },
      },
      {
        name: 'a signature made for another purpose',
        code: 'bad_signature',
        request: async () => {
          const signed = await next(ada)
          const payload = Buffer.from(signed.payload, 'base64url')
          const asManifest = signDetached('heard/manifest/v1', payload, ada.secretKey)
          return put({ ...signed, signature: toBase64url(asManifest) })
        },
      },
      {
        name: 'the current version again',
        code: 'canned_responses_changed',
        request: async () => put(signCannedResponses(doc({ seq: (await nextSeq()) - 1 }), ada)),
      },
      {
        name: 'a version that skips one',
        code: 'canned_responses_changed',
        request: async () => put(signCannedResponses(doc({ seq: (await nextSeq()) + 1 }), ada)),
      },
      {
        name: 'a first version that is not 1',
        code: 'canned_responses_changed',
        request: async () =>
          put(
            signCannedResponses(
              doc({ community: elsewhere.id, seq: 2 }, elsewhere.brokers[0]?.sign as SignKeyPair),
              elsewhere.brokers[0]?.sign as SignKeyPair,
            ),
            elsewhereToken,
            elsewhere.id,
          ),
      },
      {
        name: 'two responses of one kind and language',
        code: 'invalid_body',
        request: async () => {
          const twice = { ...doc({ seq: await nextSeq() }), responses: [...responses, responses[0]] }
          return put(signRaw(JSON.stringify(twice)))
        },
      },
      {
        name: 'a payload over 256 KiB (within the body limit)',
        code: 'invalid_body',
        request: async () => {
          const big = Array.from({ length: 65 }, (_, i) => ({
            kind: 'closing',
            language: `en-x${i}`,
            text: 'x'.repeat(CANNED_RESPONSES_LIMITS.textChars),
          }))
          return put(signRaw(JSON.stringify({ ...doc({ seq: await nextSeq() }), responses: big })))
        },
      },
      {
        name: 'an oversized body',
        code: 'body_too_large',
        request: async () => put({ ...(await next()), payload: 'A'.repeat(MAX_CANNED_RESPONSES_BODY) }),
      },
      { name: 'a body that is not JSON', code: 'invalid_json', request: () => put('{"payload":') },
      {
        name: 'a payload that is not JSON',
        code: 'invalid_json',
        request: async () => put(signRaw('{"v":1,')),
      },
      {
        name: 'a body of the wrong shape',
        code: 'invalid_body',
        request: async () => put({ ...(await next()), extra: 1 }),
      },
      {
        name: 'a document of the wrong shape',
        code: 'invalid_body',
        request: async () => put(signRaw(JSON.stringify({ ...doc({ seq: await nextSeq() }), extra: 1 }))),
      },
      {
        name: 'a payload that is not canonical base64url',
        code: 'invalid_encoding',
        request: async () => put({ ...(await next()), payload: '+/+/' }),
      },
      {
        name: 'an unknown document version',
        code: 'unsupported_version',
        request: async () => put(signRaw(JSON.stringify({ ...doc({ seq: await nextSeq() }), v: 2 }))),
      },
      {
        name: 'a body not declared JSON',
        code: 'unsupported_media_type',
        request: async () =>
          app.request(url(), {
            method: 'PUT',
            headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
            body: JSON.stringify(await next()),
          }),
      },
      {
        name: 'an invalid community id',
        code: 'invalid_community',
        request: async () => put(await next(), token, 'Not_Valid'),
      },
      {
        name: 'a method the route does not take',
        code: 'method_not_allowed',
        request: async () =>
          app.request(url(), json(await next(), 'POST', { authorization: `Bearer ${token}` })),
      },
    ]

    it('has at least 12 documented cases', () => expect(cases.length).toBeGreaterThanOrEqual(12))

    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, { code, request }) => {
      const before = await ts.snapshot()
      const res = await request()
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect({ status: res.status, code: body.error?.code }).toEqual({ status: ERRORS[code].status, code })
      expect(body.error.message).toBe(ERRORS[code].message)
      expect(await ts.snapshot()).toBe(before)
    })
  })
})
