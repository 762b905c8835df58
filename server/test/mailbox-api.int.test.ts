import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type BoxKeyPair,
  generateBoxKeyPair,
  generateSignKeyPair,
  mailboxIdOf,
  open,
  type SignKeyPair,
  sha256,
  signDetached,
  toBase64url,
  utf8,
} from '../../shared/crypto'
import {
  canonicalEnvelopeText,
  decodeReply,
  type EnvelopeV1Json,
  ERRORS,
  type ErrorCode,
  envelopeFromJson,
  MAILBOX_REQUEST_DOMAIN,
  type MailboxPage,
  mailboxAuthorization,
  mailboxRequestMessage,
} from '../../shared/protocol'
import { createApp, type RelayApp } from '../app'
import { silentLogger } from '../log'
import { type FakeCommunity, fakeCommunity, fakeReport, json } from './fixtures'
import {
  mailboxUrl,
  openBrokerSession,
  postBrokerReply,
  postOwnerMessage,
  type RelayFetch,
  readMailbox,
  sealReply,
} from './mailbox-client'
import { BACKENDS, type TestStore } from './stores'

const BASE = 'http://relay.test'

describe.each(BACKENDS)('follow-up mailboxes on $name', ({ open: openStore }) => {
  let ts: TestStore
  let app: RelayApp
  let fetcher: RelayFetch
  let clock = Date.parse('2026-11-25T10:30:00Z')
  const now = () => new Date(clock)
  const community: FakeCommunity = fakeCommunity('wiki-example', 2)
  const elsewhere: FakeCommunity = fakeCommunity('other-wiki', 1)
  /** The complainant: a sign key pair (owns the mailbox) and a box key pair (brokers seal replies to it). */
  const owner: SignKeyPair = generateSignKeyPair()
  const replyBox: BoxKeyPair = generateBoxKeyPair()
  const mailbox = mailboxIdOf(owner.publicKey)
  const stranger: SignKeyPair = generateSignKeyPair()
  const brokerKeys = community.brokers.map((b) => b.box.publicKey)
  let token: string
  let elsewhereToken: string
  /** A complainant's message already stored in the mailbox (the base of conflict cases). */
  let stored: EnvelopeV1Json

  const path = (m = mailbox, c = community.id) => mailboxUrl(BASE, c, m)
  const ownerAuth = (input: {
    body?: string
    method?: string
    signer?: SignKeyPair
    forMailbox?: string
    forCommunity?: string
    at?: number
  }) =>
    mailboxAuthorization({
      community: input.forCommunity ?? community.id,
      mailbox: input.forMailbox ?? mailbox,
      method: input.method ?? 'POST',
      body: input.body ?? '',
      signKeyPair: input.signer ?? owner,
      now: new Date(input.at ?? clock),
    })
  /** POST `body` as the owner, signed over exactly that text unless `authorization` says otherwise. */
  const ownerPost = (body: unknown, url = path(), authorization?: string) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body)
    return app.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: authorization ?? ownerAuth({ body: text }),
      },
      body: text,
    })
  }
  const ownerGet = (query = '', authorization = ownerAuth({ method: 'GET' }), url = path()) =>
    app.request(`${url}${query}`, { headers: { authorization } })
  const brokerPost = (body: unknown, bearer = token, url = path()) =>
    app.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: JSON.stringify(body),
    })

  beforeAll(async () => {
    ts = await openStore()
    // Not a test of setup links (setup.int.test.ts is): communities are created freely.
    app = await createApp({
      store: ts.store,
      log: silentLogger,
      staticDir: null,
      now,
      communitySetup: 'open',
    })
    fetcher = async (url, init) => app.request(url, init)
    for (const c of [community, elsewhere]) {
      const res = await app.request(`/api/v1/communities/${c.id}/manifest`, json(c.signed, 'PUT'))
      expect(res.status).toBe(201)
    }
    const brokerSign = community.brokers[0]?.sign as SignKeyPair
    token = await openBrokerSession({
      baseUrl: BASE,
      fetch: fetcher,
      community: community.id,
      brokerSignKeyPair: brokerSign,
    })
    elsewhereToken = await openBrokerSession({
      baseUrl: BASE,
      fetch: fetcher,
      community: elsewhere.id,
      brokerSignKeyPair: elsewhere.brokers[0]?.sign as SignKeyPair,
    })
    stored = await sealReply({ community: community.id, recipients: brokerKeys, text: 'first answer' })
    expect((await ownerPost(stored)).status).toBe(201)
  })
  afterAll(async () => ts?.close())

  it('stores a complainant’s answer, answers a retry with the same receipt, and the brokers can open it', async () => {
    const envelope = await sealReply({
      community: community.id,
      recipients: brokerKeys,
      text: 'He wrote to me again yesterday.',
      sentAt: '2026-11-25T10:29:13.000Z',
    })
    const first = await postOwnerMessage({
      baseUrl: BASE,
      fetch: fetcher,
      now: now(),
      community: community.id,
      ownerSignKeyPair: owner,
      envelope,
    })
    expect(first.status).toBe(201)
    expect(first.receipt).toEqual({
      community: community.id,
      mailbox,
      id: envelope.id,
      hash: toBase64url(sha256(utf8(canonicalEnvelopeText(envelope)))),
      seq: expect.any(Number),
      receivedAt: '2026-11-25T10:00:00.000Z', // coarsened to the hour
    })
    const retry = await postOwnerMessage({
      baseUrl: BASE,
      fetch: fetcher,
      now: now(),
      community: community.id,
      ownerSignKeyPair: owner,
      envelope,
    })
    expect(retry).toEqual({ status: 200, receipt: first.receipt })

    // The owner reads it back; a broker session reads it too, and a broker's key opens it.
    const mine = await readMailbox({
      baseUrl: BASE,
      fetch: fetcher,
      now: now(),
      community: community.id,
      ownerSignKeyPair: owner,
    })
    const asBroker = await readMailbox({
      baseUrl: BASE,
      fetch: fetcher,
      community: community.id,
      token,
      mailbox,
    })
    expect(asBroker).toEqual(mine)
    const message = mine.messages.find((m) => m.seq === first.receipt.seq)
    expect(message).toMatchObject({ sender: 'complainant', receivedAt: '2026-11-25T10:00:00.000Z' })
    expect(canonicalEnvelopeText(message?.envelope as EnvelopeV1Json)).toBe(canonicalEnvelopeText(envelope))
    const opened = await open(
      envelopeFromJson(message?.envelope as EnvelopeV1Json),
      community.brokers[1]?.box.secretKey as never,
    )
    expect(decodeReply(opened)).toEqual({
      v: 1,
      text: 'He wrote to me again yesterday.',
      sentAt: '2026-11-25T10:29:13.000Z',
    })
  })

  it('delivers a broker’s reply, which the complainant reads as from a broker and opens', async () => {
    const { receipt, envelope } = await postBrokerReply({
      baseUrl: BASE,
      fetch: fetcher,
      community: community.id,
      mailbox,
      brokerSignKeyPair: community.brokers[1]?.sign as SignKeyPair,
      replyBoxKey: replyBox.publicKey,
      text: 'Thank you. Could you tell us which page it was on?',
    })
    expect(receipt).toMatchObject({ community: community.id, mailbox, id: envelope.id })
    const page = await readMailbox({
      baseUrl: BASE,
      fetch: fetcher,
      now: now(),
      community: community.id,
      ownerSignKeyPair: owner,
      after: String(receipt.seq - 1),
    })
    expect(page.messages.map((m) => [m.seq, m.sender])).toEqual([[receipt.seq, 'broker']])
    expect(page.next).toBe(String(receipt.seq))
    const opened = await open(
      envelopeFromJson(page.messages[0]?.envelope as EnvelopeV1Json),
      replyBox.secretKey,
    )
    expect(decodeReply(opened)).toEqual({ v: 1, text: 'Thank you. Could you tell us which page it was on?' })
    // Caught up: an empty page keeps the cursor.
    const caughtUp = await readMailbox({
      baseUrl: BASE,
      fetch: fetcher,
      now: now(),
      community: community.id,
      ownerSignKeyPair: owner,
      after: page.next,
    })
    expect(caughtUp).toEqual({ messages: [], next: page.next })
  })

  it('pages oldest first, and keeps mailboxes apart', async () => {
    const all = await readMailbox({ baseUrl: BASE, fetch: fetcher, community: community.id, token, mailbox })
    expect(all.messages.length).toBeGreaterThanOrEqual(3)
    const seqs = all.messages.map((m) => m.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    const first = await readMailbox({
      baseUrl: BASE,
      fetch: fetcher,
      now: now(),
      community: community.id,
      ownerSignKeyPair: owner,
      limit: 1,
    })
    expect(first.messages.map((m) => m.seq)).toEqual([seqs[0]])
    expect(first.next).toBe(String(seqs[0]))
    // Another complainant's mailbox in the same community, and the same key in another community.
    const theirs = await readMailbox({
      baseUrl: BASE,
      fetch: fetcher,
      now: now(),
      community: community.id,
      ownerSignKeyPair: stranger,
    })
    expect(theirs).toEqual({ messages: [], next: '0' })
    const sameKeyElsewhere = await readMailbox({
      baseUrl: BASE,
      fetch: fetcher,
      now: now(),
      community: elsewhere.id,
      ownerSignKeyPair: owner,
    })
    expect(sameKeyElsewhere).toEqual({ messages: [], next: '0' })
  })

  it('accepts a signature made up to five minutes either side of the relay clock', async () => {
    for (const skew of [-300_000, 300_000]) {
      const res = await ownerGet('', ownerAuth({ method: 'GET', at: clock + skew }))
      expect(res.status).toBe(200)
    }
  })

  it('describes the mailbox routes in the OpenAPI document', async () => {
    const spec = (await (await app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>
    }
    const route = spec.paths['/communities/{community}/mailboxes/{mailbox}']
    expect(Object.keys(route ?? {})).toEqual(expect.arrayContaining(['get', 'post']))
  })

  describe('refuses bad input with its documented code and changes nothing', () => {
    /** A session that expired five minutes ago (made by its case's setup). */
    let expired = ''
    const cases: {
      name: string
      code: ErrorCode
      setup?: () => Promise<void>
      request: () => Response | Promise<Response>
    }[] = [
      {
        name: 'POST without authorization',
        code: 'mailbox_auth_required',
        request: () => app.request(path(), json(stored)),
      },
      {
        name: 'GET without authorization',
        code: 'mailbox_auth_required',
        request: () => app.request(path()),
      },
      {
        name: 'another authorization scheme',
        code: 'mailbox_auth_required',
        request: () => ownerPost(stored, path(), `Basic ${btoa('owner:secret')}`),
      },
      {
        name: 'malformed HeardMailbox header (short signature)',
        code: 'mailbox_auth_required',
        request: () => ownerPost(stored, path(), ownerAuth({ body: JSON.stringify(stored) }).slice(0, -2)),
      },
      {
        name: 'malformed HeardMailbox header (time not ISO 8601 UTC)',
        code: 'mailbox_auth_required',
        request: () =>
          ownerPost(
            stored,
            path(),
            ownerAuth({ body: JSON.stringify(stored) }).replace(
              /time=[^,]+/,
              'time=2026-11-25T10:30:00+01:00',
            ),
          ),
      },
      {
        name: 'malformed HeardMailbox header (non-canonical key)',
        code: 'mailbox_auth_required',
        request: () =>
          ownerPost(
            stored,
            path(),
            ownerAuth({ body: JSON.stringify(stored) }).replace(/key=(\S{42})\S/, 'key=$1B'),
          ),
      },
      {
        name: 'a key that does not own the mailbox',
        code: 'mailbox_key_mismatch',
        request: () =>
          ownerPost(stored, path(), ownerAuth({ body: JSON.stringify(stored), signer: stranger })),
      },
      {
        name: 'a signature made more than five minutes ago',
        code: 'request_time_skew',
        request: () =>
          ownerPost(stored, path(), ownerAuth({ body: JSON.stringify(stored), at: clock - 301_000 })),
      },
      {
        name: 'a signature dated ten minutes ahead',
        code: 'request_time_skew',
        request: () => ownerGet('', ownerAuth({ method: 'GET', at: clock + 600_000 })),
      },
      {
        name: 'a signature over another body',
        code: 'bad_signature',
        request: () =>
          ownerPost({ ...stored, kind: 'report' }, path(), ownerAuth({ body: JSON.stringify(stored) })),
      },
      {
        name: 'a signature made for GET, used for POST',
        code: 'bad_signature',
        request: () => ownerPost(stored, path(), ownerAuth({ method: 'GET', body: JSON.stringify(stored) })),
      },
      {
        name: 'a signature made for another community',
        code: 'bad_signature',
        request: () =>
          ownerPost(stored, path(), ownerAuth({ body: JSON.stringify(stored), forCommunity: elsewhere.id })),
      },
      {
        name: 'a signature that is not the owner’s',
        code: 'bad_signature',
        request: () => {
          const header = ownerAuth({ body: JSON.stringify(stored) })
          const time = /time=([^,]+)/.exec(header)?.[1] ?? ''
          const forged = signDetached(
            MAILBOX_REQUEST_DOMAIN,
            mailboxRequestMessage({
              community: community.id,
              mailbox,
              method: 'POST',
              time,
              bodyHash: sha256(utf8(JSON.stringify(stored))),
            }),
            stranger.secretKey,
          )
          return ownerPost(stored, path(), header.replace(/sig=\S+$/, `sig=${toBase64url(forged)}`))
        },
      },
      {
        name: 'a mailbox id that is too short',
        code: 'invalid_mailbox',
        request: () => ownerPost(stored, path(mailbox.slice(0, 21))),
      },
      {
        name: 'a mailbox id that is not canonical base64url',
        code: 'invalid_mailbox',
        request: () => ownerGet('', ownerAuth({ method: 'GET' }), path(`${mailbox.slice(0, 21)}B`)),
      },
      {
        name: 'an invalid community id',
        code: 'invalid_community',
        request: () => ownerPost(stored, path(mailbox, 'Not_Valid')),
      },
      {
        name: 'an envelope of another kind',
        code: 'wrong_kind',
        request: async () => ownerPost(await fakeReport(community, 'a report, not a reply')),
      },
      {
        name: 'an envelope for another community',
        code: 'community_mismatch',
        request: async () =>
          ownerPost(await sealReply({ community: elsewhere.id, recipients: brokerKeys, text: 'x' })),
      },
      {
        name: 'an id not derived from its key',
        code: 'id_mismatch',
        request: () => ownerPost({ ...stored, id: 'AAAAAAAAAAAAAAAAAAAAAA' }),
      },
      {
        name: 'a duplicate recipient',
        code: 'duplicate_recipient',
        request: () => ownerPost({ ...stored, recipients: [stored.recipients[0], stored.recipients[0]] }),
      },
      {
        name: 'an id replayed with other bytes',
        code: 'id_conflict',
        request: () => ownerPost({ ...stored, nonce: toBase64url(new Uint8Array(24)) }),
      },
      {
        name: 'an id replayed into another mailbox',
        code: 'id_conflict',
        request: () => brokerPost(stored, token, path(mailboxIdOf(stranger.publicKey))),
      },
      {
        name: 'a community with no manifest',
        code: 'unknown_community',
        request: async () => {
          const reply = await sealReply({ community: 'nobody', recipients: brokerKeys, text: 'x' })
          const body = JSON.stringify(reply)
          return ownerPost(body, path(mailbox, 'nobody'), ownerAuth({ body, forCommunity: 'nobody' }))
        },
      },
      {
        name: 'reading a mailbox of a community with no manifest',
        code: 'unknown_community',
        request: () =>
          ownerGet('', ownerAuth({ method: 'GET', forCommunity: 'nobody' }), path(mailbox, 'nobody')),
      },
      { name: 'an invalid cursor', code: 'invalid_cursor', request: () => ownerGet('?after=-1') },
      { name: 'an invalid limit', code: 'invalid_limit', request: () => ownerGet('?limit=501') },
      {
        name: 'an oversized body',
        code: 'body_too_large',
        request: () => ownerPost({ ...stored, ct: 'A'.repeat(300 * 1024) }),
      },
      { name: 'a body that is not JSON', code: 'invalid_json', request: () => ownerPost('{"v":1,') },
      {
        name: 'a body of the wrong shape',
        code: 'invalid_body',
        request: () => ownerPost({ ...stored, extra: 1 }),
      },
      {
        name: 'a body not declared JSON',
        code: 'unsupported_media_type',
        request: () =>
          app.request(path(), {
            method: 'POST',
            headers: {
              'content-type': 'text/plain',
              authorization: ownerAuth({ body: JSON.stringify(stored) }),
            },
            body: JSON.stringify(stored),
          }),
      },
      {
        name: 'a broker of another community',
        code: 'session_expired',
        request: async () =>
          brokerPost(
            await sealReply({ community: community.id, recipients: [replyBox.publicKey], text: 'x' }),
            elsewhereToken,
          ),
      },
      {
        name: 'an expired broker session',
        code: 'session_expired',
        setup: async () => {
          clock -= 20 * 60_000
          try {
            expired = await openBrokerSession({
              baseUrl: BASE,
              fetch: fetcher,
              community: community.id,
              brokerSignKeyPair: community.brokers[0]?.sign as SignKeyPair,
            })
          } finally {
            clock += 20 * 60_000
          }
        },
        request: () => app.request(path(), { headers: { authorization: `Bearer ${expired}` } }),
      },
      {
        name: 'an unknown bearer token',
        code: 'session_expired',
        request: () => app.request(path(), { headers: { authorization: `Bearer ${'x'.repeat(43)}` } }),
      },
      {
        name: 'a malformed bearer token',
        code: 'unauthorized',
        request: () => app.request(path(), { headers: { authorization: 'Bearer !' } }),
      },
      {
        name: 'a method the route does not take',
        code: 'method_not_allowed',
        request: () =>
          app.request(path(), { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }),
      },
    ]

    it('has at least 15 documented cases', () => expect(cases.length).toBeGreaterThanOrEqual(15))

    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, { code, setup, request }) => {
      await setup?.()
      const before = await ts.snapshot()
      const res = await request()
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect({ status: res.status, code: body.error?.code }).toEqual({ status: ERRORS[code].status, code })
      expect(body.error.message).toBe(ERRORS[code].message)
      expect(await ts.snapshot()).toBe(before)
    })
  })

  it('lets a broker read any mailbox of the community, and nothing else', async () => {
    const theirs = generateSignKeyPair()
    const envelope = await sealReply({ community: community.id, recipients: brokerKeys, text: 'hello' })
    await postOwnerMessage({
      baseUrl: BASE,
      fetch: fetcher,
      now: now(),
      community: community.id,
      ownerSignKeyPair: theirs,
      envelope,
    })
    const page: MailboxPage = await readMailbox({
      baseUrl: BASE,
      fetch: fetcher,
      community: community.id,
      token,
      mailbox: mailboxIdOf(theirs.publicKey),
    })
    expect(page.messages.map((m) => [m.sender, (m.envelope as EnvelopeV1Json).id])).toEqual([
      ['complainant', envelope.id],
    ])
    const denied = await app.request(path(mailboxIdOf(theirs.publicKey)), {
      headers: { authorization: ownerAuth({ method: 'GET', forMailbox: mailboxIdOf(theirs.publicKey) }) },
    })
    expect(denied.status).toBe(403)
  })
})
