import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SignKeyPair, sha256, toBase64url, utf8 } from '../../shared/crypto'
import {
  type CaseChange,
  canonicalEnvelopeText,
  type EnvelopeV1Json,
  ERRORS,
  type ErrorCode,
  signCaseEvent,
  signManifest,
  verifyCaseEvent,
} from '../../shared/protocol'
import { createApp, type RelayApp } from '../app'
import { silentLogger } from '../log'
import {
  caseEventsUrl,
  communityEventsUrl,
  listEvents,
  openCaseEvent,
  postCaseEvent,
  sealCaseEvent,
} from './case-client'
import { type FakeCommunity, fakeCommunity, fakeReport, json } from './fixtures'
import { openBrokerSession, type RelayFetch, sealReply } from './mailbox-client'
import { BACKENDS, type TestStore } from './stores'

const BASE = 'http://relay.test'

describe.each(BACKENDS)('case events on $name', ({ open: openStore }) => {
  let ts: TestStore
  let app: RelayApp
  let fetcher: RelayFetch
  let clock = Date.parse('2026-11-25T10:30:00Z')
  const community: FakeCommunity = fakeCommunity('wiki-example', 2)
  const elsewhere: FakeCommunity = fakeCommunity('other-wiki', 1)
  /** A community whose second broker is removed after logging in. */
  const shrinking: FakeCommunity = fakeCommunity('shrinking-wiki', 2)
  const brokerKeys = community.brokers.map((b) => b.box.publicKey)
  const ada = community.brokers[0]?.sign as SignKeyPair
  let token: string
  let elsewhereToken: string
  let removedToken: string
  /** The case: a report stored in `community`. */
  let caseId: string
  let otherCaseId: string
  /** A report of `elsewhere`, whose id is no case of `community`. */
  let foreignReportId: string
  /** A case event already stored on `caseId` (the base of conflict cases). */
  let stored: EnvelopeV1Json

  const relay = () => ({ baseUrl: BASE, fetch: fetcher })
  const signed = (change: CaseChange, onCase = caseId, signer = ada) =>
    signCaseEvent(
      {
        v: 1,
        case: onCase,
        at: new Date(clock).toISOString(),
        author: toBase64url(signer.publicKey),
        change,
      },
      signer,
    )
  const seal = (change: CaseChange, onCase = caseId, forCommunity = community.id) =>
    sealCaseEvent({ community: forCommunity, recipients: brokerKeys, signed: signed(change, onCase) })
  const post = (
    body: unknown,
    bearer: string | null = token,
    url = caseEventsUrl(BASE, community.id, caseId),
  ) =>
    app.request(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(bearer === null ? {} : { authorization: `Bearer ${bearer}` }),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
  const list = (query = '', bearer: string | null = token, forCommunity = community.id) =>
    app.request(`${communityEventsUrl(BASE, forCommunity)}${query}`, {
      headers: bearer === null ? {} : { authorization: `Bearer ${bearer}` },
    })
  const storeReport = async (c: FakeCommunity, text: string) => {
    const report = await fakeReport(c, text)
    const res = await app.request(`/api/v1/communities/${c.id}/reports`, json(report))
    expect(res.status).toBe(201)
    return report.id
  }

  beforeAll(async () => {
    ts = await openStore()
    // Not a test of setup links (setup.int.test.ts is): communities are created freely.
    app = await createApp({
      store: ts.store,
      log: silentLogger,
      staticDir: null,
      now: () => new Date(clock),
      communitySetup: 'open',
    })
    fetcher = async (url, init) => app.request(url, init)
    for (const c of [community, elsewhere, shrinking]) {
      const res = await app.request(`/api/v1/communities/${c.id}/manifest`, json(c.signed, 'PUT'))
      expect(res.status).toBe(201)
    }
    const login = (c: FakeCommunity, broker = 0) =>
      openBrokerSession({
        ...relay(),
        community: c.id,
        brokerSignKeyPair: c.brokers[broker]?.sign as SignKeyPair,
      })
    token = await login(community)
    elsewhereToken = await login(elsewhere)
    removedToken = await login(shrinking, 1)
    const fewer = { ...shrinking.manifest, seq: 2, brokers: shrinking.manifest.brokers.slice(0, 1) }
    const update = json(signManifest(fewer, shrinking.root.secretKey), 'PUT')
    expect((await app.request(`/api/v1/communities/${shrinking.id}/manifest`, update)).status).toBe(200)
    caseId = await storeReport(community, 'the case')
    otherCaseId = await storeReport(community, 'another case')
    foreignReportId = await storeReport(elsewhere, 'a case elsewhere')
    stored = await seal({ type: 'status', status: 'acknowledged' })
    expect((await post(stored)).status).toBe(201)
  })
  afterAll(async () => ts?.close())

  it('stores an event, answers a retry with the same receipt, and every broker opens and verifies it', async () => {
    const note = signed({ type: 'note', text: 'Spoke with the reporter; they want no contact with him.' })
    const first = await postCaseEvent({
      ...relay(),
      community: community.id,
      token,
      caseId,
      recipients: brokerKeys,
      signed: note,
    })
    expect(first.status).toBe(201)
    expect(first.receipt).toEqual({
      community: community.id,
      case: caseId,
      id: first.envelope.id,
      hash: toBase64url(sha256(utf8(canonicalEnvelopeText(first.envelope)))),
      seq: expect.any(Number),
      receivedAt: '2026-11-25T10:00:00.000Z', // coarsened to the hour
    })
    const retry = await postCaseEvent({
      ...relay(),
      community: community.id,
      token,
      caseId,
      envelope: first.envelope,
    })
    expect(retry).toEqual({ status: 200, receipt: first.receipt, envelope: first.envelope })

    const page = await listEvents({ ...relay(), community: community.id, token })
    const listed = page.events.find((e) => e.seq === first.receipt.seq)
    expect(listed).toMatchObject({ case: caseId, receivedAt: '2026-11-25T10:00:00.000Z' })
    expect(canonicalEnvelopeText(listed?.envelope as EnvelopeV1Json)).toBe(
      canonicalEnvelopeText(first.envelope),
    )
    for (const broker of community.brokers) {
      const opened = await openCaseEvent(listed?.envelope, broker.box.secretKey)
      expect(opened).toEqual(note)
      const verdict = verifyCaseEvent(opened, community.manifest)
      expect(verdict).toMatchObject({ ok: true, event: { case: caseId, change: { type: 'note' } } })
    }
  })

  it('lists every case of the community in sequence order, pages by cursor, and keeps communities apart', async () => {
    const onOther = await postCaseEvent({
      ...relay(),
      community: community.id,
      token,
      caseId: otherCaseId,
      recipients: brokerKeys,
      signed: signed({ type: 'assign', to: toBase64url(ada.publicKey) }, otherCaseId),
    })
    const all = await listEvents({ ...relay(), community: community.id, token })
    const seqs = all.events.map((e) => e.seq)
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    expect(new Set(all.events.map((e) => e.case))).toEqual(new Set([caseId, otherCaseId]))
    expect(all.events.at(-1)).toMatchObject({ seq: onOther.receipt.seq, case: otherCaseId })
    expect(all.next).toBe(String(onOther.receipt.seq))

    const first = await listEvents({ ...relay(), community: community.id, token, limit: 1 })
    expect(first.events.map((e) => e.seq)).toEqual([seqs[0]])
    expect(first.next).toBe(String(seqs[0]))
    const rest = await listEvents({ ...relay(), community: community.id, token, after: first.next })
    expect(rest.events.map((e) => e.seq)).toEqual(seqs.slice(1))
    const caughtUp = await listEvents({ ...relay(), community: community.id, token, after: all.next })
    expect(caughtUp).toEqual({ events: [], next: all.next })
    // Another community sees none of them.
    const theirs = await listEvents({ ...relay(), community: elsewhere.id, token: elsewhereToken })
    expect(theirs).toEqual({ events: [], next: '0' })
  })

  it('stores what any current broker posts; an event claiming another author fails verification at every reader', async () => {
    const other = await openBrokerSession({
      ...relay(),
      community: community.id,
      brokerSignKeyPair: community.brokers[1]?.sign as SignKeyPair,
    })
    // The relay cannot read who signed: an event claiming Ada's authorship, signed by broker 2, is
    // stored like any other, and every reader finds the signature bad.
    const change: CaseChange = { type: 'status', status: 'closed', outcome: 'resolved' }
    const claimed = signed(change)
    const byOther = signed(change, caseId, community.brokers[1]?.sign as SignKeyPair)
    const posted = await postCaseEvent({
      ...relay(),
      community: community.id,
      token: other,
      caseId,
      recipients: brokerKeys,
      signed: { event: claimed.event, signature: byOther.signature },
    })
    const page = await listEvents({ ...relay(), community: community.id, token: other })
    const listed = page.events.find((e) => e.seq === posted.receipt.seq)
    const opened = await openCaseEvent(listed?.envelope, community.brokers[0]?.box.secretKey as never)
    expect(verifyCaseEvent(opened, community.manifest)).toEqual({ ok: false, reason: 'bad_signature' })
  })

  it('describes both routes in the OpenAPI document', async () => {
    const spec = (await (await app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>
    }
    expect(Object.keys(spec.paths['/communities/{community}/cases/{case}/events'] ?? {})).toEqual(['post'])
    expect(Object.keys(spec.paths['/communities/{community}/events'] ?? {})).toEqual(['get'])
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
      { name: 'POST without a session', code: 'unauthorized', request: () => post(stored, null) },
      { name: 'GET without a session', code: 'unauthorized', request: () => list('', null) },
      { name: 'a malformed bearer token', code: 'unauthorized', request: () => post(stored, '!') },
      {
        name: 'an unknown bearer token',
        code: 'session_expired',
        request: () => list('', 'x'.repeat(43)),
      },
      {
        name: 'an expired session',
        code: 'session_expired',
        setup: async () => {
          clock -= 20 * 60_000
          try {
            expired = await openBrokerSession({
              ...relay(),
              community: community.id,
              brokerSignKeyPair: ada,
            })
          } finally {
            clock += 20 * 60_000
          }
        },
        request: async () => post(await seal({ type: 'note', text: 'late' }), expired),
      },
      {
        name: 'a session of another community (POST)',
        code: 'session_expired',
        request: async () => post(await seal({ type: 'note', text: 'x' }), elsewhereToken),
      },
      {
        name: 'a session of another community (GET)',
        code: 'session_expired',
        request: () => list('', elsewhereToken),
      },
      {
        name: 'a broker removed from the manifest (POST)',
        code: 'not_a_broker',
        request: async () =>
          post(
            await seal({ type: 'note', text: 'x' }, caseId, shrinking.id),
            removedToken,
            caseEventsUrl(BASE, shrinking.id, caseId),
          ),
      },
      {
        name: 'a broker removed from the manifest (GET)',
        code: 'not_a_broker',
        request: () => list('', removedToken, shrinking.id),
      },
      {
        name: 'a case that is no report',
        code: 'unknown_case',
        request: async () => {
          const nowhere = toBase64url(new Uint8Array(16).fill(9))
          return post(
            await seal({ type: 'note', text: 'x' }, nowhere),
            token,
            caseEventsUrl(BASE, community.id, nowhere),
          )
        },
      },
      {
        name: 'a case that is a report of another community',
        code: 'unknown_case',
        request: async () =>
          post(
            await seal({ type: 'note', text: 'x' }, foreignReportId),
            token,
            caseEventsUrl(BASE, community.id, foreignReportId),
          ),
      },
      {
        name: 'a case id that is too short',
        code: 'invalid_case',
        request: () => post(stored, token, caseEventsUrl(BASE, community.id, caseId.slice(0, 21))),
      },
      {
        name: 'a case id that is not canonical base64url',
        code: 'invalid_case',
        request: () => post(stored, token, caseEventsUrl(BASE, community.id, `${caseId.slice(0, 21)}B`)),
      },
      {
        name: 'an invalid community id',
        code: 'invalid_community',
        request: () => post(stored, token, caseEventsUrl(BASE, 'Not_Valid', caseId)),
      },
      {
        name: 'an envelope of another kind (a report)',
        code: 'wrong_kind',
        request: async () => post(await fakeReport(community, 'a report, not an event')),
      },
      {
        name: 'an envelope of another kind (a reply)',
        code: 'wrong_kind',
        request: async () =>
          post(await sealReply({ community: community.id, recipients: brokerKeys, text: 'x' })),
      },
      {
        name: 'an envelope for another community',
        code: 'community_mismatch',
        request: async () => post(await seal({ type: 'note', text: 'x' }, caseId, elsewhere.id)),
      },
      {
        name: 'an id not derived from its key',
        code: 'id_mismatch',
        request: () => post({ ...stored, id: 'AAAAAAAAAAAAAAAAAAAAAA' }),
      },
      {
        name: 'a duplicate recipient',
        code: 'duplicate_recipient',
        request: () => post({ ...stored, recipients: [stored.recipients[0], stored.recipients[0]] }),
      },
      {
        name: 'an id replayed with other bytes',
        code: 'id_conflict',
        request: () => post({ ...stored, nonce: toBase64url(new Uint8Array(24)) }),
      },
      {
        name: 'an event replayed onto another case',
        code: 'id_conflict',
        request: () => post(stored, token, caseEventsUrl(BASE, community.id, otherCaseId)),
      },
      {
        name: 'sealed to nobody current',
        code: 'no_current_recipient',
        request: async () =>
          post(
            await sealCaseEvent({
              community: community.id,
              recipients: elsewhere.brokers.map((b) => b.box.publicKey),
              signed: signed({ type: 'note', text: 'x' }),
            }),
          ),
      },
      { name: 'a bad cursor', code: 'invalid_cursor', request: () => list('?after=-1') },
      {
        name: 'a cursor of 16 digits',
        code: 'invalid_cursor',
        request: () => list(`?after=${'9'.repeat(16)}`),
      },
      { name: 'a limit of 0', code: 'invalid_limit', request: () => list('?limit=0') },
      { name: 'a limit above the page size', code: 'invalid_limit', request: () => list('?limit=501') },
      {
        name: 'an oversized body',
        code: 'body_too_large',
        request: () => post({ ...stored, ct: 'A'.repeat(300 * 1024) }),
      },
      { name: 'a body that is not JSON', code: 'invalid_json', request: () => post('{"v":1,') },
      {
        name: 'a body of the wrong shape',
        code: 'invalid_body',
        request: () => post({ ...stored, extra: 1 }),
      },
      {
        name: 'an unknown envelope version',
        code: 'unsupported_version',
        request: () => post({ ...stored, v: 2 }),
      },
      {
        name: 'a body not declared JSON',
        code: 'unsupported_media_type',
        request: () =>
          app.request(caseEventsUrl(BASE, community.id, caseId), {
            method: 'POST',
            headers: { 'content-type': 'text/plain', authorization: `Bearer ${token}` },
            body: JSON.stringify(stored),
          }),
      },
      {
        name: 'a method the case route does not take',
        code: 'method_not_allowed',
        request: () =>
          app.request(caseEventsUrl(BASE, community.id, caseId), {
            method: 'GET',
            headers: { authorization: `Bearer ${token}` },
          }),
      },
      {
        name: 'a method the events route does not take',
        code: 'method_not_allowed',
        request: () => app.request(communityEventsUrl(BASE, community.id), json(stored)),
      },
    ]

    it('has at least 12 documented cases', () => expect(cases.length).toBeGreaterThanOrEqual(12))

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

  it('answers a retry after the team changed with the original receipt, but stores nothing new for the old team', async () => {
    const toBroker2 = (change: CaseChange) =>
      sealCaseEvent({
        community: community.id,
        recipients: [community.brokers[1]?.box.publicKey as never],
        signed: signed(change),
      })
    const envelope = await toBroker2({ type: 'tag', add: ['off-wiki'] })
    const first = await post(envelope)
    expect(first.status).toBe(201)
    const receipt = ((await first.json()) as { receipt: unknown }).receipt
    // Broker 2 leaves the team; Ada (whose session this is) stays.
    const team = { ...community.manifest, seq: 2, brokers: community.manifest.brokers.slice(0, 1) }
    const update = json(signManifest(team, community.root.secretKey), 'PUT')
    expect((await app.request(`/api/v1/communities/${community.id}/manifest`, update)).status).toBe(200)
    const retry = await post(envelope)
    expect(retry.status).toBe(200)
    expect(((await retry.json()) as { receipt: unknown }).receipt).toEqual(receipt)
    const fresh = await post(await toBroker2({ type: 'tag', remove: ['off-wiki'] }))
    expect(((await fresh.json()) as { error: { code: string } }).error.code).toBe('no_current_recipient')
  })
})
