import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bytesEqual, randomBytes, sha256, toBase64url, utf8 } from '../../shared/crypto'
import { type LogKind, logLeafHash } from '../../shared/log'
import { canonicalEnvelopeText, encodeChunk } from '../../shared/protocol'
import { openPgStore } from '../db/pg-store'
import { openSqliteStore } from '../db/sqlite-store'
import {
  type NewCaseEvent,
  type NewChunk,
  type NewMailboxMessage,
  type NewReport,
  type Store,
  splitEnvelopeText,
} from '../db/store'
import { fakeCommunity, fakeReport } from './fixtures'
import { sealReply } from './mailbox-client'
import { BACKENDS, type TestStore } from './stores'

/** The envelope text a store must give back, encoded here independently of the store's encoder. */
const expectedEnvelopeText = (head: string, ct: Uint8Array): string =>
  `${head.slice(0, -1)},"ct":"${toBase64url(ct)}"}`

/** The Store contract, run unchanged against SQLite and PostgreSQL. */
describe.each(BACKENDS)('Store conformance: $name', ({ name, open }) => {
  let ts: TestStore
  let store: Store
  const community = fakeCommunity('conformance', 1)

  async function newReport(communityId = community.id, text = 'r'): Promise<NewReport> {
    const json = await fakeReport({ ...community, id: communityId }, text)
    const canonical = canonicalEnvelopeText({ ...json, community: communityId })
    return {
      community: communityId,
      id: json.id,
      hash: toBase64url(sha256(utf8(canonical))),
      head: splitEnvelopeText(canonical),
      ct: randomBytes(1040),
      receivedAt: '2026-11-25T10:00:00.000Z',
      sealedToCurrentTeam: true,
    }
  }

  beforeAll(async () => {
    ts = await open()
    store = ts.store
  })
  afterAll(async () => ts?.close())

  it('refuses reports for a community that has no manifest', async () => {
    expect(await store.insertReports([await newReport('nobody')])).toEqual([{ kind: 'unknown_community' }])
  })

  it('appends manifests as history: one per sequence number, the highest is current', async () => {
    const first = { seq: 1, payload: 'p1', signature: 's1' }
    expect(await store.appendManifest(community.id, first, null, 't')).toBe('stored')
    expect(await store.appendManifest(community.id, { ...first, payload: 'other' }, null, 't')).toBe(
      'conflict',
    )
    const second = { seq: 2, payload: 'p2', signature: 's2' }
    expect(await store.appendManifest(community.id, second, 1, 't')).toBe('stored')
    // Checked against seq 1, but seq 2 landed meanwhile: refused, whatever its own number.
    const late = { seq: 3, payload: 'p3', signature: 's3' }
    expect(await store.appendManifest(community.id, late, 1, 't')).toBe('conflict')
    expect(await store.currentManifest(community.id)).toEqual(second)
    expect(await store.currentManifest('nobody')).toBeNull()
    expect(await store.listManifests(community.id, 0, 10)).toEqual([first, second])
    expect(await store.listManifests(community.id, 1, 10)).toEqual([second])
  })

  it('lists the communities it holds, in id order, up to a limit', async () => {
    await store.appendManifest('aaa-first', { seq: 1, payload: 'p', signature: 's' }, null, 't')
    const ids = await store.listCommunities(100)
    expect(ids).toContain(community.id)
    expect(ids[0]).toBe('aaa-first')
    expect([...ids].sort()).toEqual(ids)
    expect(await store.listCommunities(1)).toEqual(['aaa-first'])
  })

  it('stores a batch in order: new, duplicate, conflict, with per-community sequence numbers', async () => {
    await store.appendManifest('second', { seq: 1, payload: 'p', signature: 's' }, null, 't')
    const a = await newReport()
    const b = await newReport()
    const other = await newReport('second')
    const outcomes = await store.insertReports([a, a, b, { ...a, hash: 'different' }, other])
    expect(outcomes.map((o) => o.kind)).toEqual(['stored', 'duplicate', 'stored', 'conflict', 'stored'])
    const seqs = outcomes.map((o) => ('receipt' in o ? o.receipt.seq : null))
    expect(seqs).toEqual([1, 1, 2, null, 1])
    expect(outcomes[1]).toEqual({ ...outcomes[0], kind: 'duplicate' })
  })

  it('lists after a cursor with a limit and rebuilds the exact envelope text', async () => {
    const stored = await newReport()
    await store.insertReports([stored])
    const rows = await store.listReports(community.id, 2, 10)
    expect(rows.map((r) => r.seq)).toEqual([3])
    expect(rows[0]?.envelopeText).toBe(expectedEnvelopeText(stored.head, stored.ct))
    expect(await store.listReports(community.id, 0, 2)).toHaveLength(2)
    expect(await store.listReports(community.id, 3, 10)).toEqual([])
  })

  it('keeps one relay secret per name, made once', async () => {
    const s1 = await store.relaySecret('a')
    expect(await store.relaySecret('a')).toEqual(s1)
    expect(await store.relaySecret('b')).not.toEqual(s1)
    expect(s1).toHaveLength(32)
  })

  it('spends a challenge once', async () => {
    const session = { tokenHash: 't1', community: community.id, signKey: 'k', challenge: 'c1', expiresAt: 99 }
    expect(await store.createSession(session, 50)).toBe('created')
    expect(await store.createSession({ ...session, tokenHash: 't2' }, 50)).toBe('challenge_used')
    expect(await store.findSession('t1')).toEqual({ community: community.id, signKey: 'k', expiresAt: 99 })
    expect(await store.findSession('t2')).toBeNull()
  })

  it('drops sessions that have expired when a new one is made', async () => {
    await store.createSession(
      { tokenHash: 't3', community: community.id, signKey: 'k', challenge: 'c3', expiresAt: 200 },
      100,
    )
    expect(await store.findSession('t1')).toBeNull()
    expect(await store.findSession('t3')).not.toBeNull()
  })

  it('runs its migrations again on reopen without losing anything', async () => {
    const secret = await store.relaySecret('a')
    const again =
      name === 'SQLite'
        ? openSqliteStore(ts.location.dataDir as string)
        : await openPgStore(ts.location.databaseUrl as string)
    try {
      expect(await again.relaySecret('a')).toEqual(secret)
      expect((await again.listReports(community.id, 0, 100)).map((r) => r.seq)).toEqual([1, 2, 3])
    } finally {
      await again.close()
    }
  })

  it('stores nothing new for a team that changed, but still answers a retry of what it stored', async () => {
    const fresh = { ...(await newReport()), sealedToCurrentTeam: false }
    expect(await store.insertReports([fresh])).toEqual([{ kind: 'no_current_recipient' }])
    const stored = await newReport()
    const [first] = await store.insertReports([stored])
    const [retry] = await store.insertReports([{ ...stored, sealedToCurrentTeam: false }])
    expect(retry).toEqual({ ...first, kind: 'duplicate' })
  })
})

/** The mailbox half of the Store contract, on both back ends. */
describe.each(BACKENDS)('Store conformance, mailboxes: $name', ({ name, open }) => {
  let ts: TestStore
  let store: Store
  const community = fakeCommunity('mailboxes', 1)
  const other = fakeCommunity('mailboxes-two', 1)
  const boxA = toBase64url(randomBytes(16))
  const boxB = toBase64url(randomBytes(16))

  async function newMessage(
    mailbox = boxA,
    sender: NewMailboxMessage['sender'] = 'complainant',
    communityId = community.id,
  ): Promise<NewMailboxMessage> {
    const json = await sealReply({
      community: communityId,
      recipients: community.brokers.map((b) => b.box.publicKey),
      text: 'm',
    })
    const canonical = canonicalEnvelopeText(json)
    return {
      community: communityId,
      mailbox,
      id: json.id,
      hash: toBase64url(sha256(utf8(canonical))),
      head: splitEnvelopeText(canonical),
      ct: randomBytes(1040),
      sender,
      receivedAt: '2026-11-25T10:00:00.000Z',
    }
  }
  const receiptOf = (m: NewMailboxMessage, seq: number) => ({
    community: m.community,
    mailbox: m.mailbox,
    id: m.id,
    hash: m.hash,
    seq,
    receivedAt: m.receivedAt,
  })

  beforeAll(async () => {
    ts = await open()
    store = ts.store
  })
  afterAll(async () => ts?.close())

  it('refuses a message for a community that has no manifest, and stores nothing', async () => {
    const before = await ts.snapshot()
    expect(await store.insertMailboxMessage(await newMessage(boxA, 'complainant', 'nobody'))).toEqual({
      kind: 'unknown_community',
    })
    expect(await ts.snapshot()).toBe(before)
    for (const c of [community, other])
      await store.appendManifest(c.id, { seq: 1, payload: 'p', signature: 's' }, null, 't')
  })

  it('stores once, answers the same envelope with the original receipt, refuses other bytes or another mailbox', async () => {
    const m = await newMessage()
    const stored = await store.insertMailboxMessage(m)
    expect(stored.kind).toBe('stored')
    const seq = 'receipt' in stored ? stored.receipt.seq : -1
    expect(stored).toEqual({ kind: 'stored', receipt: receiptOf(m, seq) })
    // A retry arriving in a later hour still gets the original receipt.
    expect(await store.insertMailboxMessage({ ...m, receivedAt: '2026-11-25T11:00:00.000Z' })).toEqual({
      kind: 'duplicate',
      receipt: receiptOf(m, seq),
    })
    const before = await ts.snapshot()
    expect(await store.insertMailboxMessage({ ...m, hash: 'different' })).toEqual({ kind: 'conflict' })
    expect(await store.insertMailboxMessage({ ...m, mailbox: boxB })).toEqual({ kind: 'conflict' })
    expect(await ts.snapshot()).toBe(before)
    // The same id in another community is another envelope.
    expect((await store.insertMailboxMessage({ ...m, community: other.id })).kind).toBe('stored')
  })

  it('lists one mailbox after a cursor, oldest first, with its senders and exact envelope text', async () => {
    const inA = [await newMessage(boxA, 'broker'), await newMessage(boxA, 'complainant')]
    const inB = await newMessage(boxB, 'broker')
    const seqs: number[] = []
    for (const m of [inA[0], inB, inA[1]] as NewMailboxMessage[]) {
      const outcome = await store.insertMailboxMessage(m)
      seqs.push('receipt' in outcome ? outcome.receipt.seq : -1)
    }
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    const all = await store.listMailboxMessages(community.id, boxA, 0, 100)
    expect(all).toHaveLength(3)
    expect(all.slice(1)).toEqual(
      inA.map((m, i) => ({
        seq: seqs[i === 0 ? 0 : 2],
        receivedAt: m.receivedAt,
        sender: m.sender,
        envelopeText: expectedEnvelopeText(m.head, m.ct),
      })),
    )
    expect((await store.listMailboxMessages(community.id, boxA, 0, 2)).map((r) => r.seq)).toEqual(
      all.slice(0, 2).map((r) => r.seq),
    )
    expect(
      (await store.listMailboxMessages(community.id, boxA, seqs[0] as number, 100)).map((r) => r.seq),
    ).toEqual([seqs[2]])
    expect(await store.listMailboxMessages(community.id, boxA, seqs[2] as number, 100)).toEqual([])
    // Isolation: the other mailbox, the same mailbox id in another community, and reports.
    expect((await store.listMailboxMessages(community.id, boxB, 0, 100)).map((r) => r.seq)).toEqual([seqs[1]])
    expect((await store.listMailboxMessages(other.id, boxB, 0, 100)).length).toBe(0)
    expect((await store.listMailboxMessages(other.id, boxA, 0, 100)).length).toBe(1)
    expect(await store.listReports(community.id, 0, 100)).toEqual([])
  })

  it('settles concurrent copies of one envelope as one stored and the rest duplicates', async () => {
    const m = await newMessage(boxB)
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => store.insertMailboxMessage(m)))
    expect(outcomes.filter((o) => o.kind === 'stored')).toHaveLength(1)
    expect(outcomes.filter((o) => o.kind === 'duplicate')).toHaveLength(11)
    expect(new Set(outcomes.map((o) => ('receipt' in o ? o.receipt.seq : -1))).size).toBe(1)
  })

  it('keeps mailbox messages across a reopen', async () => {
    const before = await store.listMailboxMessages(community.id, boxA, 0, 100)
    const again =
      name === 'SQLite'
        ? openSqliteStore(ts.location.dataDir as string)
        : await openPgStore(ts.location.databaseUrl as string)
    try {
      expect(await again.listMailboxMessages(community.id, boxA, 0, 100)).toEqual(before)
    } finally {
      await again.close()
    }
  })
})

/** Setup tokens: spent with a community's first manifest, once, atomically; never deleted. */
describe.each(BACKENDS)('Store conformance, setup tokens: $name', ({ open }) => {
  let ts: TestStore
  let store: Store
  const manifest = { seq: 1, payload: 'p', signature: 's' }
  const rows = async () =>
    (
      JSON.parse(await ts.snapshot()) as {
        setup_tokens: { token_hash: string; spent_at: string | null; community: string | null }[]
      }
    ).setup_tokens

  beforeAll(async () => {
    ts = await open()
    store = ts.store
  })
  afterAll(async () => ts?.close())

  it('spends a token with the first manifest, once, and records the community', async () => {
    await store.mintSetupToken('hash-a', '2026-11-25T10:00:00.000Z')
    expect(await store.appendManifest('one', manifest, null, 't1', 'hash-a')).toBe('stored')
    const before = await ts.snapshot()
    expect(await store.appendManifest('two', manifest, null, 't2', 'hash-a')).toBe('setup_token_invalid')
    expect(await store.appendManifest('two', manifest, null, 't2', 'never-minted')).toBe(
      'setup_token_invalid',
    )
    expect(await ts.snapshot()).toBe(before)
    expect(await store.currentManifest('two')).toBeNull()
    expect(await rows()).toEqual([
      { token_hash: 'hash-a', created_at: '2026-11-25T10:00:00.000Z', spent_at: 't1', community: 'one' },
    ])
  })

  it('leaves the token unspent when the manifest conflicts, and checks the token first', async () => {
    await store.mintSetupToken('hash-b', 't')
    const before = await ts.snapshot()
    // 'one' exists already: checked against "no manifest", this creation conflicts.
    expect(await store.appendManifest('one', { ...manifest, seq: 2 }, null, 't3', 'hash-b')).toBe('conflict')
    expect(await store.appendManifest('one', { ...manifest, seq: 2 }, null, 't3', 'hash-a')).toBe(
      'setup_token_invalid',
    )
    expect(await ts.snapshot()).toBe(before)
    expect(await store.appendManifest('three', manifest, null, 't4', 'hash-b')).toBe('stored')
  })

  it('spends a token exactly once under concurrent creations', async () => {
    await store.mintSetupToken('hash-c', 't')
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.appendManifest(`racer-${i}`, manifest, null, 't', 'hash-c')),
    )
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(1)
    expect(outcomes.filter((o) => o === 'setup_token_invalid')).toHaveLength(7)
    expect((await store.listCommunities(100)).filter((id) => id.startsWith('racer-'))).toHaveLength(1)
  })

  it('supersedes unspent tokens on request: marked spent with no community, never deleted', async () => {
    await store.mintSetupToken('hash-d', 't')
    await store.mintSetupToken('hash-e', 't')
    await store.mintSetupToken('hash-f', 't5', { supersedeUnspent: true })
    const all = await rows()
    expect(all.map((r) => r.token_hash).sort()).toEqual([
      'hash-a',
      'hash-b',
      'hash-c',
      'hash-d',
      'hash-e',
      'hash-f',
    ])
    expect(all.filter((r) => r.spent_at === null).map((r) => r.token_hash)).toEqual(['hash-f'])
    expect(all.find((r) => r.token_hash === 'hash-d')).toMatchObject({ spent_at: 't5', community: null })
    expect(await store.appendManifest('four', manifest, null, 't', 'hash-d')).toBe('setup_token_invalid')
    expect(await store.appendManifest('four', manifest, null, 't', 'hash-f')).toBe('stored')
  })
})

/** Case events: append-only, idempotent by (community, id), only on a report of the community. */
describe.each(BACKENDS)('Store conformance, case events: $name', ({ name, open }) => {
  let ts: TestStore
  let store: Store
  const community = fakeCommunity('cases', 1)
  const other = fakeCommunity('cases-two', 1)
  let caseA: string
  let caseB: string

  async function newEvent(caseId: string, communityId = community.id): Promise<NewCaseEvent> {
    const json = await sealReply({
      community: communityId,
      recipients: community.brokers.map((b) => b.box.publicKey),
      text: 'e',
    })
    const canonical = canonicalEnvelopeText({ ...json, kind: 'case-event' })
    return {
      community: communityId,
      caseId,
      id: json.id,
      hash: toBase64url(sha256(utf8(canonical))),
      head: splitEnvelopeText(canonical),
      ct: randomBytes(1040),
      receivedAt: '2026-11-25T10:00:00.000Z',
      sealedToCurrentTeam: true,
    }
  }
  const receiptOf = (e: NewCaseEvent, seq: number) => ({
    community: e.community,
    case: e.caseId,
    id: e.id,
    hash: e.hash,
    seq,
    receivedAt: e.receivedAt,
  })
  async function storeReport(communityId: string): Promise<string> {
    const json = await fakeReport({ ...community, id: communityId }, 'r')
    const canonical = canonicalEnvelopeText(json)
    const [outcome] = await store.insertReports([
      {
        community: communityId,
        id: json.id,
        hash: toBase64url(sha256(utf8(canonical))),
        head: splitEnvelopeText(canonical),
        ct: randomBytes(1040),
        receivedAt: 't',
        sealedToCurrentTeam: true,
      },
    ])
    expect(outcome?.kind).toBe('stored')
    return json.id
  }

  beforeAll(async () => {
    ts = await open()
    store = ts.store
  })
  afterAll(async () => ts?.close())

  it('refuses an event for a community without a manifest, or a case that is not its report, storing nothing', async () => {
    const before = await ts.snapshot()
    expect(await store.insertCaseEvent(await newEvent(toBase64url(randomBytes(16)), 'nobody'))).toEqual({
      kind: 'unknown_community',
    })
    expect(await ts.snapshot()).toBe(before)
    for (const c of [community, other])
      await store.appendManifest(c.id, { seq: 1, payload: 'p', signature: 's' }, null, 't')
    caseA = await storeReport(community.id)
    caseB = await storeReport(community.id)
    const foreign = await storeReport(other.id)
    const after = await ts.snapshot()
    expect(await store.insertCaseEvent(await newEvent(toBase64url(randomBytes(16))))).toEqual({
      kind: 'unknown_case',
    })
    expect(await store.insertCaseEvent(await newEvent(foreign))).toEqual({ kind: 'unknown_case' })
    expect(await ts.snapshot()).toBe(after)
  })

  it('stores once, answers the same envelope with the original receipt, refuses other bytes or another case', async () => {
    const e = await newEvent(caseA)
    const stored = await store.insertCaseEvent(e)
    const seq = 'receipt' in stored ? stored.receipt.seq : -1
    expect(stored).toEqual({ kind: 'stored', receipt: receiptOf(e, seq) })
    expect(await store.insertCaseEvent({ ...e, receivedAt: '2026-11-25T11:00:00.000Z' })).toEqual({
      kind: 'duplicate',
      receipt: receiptOf(e, seq),
    })
    // A retry is answered even when the team changed since.
    expect(await store.insertCaseEvent({ ...e, sealedToCurrentTeam: false })).toEqual({
      kind: 'duplicate',
      receipt: receiptOf(e, seq),
    })
    const before = await ts.snapshot()
    expect(await store.insertCaseEvent({ ...e, hash: 'different' })).toEqual({ kind: 'conflict' })
    expect(await store.insertCaseEvent({ ...e, caseId: caseB })).toEqual({ kind: 'conflict' })
    expect(await store.insertCaseEvent({ ...(await newEvent(caseA)), sealedToCurrentTeam: false })).toEqual({
      kind: 'no_current_recipient',
    })
    expect(await ts.snapshot()).toBe(before)
  })

  it('lists every case of a community after a cursor, oldest first, with the exact envelope text', async () => {
    const events = [await newEvent(caseB), await newEvent(caseA), await newEvent(caseB)]
    const seqs: number[] = []
    for (const e of events) {
      const outcome = await store.insertCaseEvent(e)
      seqs.push('receipt' in outcome ? outcome.receipt.seq : -1)
    }
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    const all = await store.listCaseEvents(community.id, 0, 100)
    expect(all).toHaveLength(4)
    expect(all.slice(1)).toEqual(
      events.map((e, i) => ({
        seq: seqs[i],
        caseId: e.caseId,
        receivedAt: e.receivedAt,
        envelopeText: expectedEnvelopeText(e.head, e.ct),
      })),
    )
    expect((await store.listCaseEvents(community.id, 0, 2)).map((r) => r.seq)).toEqual(
      all.slice(0, 2).map((r) => r.seq),
    )
    expect((await store.listCaseEvents(community.id, seqs[0] as number, 100)).map((r) => r.seq)).toEqual(
      seqs.slice(1),
    )
    expect(await store.listCaseEvents(community.id, seqs[2] as number, 100)).toEqual([])
    expect(await store.listCaseEvents(other.id, 0, 100)).toEqual([])
  })

  it('settles concurrent copies of one envelope as one stored and the rest duplicates', async () => {
    const e = await newEvent(caseA)
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => store.insertCaseEvent(e)))
    expect(outcomes.filter((o) => o.kind === 'stored')).toHaveLength(1)
    expect(outcomes.filter((o) => o.kind === 'duplicate')).toHaveLength(11)
    expect(new Set(outcomes.map((o) => ('receipt' in o ? o.receipt.seq : -1))).size).toBe(1)
  })

  it('keeps case events across a reopen', async () => {
    const before = await store.listCaseEvents(community.id, 0, 100)
    const again =
      name === 'SQLite'
        ? openSqliteStore(ts.location.dataDir as string)
        : await openPgStore(ts.location.databaseUrl as string)
    try {
      expect(await again.listCaseEvents(community.id, 0, 100)).toEqual(before)
    } finally {
      await again.close()
    }
  })
})

/** Canned responses: append-only versions, each stored only if the one it follows is still current. */
describe.each(BACKENDS)('Store conformance, canned responses: $name', ({ name, open }) => {
  let ts: TestStore
  let store: Store
  const row = (seq: number, payload = `p${seq}`) => ({ seq, payload, signature: `s${seq}` })
  const versions = async (community: string) =>
    (
      JSON.parse(await ts.snapshot()) as {
        canned_responses: { community: string; seq: number | string; payload: string; received_at: string }[]
      }
    ).canned_responses
      .filter((r) => r.community === community)
      .map((r) => ({ seq: Number(r.seq), payload: r.payload, receivedAt: r.received_at }))

  beforeAll(async () => {
    ts = await open()
    store = ts.store
  })
  afterAll(async () => ts?.close())

  it('refuses a community without a manifest, storing nothing', async () => {
    const before = await ts.snapshot()
    expect(await store.appendCannedResponses('nobody', row(1), null, 't')).toBe('unknown_community')
    expect(await ts.snapshot()).toBe(before)
    expect(await store.currentCannedResponses('nobody')).toBeNull()
    for (const id of ['canned', 'canned-two'])
      await store.appendManifest(id, { seq: 1, payload: 'p', signature: 's' }, null, 't')
  })

  it('appends versions as history, each against the current one; the highest is current', async () => {
    expect(await store.currentCannedResponses('canned')).toBeNull()
    expect(await store.appendCannedResponses('canned', row(1), null, 't1')).toBe('stored')
    const before = await ts.snapshot()
    // Checked against "none", but version 1 is there now.
    expect(await store.appendCannedResponses('canned', row(1, 'other'), null, 't')).toBe('conflict')
    expect(await store.appendCannedResponses('canned', row(2), 5, 't')).toBe('conflict')
    expect(await ts.snapshot()).toBe(before)
    expect(await store.appendCannedResponses('canned', row(2), 1, 't2')).toBe('stored')
    // Checked against version 1, but version 2 landed meanwhile: refused, whatever its own number.
    expect(await store.appendCannedResponses('canned', row(3), 1, 't')).toBe('conflict')
    expect(await store.currentCannedResponses('canned')).toEqual(row(2))
    expect(await versions('canned')).toEqual([
      { seq: 1, payload: 'p1', receivedAt: 't1' },
      { seq: 2, payload: 'p2', receivedAt: 't2' },
    ])
    // Communities are apart.
    expect(await store.currentCannedResponses('canned-two')).toBeNull()
    expect(await store.appendCannedResponses('canned-two', row(1, 'two'), null, 't')).toBe('stored')
    expect(await store.currentCannedResponses('canned-two')).toEqual(row(1, 'two'))
    expect(await store.currentCannedResponses('canned')).toEqual(row(2))
  })

  it('lets exactly one of concurrent appends against the same current version land', async () => {
    const racers = Array.from({ length: 8 }, (_, i) =>
      store.appendCannedResponses('canned', row(3 + i, `racer-${i}`), 2, 't3'),
    )
    const outcomes = await Promise.all(racers)
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(1)
    expect(outcomes.filter((o) => o === 'conflict')).toHaveLength(7)
    const winner = outcomes.indexOf('stored')
    expect(await store.currentCannedResponses('canned')).toEqual(row(3 + winner, `racer-${winner}`))
    expect((await versions('canned')).map((v) => v.seq)).toEqual([1, 2, 3 + winner])
  })

  it('keeps every version across a reopen', async () => {
    const current = await store.currentCannedResponses('canned')
    const again =
      name === 'SQLite'
        ? openSqliteStore(ts.location.dataDir as string)
        : await openPgStore(ts.location.databaseUrl as string)
    try {
      expect(await again.currentCannedResponses('canned')).toEqual(current)
    } finally {
      await again.close()
    }
  })
})

/**
 * The referral directory: versions append-only like canned responses, and entries kept as history
 * (replaced or removed rows get `removed_in`, never deleted), so any version can be read back.
 */
describe.each(BACKENDS)('Store conformance, directory: $name', ({ name, open }) => {
  let ts: TestStore
  let store: Store
  const head = (version: number, payload = `p${version}`) => ({ version, payload, signature: `s${version}` })
  const version = (v: number, entryCount: number, payload?: string) => ({ ...head(v, payload), entryCount })
  const entry = (key: string, text: string) => ({ key, text, hash: sha256(utf8(`${key} ${text}`)) })
  const texts = (entries: readonly { key: string; text: string }[]) => entries.map((e) => [e.key, e.text])
  const rows = async () =>
    (
      JSON.parse(await ts.snapshot()) as {
        directory_entries: {
          community: string
          key: string
          text: string
          added_in: number | string
          removed_in: number | string | null
        }[]
      }
    ).directory_entries
      .filter((r) => r.community === 'dir')
      .map((r) => [r.key, r.text, Number(r.added_in), r.removed_in === null ? null : Number(r.removed_in)])

  beforeAll(async () => {
    ts = await open()
    store = ts.store
  })
  afterAll(async () => ts?.close())

  it('refuses a community without a manifest, storing nothing', async () => {
    const before = await ts.snapshot()
    expect(
      await store.appendDirectoryVersion('nobody', version(1, 1), [entry('g:em:DE', 'x')], [], null, 't'),
    ).toBe('unknown_community')
    expect(await ts.snapshot()).toBe(before)
    expect(await store.currentDirectory('nobody')).toBeNull()
    expect(await store.directoryEntries('nobody')).toEqual([])
    expect(await store.directoryChangesSince('nobody', 1)).toBeNull()
    for (const id of ['dir', 'dir-two'])
      await store.appendManifest(id, { seq: 1, payload: 'p', signature: 's' }, null, 't')
  })

  it('appends versions against the current one, keeps every entry as history, and reads any version', async () => {
    expect(await store.currentDirectory('dir')).toBeNull()
    const first = [entry('g:org:a', '1'), entry('g:org:b', '1'), entry('c:org:c', '1')]
    expect(await store.appendDirectoryVersion('dir', version(1, 3), first, [], null, 't1')).toBe('stored')
    const before = await ts.snapshot()
    // Checked against "none", but version 1 is there now; or against a version it never had.
    expect(await store.appendDirectoryVersion('dir', version(1, 1, 'other'), [], [], null, 't')).toBe(
      'conflict',
    )
    expect(await store.appendDirectoryVersion('dir', version(2, 3), [], [], 5, 't')).toBe('conflict')
    expect(await ts.snapshot()).toBe(before)
    // Version 2: b changes, c goes, d comes. Version 3: c comes back with new text, d goes.
    const second = [entry('g:org:b', '2'), entry('g:org:d', '1')]
    expect(await store.appendDirectoryVersion('dir', version(2, 3), second, ['c:org:c'], 1, 't2')).toBe(
      'stored',
    )
    expect(
      await store.appendDirectoryVersion('dir', version(3, 3), [entry('c:org:c', '3')], ['g:org:d'], 2, 't3'),
    ).toBe('stored')
    // Checked against version 2, but version 3 landed meanwhile.
    expect(await store.appendDirectoryVersion('dir', version(4, 3), [], ['g:org:a'], 2, 't')).toBe('conflict')

    expect(await store.currentDirectory('dir')).toEqual(head(3))
    // In key order by code unit: "c:…" before "g:…".
    const current = await store.directoryEntries('dir')
    expect(texts(current)).toEqual([
      ['c:org:c', '3'],
      ['g:org:a', '1'],
      ['g:org:b', '2'],
    ])
    expect(current.map((e) => toBase64url(e.hash))).toEqual(
      [entry('c:org:c', '3'), entry('g:org:a', '1'), entry('g:org:b', '2')].map((e) => toBase64url(e.hash)),
    )
    expect(texts(await store.directoryEntries('dir', 1))).toEqual([
      ['c:org:c', '1'],
      ['g:org:a', '1'],
      ['g:org:b', '1'],
    ])
    expect(texts(await store.directoryEntries('dir', 2))).toEqual([
      ['g:org:a', '1'],
      ['g:org:b', '2'],
      ['g:org:d', '1'],
    ])
    expect(await store.directoryEntries('dir', 9)).toEqual([])
    // Nothing deleted: a row per text a key ever had, from the version that put it to the one that
    // replaced or removed it.
    expect(
      (await rows()).sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[2]) - Number(b[2])),
    ).toEqual([
      ['c:org:c', '1', 1, 2],
      ['c:org:c', '3', 3, null],
      ['g:org:a', '1', 1, null],
      ['g:org:b', '1', 1, 2],
      ['g:org:b', '2', 2, null],
      ['g:org:d', '1', 2, 3],
    ])
    // Communities are apart.
    expect(await store.currentDirectory('dir-two')).toBeNull()
    expect(await store.directoryEntries('dir-two')).toEqual([])
  })

  it('answers the changes between two versions it has, and null for one it has not', async () => {
    // c was there at 1 and is there again with other text: put. d came and went after 1: neither.
    expect(await store.directoryChangesSince('dir', 1)).toEqual({
      put: [
        { key: 'c:org:c', text: '3' },
        { key: 'g:org:b', text: '2' },
      ],
      removed: [],
    })
    expect(await store.directoryChangesSince('dir', 2)).toEqual({
      put: [{ key: 'c:org:c', text: '3' }],
      removed: ['g:org:d'],
    })
    expect(await store.directoryChangesSince('dir', 1, 2)).toEqual({
      put: [
        { key: 'g:org:b', text: '2' },
        { key: 'g:org:d', text: '1' },
      ],
      removed: ['c:org:c'],
    })
    expect(await store.directoryChangesSince('dir', 3)).toEqual({ put: [], removed: [] })
    expect(await store.directoryChangesSince('dir', 4)).toBeNull()
    expect(await store.directoryChangesSince('dir', 0)).toBeNull()
    expect(await store.directoryChangesSince('dir', 2, 1)).toBeNull()
    expect(await store.directoryChangesSince('dir', 1, 7)).toBeNull()
    expect(await store.directoryChangesSince('dir-two', 1)).toBeNull()
  })

  it('lets exactly one of concurrent appends against the same current version land', async () => {
    const racers = Array.from({ length: 8 }, (_, i) =>
      store.appendDirectoryVersion(
        'dir',
        version(4, 4, `racer-${i}`),
        [entry(`g:org:r${i}`, 'x')],
        [],
        3,
        't4',
      ),
    )
    const outcomes = await Promise.all(racers)
    expect(outcomes.filter((o) => o === 'stored')).toHaveLength(1)
    expect(outcomes.filter((o) => o === 'conflict')).toHaveLength(7)
    const winner = outcomes.indexOf('stored')
    expect(await store.currentDirectory('dir')).toEqual(head(4, `racer-${winner}`))
    expect(texts(await store.directoryEntries('dir')).map(([key]) => key)).toEqual([
      'c:org:c',
      'g:org:a',
      'g:org:b',
      `g:org:r${winner}`,
    ])
  })

  it('writes a large version in one go', async () => {
    // More rows than one PostgreSQL statement takes parameters for.
    const many = Array.from({ length: 12_000 }, (_, i) => entry(`g:org:n${i}`, `${i}`))
    expect(await store.appendDirectoryVersion('dir-two', version(1, many.length), many, [], null, 't')).toBe(
      'stored',
    )
    const replaced = many.map((e) => entry(e.key, `${e.text}!`))
    expect(await store.appendDirectoryVersion('dir-two', version(2, many.length), replaced, [], 1, 't')).toBe(
      'stored',
    )
    expect(await store.directoryEntries('dir-two')).toHaveLength(many.length)
    expect((await store.directoryChangesSince('dir-two', 1))?.put).toHaveLength(many.length)
    const gone = many.map((e) => e.key)
    expect(await store.appendDirectoryVersion('dir-two', version(3, 0), [], gone, 2, 't')).toBe('stored')
    expect(await store.directoryEntries('dir-two')).toEqual([])
    expect((await store.directoryChangesSince('dir-two', 1))?.removed).toHaveLength(many.length)
  })

  it('keeps every version across a reopen', async () => {
    const current = await store.currentDirectory('dir')
    const entries = await store.directoryEntries('dir')
    const again =
      name === 'SQLite'
        ? openSqliteStore(ts.location.dataDir as string)
        : await openPgStore(ts.location.databaseUrl as string)
    try {
      expect(await again.currentDirectory('dir')).toEqual(current)
      expect(await again.directoryEntries('dir')).toEqual(entries)
    } finally {
      await again.close()
    }
  })
})

describe('PostgreSQL: two relay processes sharing one database', () => {
  it('hand out gap-free, unique sequence numbers under concurrent inserts', async () => {
    const ts = (await BACKENDS[1].open()) as TestStore
    const other = await openPgStore(ts.location.databaseUrl as string)
    try {
      const community = fakeCommunity('shared', 1)
      await ts.store.appendManifest(community.id, { seq: 1, payload: 'p', signature: 's' }, null, 't')
      const make = async (i: number): Promise<NewReport> => ({
        community: community.id,
        id: toBase64url(randomBytes(16)),
        hash: toBase64url(sha256(utf8(`h${i}`))),
        head: '{"v":1}',
        ct: randomBytes(32),
        receivedAt: 't',
        sealedToCurrentTeam: true,
      })
      const reports = await Promise.all(Array.from({ length: 200 }, (_, i) => make(i)))
      const outcomes = await Promise.all(reports.map((r, i) => (i % 2 ? other : ts.store).insertReports([r])))
      const seqs = outcomes.flat().map((o) => ('receipt' in o ? o.receipt.seq : -1))
      expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
      // The log too: one leaf per report, gap-free, each report once, in the order of their seqs.
      const leaves = await other.listLogLeaves(community.id, 0, 1_000)
      expect(leaves.map((l) => l.idx)).toEqual(Array.from({ length: 200 }, (_, i) => i))
      const bySeq = (await ts.store.listReports(community.id, 0, 500)).map((r) => r.seq)
      expect(bySeq).toHaveLength(200)
      expect(new Set(leaves.map((l) => l.hash))).toEqual(new Set(reports.map((r) => r.hash)))
      expect(await ts.store.logSize(community.id)).toBe(200)
    } finally {
      await other.close()
      await ts.close()
    }
  })

  it('hold a community to its attachment quota under concurrent chunks from both', async () => {
    const ts = (await BACKENDS[1].open()) as TestStore
    const other = await openPgStore(ts.location.databaseUrl as string)
    try {
      await ts.store.appendManifest('shared', { seq: 1, payload: 'p', signature: 's' }, null, 't')
      const report = toBase64url(randomBytes(16))
      await ts.store.insertReports([
        {
          community: 'shared',
          id: report,
          hash: toBase64url(randomBytes(32)),
          head: '{"v":1}',
          ct: randomBytes(32),
          receivedAt: 't',
          sealedToCurrentTeam: true,
        },
      ])
      const chunks = Array.from({ length: 20 }, () => {
        const file = toBase64url(randomBytes(16))
        const envelope = encodeChunk({ fileId: file, index: 0, last: true, ciphertext: randomBytes(4112) })
        return {
          community: 'shared',
          report,
          file,
          index: 0,
          last: true,
          hash: toBase64url(sha256(envelope)),
          envelope,
          bytes: 4112,
          receivedAt: 't',
          reportLimitBytes: 2 ** 30,
          quotaBytes: 5 * envelope.length,
        }
      })
      const size = (chunks[0] as NewChunk).envelope.length
      const outcomes = await Promise.all(chunks.map((c, i) => (i % 2 ? other : ts.store).insertChunk(c)))
      expect(outcomes.filter((o) => o.kind === 'stored')).toHaveLength(5)
      expect(outcomes.filter((o) => o.kind === 'storage_full')).toHaveLength(15)
      expect(await other.attachmentBytes('shared')).toBe(5 * size)
      const leaves = await ts.store.listLogLeaves('shared', 0, 100)
      expect(leaves.map((l) => l.idx)).toEqual([0, 1, 2, 3, 4, 5])
      expect(leaves.filter((l) => l.kind === 'attachment-chunk')).toHaveLength(5)
    } finally {
      await other.close()
      await ts.close()
    }
  })

  it('store exactly one of two canned responses versions checked against the same current one', async () => {
    const ts = (await BACKENDS[1].open()) as TestStore
    const other = await openPgStore(ts.location.databaseUrl as string)
    try {
      await ts.store.appendManifest('shared', { seq: 1, payload: 'p', signature: 's' }, null, 't')
      for (let round = 0; round < 20; round++) {
        const previousSeq = round === 0 ? null : round
        const seq = round + 1
        const outcomes = await Promise.all(
          [ts.store, other].map((s, i) =>
            s.appendCannedResponses('shared', { seq, payload: `p${i}`, signature: 's' }, previousSeq, 't'),
          ),
        )
        expect(outcomes.sort()).toEqual(['conflict', 'stored'])
      }
      expect((await other.currentCannedResponses('shared'))?.seq).toBe(20)
    } finally {
      await other.close()
      await ts.close()
    }
  })

  it('store exactly one of two directory versions checked against the same current one', async () => {
    const ts = (await BACKENDS[1].open()) as TestStore
    const other = await openPgStore(ts.location.databaseUrl as string)
    try {
      await ts.store.appendManifest('shared', { seq: 1, payload: 'p', signature: 's' }, null, 't')
      for (let round = 0; round < 20; round++) {
        const previous = round === 0 ? null : round
        const version = round + 1
        const outcomes = await Promise.all(
          [ts.store, other].map((s, i) =>
            s.appendDirectoryVersion(
              'shared',
              { version, payload: `p${i}`, signature: 's', entryCount: 1 },
              [{ key: 'g:em:DE', text: `${version}-${i}`, hash: new Uint8Array(32) }],
              [],
              previous,
              't',
            ),
          ),
        )
        expect(outcomes.sort()).toEqual(['conflict', 'stored'])
      }
      expect((await other.currentDirectory('shared'))?.version).toBe(20)
      // One row per version for the key, each retired by the next: no loser's row was left behind.
      const history = await ts.store.directoryChangesSince('shared', 1)
      expect(history?.put.map((e) => e.text.split('-')[0])).toEqual(['20'])
      expect(await ts.store.directoryEntries('shared')).toHaveLength(1)
    } finally {
      await other.close()
      await ts.close()
    }
  })
})

describe.each(BACKENDS)('Store conformance, transparency log: $name', ({ open }) => {
  let ts: TestStore
  let store: Store
  const community = fakeCommunity('logged', 1)
  const other = fakeCommunity('logged-two', 1)

  const envelopeOf = async (communityId: string, kind: 'report' | 'reply' | 'case-event') => {
    const json = await sealReply({
      community: communityId,
      recipients: community.brokers.map((b) => b.box.publicKey),
      text: kind,
    })
    const canonical = canonicalEnvelopeText({ ...json, kind })
    return {
      community: communityId,
      id: json.id,
      hash: toBase64url(sha256(utf8(canonical))),
      head: splitEnvelopeText(canonical),
      ct: randomBytes(1040),
      receivedAt: '2026-11-25T10:00:00.000Z',
    }
  }

  beforeAll(async () => {
    ts = await open()
    store = ts.store
    for (const c of [community, other])
      await store.appendManifest(c.id, { seq: 1, payload: 'p', signature: 's' }, null, 't')
  })
  afterAll(async () => ts?.close())

  it('appends one leaf per stored envelope, in storing order, and none for a retry, a conflict or a refusal', async () => {
    const first = { ...(await envelopeOf(community.id, 'report')), sealedToCurrentTeam: true }
    const second = { ...(await envelopeOf(community.id, 'report')), sealedToCurrentTeam: true }
    const elsewhere = { ...(await envelopeOf(other.id, 'report')), sealedToCurrentTeam: true }
    const stale = { ...(await envelopeOf(community.id, 'report')), sealedToCurrentTeam: false }
    await store.insertReports([first, second, elsewhere, stale])
    expect(await store.logSize(community.id)).toBe(2)
    const sizeBefore = await ts.snapshot()
    await store.insertReports([first, { ...second, hash: toBase64url(randomBytes(32)) }])
    expect(await ts.snapshot()).toBe(sizeBefore)
    const event = {
      ...(await envelopeOf(community.id, 'case-event')),
      caseId: first.id,
      sealedToCurrentTeam: true,
    }
    expect((await store.insertCaseEvent(event)).kind).toBe('stored')
    const reply = {
      ...(await envelopeOf(community.id, 'reply')),
      mailbox: toBase64url(randomBytes(16)),
      sender: 'complainant' as const,
    }
    expect((await store.insertMailboxMessage(reply)).kind).toBe('stored')
    expect((await store.insertMailboxMessage(reply)).kind).toBe('duplicate')

    const leaves = await store.listLogLeaves(community.id, 0, 100)
    expect(leaves.map((l) => [l.idx, l.kind, l.hash])).toEqual([
      [0, 'report', first.hash],
      [1, 'report', second.hash],
      [2, 'case-event', event.hash],
      [3, 'reply', reply.hash],
    ])
    for (const l of leaves) {
      expect(toBase64url(l.leaf)).toBe(toBase64url(logLeafHash(l.kind as LogKind, l.hash)))
    }
    expect(await store.logSize(community.id)).toBe(4)
    expect((await store.listLogLeaves(community.id, 2, 1)).map((l) => l.idx)).toEqual([2])
    expect((await store.listLogLeaves(other.id, 0, 100)).map((l) => [l.idx, l.hash])).toEqual([
      [0, elsewhere.hash],
    ])
    expect(await store.logSize('nobody')).toBe(0)
  })
})

/**
 * Attachment chunks: idempotent by (community, file, index), under one report per file, with
 * consistent last flags, a limit per report and a quota per community; each with its log leaf.
 */
describe.each(BACKENDS)('Store conformance, attachment chunks: $name', ({ name, open }) => {
  let ts: TestStore
  let store: Store
  const community = 'chunks'
  const other = 'chunks-two'
  let reportA: string
  let reportB: string
  /** Generous bounds unless a test sets its own. */
  const roomy = { reportLimitBytes: 2 ** 30, quotaBytes: 2 ** 40 }

  /** A chunk with random ciphertext: the store places it by what the route read from its header. */
  function chunkOf(
    report: string,
    file: string,
    index: number,
    last: boolean,
    options: Partial<NewChunk> & { length?: number } = {},
  ): NewChunk {
    const { length = 4096 + 16, ...overrides } = options
    const envelope = encodeChunk({ fileId: file, index, last, ciphertext: randomBytes(length) })
    return {
      community,
      report,
      file,
      index,
      last,
      hash: toBase64url(sha256(envelope)),
      envelope,
      bytes: length,
      receivedAt: '2026-12-05T10:00:00.000Z',
      ...roomy,
      ...overrides,
    }
  }
  const receiptOf = (c: NewChunk) => ({
    file: c.file,
    index: c.index,
    hash: c.hash,
    receivedAt: c.receivedAt,
  })
  const fileId = (first = 'A') => `${first}${toBase64url(randomBytes(16)).slice(1, 21)}A`
  async function storeReport(communityId: string): Promise<string> {
    const id = toBase64url(randomBytes(16))
    const [outcome] = await store.insertReports([
      {
        community: communityId,
        id,
        hash: toBase64url(sha256(utf8(id))),
        head: '{"v":1}',
        ct: randomBytes(1040),
        receivedAt: 't',
        sealedToCurrentTeam: true,
      },
    ])
    expect(outcome?.kind).toBe('stored')
    return id
  }

  beforeAll(async () => {
    ts = await open()
    store = ts.store
  })
  afterAll(async () => ts?.close())

  it('refuses a chunk for a community without a manifest, or a report it does not hold, storing nothing', async () => {
    const before = await ts.snapshot()
    expect(await store.insertChunk(chunkOf(toBase64url(randomBytes(16)), fileId(), 0, true))).toEqual({
      kind: 'unknown_community',
    })
    expect(await ts.snapshot()).toBe(before)
    for (const id of [community, other])
      await store.appendManifest(id, { seq: 1, payload: 'p', signature: 's' }, null, 't')
    reportA = await storeReport(community)
    reportB = await storeReport(community)
    const foreign = await storeReport(other)
    const after = await ts.snapshot()
    expect(await store.insertChunk(chunkOf(toBase64url(randomBytes(16)), fileId(), 0, true))).toEqual({
      kind: 'unknown_case',
    })
    expect(await store.insertChunk(chunkOf(foreign, fileId(), 0, true))).toEqual({ kind: 'unknown_case' })
    expect(await ts.snapshot()).toBe(after)
    expect(await store.attachmentBytes(community)).toBe(0)
    expect(await store.attachmentBytes('nobody')).toBe(0)
  })

  it('stores once with a log leaf, answers the same chunk with the original receipt, refuses other bytes', async () => {
    const file = fileId()
    const chunk = chunkOf(reportA, file, 0, true)
    const logBefore = await store.logSize(community)
    expect(await store.insertChunk(chunk)).toEqual({ kind: 'stored', receipt: receiptOf(chunk) })
    expect(await store.logSize(community)).toBe(logBefore + 1)
    const [leaf] = await store.listLogLeaves(community, logBefore, 10)
    expect(leaf).toMatchObject({ idx: logBefore, kind: 'attachment-chunk', hash: chunk.hash })
    expect(toBase64url(leaf?.leaf as Uint8Array)).toBe(
      toBase64url(logLeafHash('attachment-chunk', chunk.hash)),
    )
    expect(await store.attachmentBytes(community)).toBe(chunk.envelope.length)

    const before = await ts.snapshot()
    // A retry in a later hour, even with the limits reached meanwhile, gets the original receipt.
    expect(
      await store.insertChunk({
        ...chunk,
        receivedAt: '2026-12-05T13:00:00.000Z',
        reportLimitBytes: 0,
        quotaBytes: 0,
      }),
    ).toEqual({ kind: 'duplicate', receipt: receiptOf(chunk) })
    expect(await store.insertChunk(chunkOf(reportA, file, 0, true))).toEqual({ kind: 'conflict' })
    // The file is reportA's: under another report, even the same chunk is refused.
    expect(await store.insertChunk({ ...chunk, report: reportB })).toEqual({ kind: 'file_in_other_report' })
    expect(await store.insertChunk(chunkOf(reportB, file, 1, false))).toEqual({
      kind: 'file_in_other_report',
    })
    expect(await ts.snapshot()).toBe(before)
    expect(await store.readChunk(community, reportA, file, 0)).toEqual(chunk.envelope)
  })

  it('keeps the last flags of a file consistent', async () => {
    const full = 256 * 1024 + 16
    const ended = fileId()
    await store.insertChunk(chunkOf(reportA, ended, 0, true))
    const middle = fileId()
    expect((await store.insertChunk(chunkOf(reportA, middle, 2, false, { length: full }))).kind).toBe(
      'stored',
    )
    const lastAt3 = fileId()
    expect((await store.insertChunk(chunkOf(reportA, lastAt3, 3, true))).kind).toBe('stored')
    const before = await ts.snapshot()
    // A chunk after the stored last one; a last one before a stored chunk; a second last one.
    expect(await store.insertChunk(chunkOf(reportA, ended, 1, false, { length: full }))).toEqual({
      kind: 'out_of_range',
    })
    expect(await store.insertChunk(chunkOf(reportA, ended, 1, true))).toEqual({ kind: 'out_of_range' })
    expect(await store.insertChunk(chunkOf(reportA, middle, 1, true))).toEqual({ kind: 'out_of_range' })
    expect(await store.insertChunk(chunkOf(reportA, lastAt3, 1, true))).toEqual({ kind: 'out_of_range' })
    expect(await store.insertChunk(chunkOf(reportA, lastAt3, 4, false, { length: full }))).toEqual({
      kind: 'out_of_range',
    })
    expect(await ts.snapshot()).toBe(before)
    // What fits is taken, in any order: before the last chunk, and a last chunk after the others.
    expect((await store.insertChunk(chunkOf(reportA, lastAt3, 0, false, { length: full }))).kind).toBe(
      'stored',
    )
    expect((await store.insertChunk(chunkOf(reportA, middle, 3, true))).kind).toBe('stored')
    expect((await store.insertChunk(chunkOf(reportA, middle, 0, false, { length: full }))).kind).toBe(
      'stored',
    )
  })

  it('holds a report to its limit in padded bytes and a community to its quota in envelope bytes', async () => {
    const report = await storeReport(community)
    const first = chunkOf(report, fileId(), 0, true, { reportLimitBytes: 8192 })
    expect((await store.insertChunk(first)).kind).toBe('stored')
    const before = await ts.snapshot()
    // 4,096 stored + 4,112 − 16 more = 8,192: exactly the limit is allowed, one more byte is not.
    expect(await store.insertChunk(chunkOf(report, fileId(), 0, true, { reportLimitBytes: 8191 }))).toEqual({
      kind: 'limit_exceeded',
    })
    const used = await store.attachmentBytes(community)
    const next = chunkOf(report, fileId(), 0, true)
    expect(await store.insertChunk({ ...next, quotaBytes: used + next.envelope.length - 1 })).toEqual({
      kind: 'storage_full',
    })
    // The limit is checked before the quota.
    expect(await store.insertChunk({ ...next, reportLimitBytes: 0, quotaBytes: 0 })).toEqual({
      kind: 'limit_exceeded',
    })
    expect(await ts.snapshot()).toBe(before)
    expect(
      await store.insertChunk({ ...next, reportLimitBytes: 8192, quotaBytes: used + next.envelope.length }),
    ).toEqual({
      kind: 'stored',
      receipt: receiptOf(next),
    })
    expect(await store.attachmentBytes(community)).toBe(used + next.envelope.length)
    // Counts are per community.
    expect(await store.attachmentBytes(other)).toBe(0)
  })

  it('lists a report’s chunks by file id in code-unit order, then index, and reads each back exactly', async () => {
    const report = await storeReport(community)
    // Code units: "-" (45) < "A" (65) < "_" (95) < "a" (97); a collation would order them otherwise.
    const files = ['a', '_', 'A', '-'].map((first) => fileId(first))
    const full = 256 * 1024 + 16
    const stored: NewChunk[] = []
    for (const file of files) {
      for (const index of [1, 0]) {
        const chunk = chunkOf(report, file, index, index === 1, { length: index === 1 ? 4112 : full })
        expect((await store.insertChunk(chunk)).kind).toBe('stored')
        stored.push(chunk)
      }
    }
    const listed = await store.listChunks(community, report)
    expect(listed.map((c) => [c.file[0], c.index])).toEqual([
      ['-', 0],
      ['-', 1],
      ['A', 0],
      ['A', 1],
      ['_', 0],
      ['_', 1],
      ['a', 0],
      ['a', 1],
    ])
    for (const row of listed) {
      const chunk = stored.find((c) => c.file === row.file && c.index === row.index) as NewChunk
      expect(row).toEqual({
        file: chunk.file,
        index: chunk.index,
        last: chunk.last,
        bytes: chunk.bytes,
        hash: chunk.hash,
        receivedAt: chunk.receivedAt,
      })
      const read = await store.readChunk(community, report, chunk.file, chunk.index)
      expect(read && bytesEqual(read, chunk.envelope)).toBe(true)
    }
    // Only through its own report, community, file and index.
    const one = stored[0] as NewChunk
    expect(await store.readChunk(community, reportB, one.file, one.index)).toBeNull()
    expect(await store.readChunk(other, report, one.file, one.index)).toBeNull()
    expect(await store.readChunk(community, report, one.file, 5)).toBeNull()
    expect(await store.listChunks(community, reportB)).toEqual([])
    expect(await store.listChunks(other, report)).toEqual([])
  })

  it('settles concurrent copies of one chunk as one stored, and concurrent chunks within the limit exactly', async () => {
    const report = await storeReport(community)
    const chunk = chunkOf(report, fileId(), 0, true)
    const copies = await Promise.all(Array.from({ length: 12 }, () => store.insertChunk(chunk)))
    expect(copies.filter((o) => o.kind === 'stored')).toHaveLength(1)
    expect(copies.filter((o) => o.kind === 'duplicate')).toHaveLength(11)
    // Room for three more 4,096-byte files under a 16,384-byte limit: ten racers, three land.
    const racers = Array.from({ length: 10 }, () =>
      store.insertChunk(chunkOf(report, fileId(), 0, true, { reportLimitBytes: 16_384 })),
    )
    const outcomes = (await Promise.all(racers)).map((o) => o.kind).sort()
    expect(outcomes).toEqual([...Array(7).fill('limit_exceeded'), ...Array(3).fill('stored')])
    expect(await store.listChunks(community, report)).toHaveLength(4)
  })

  it('keeps chunks and counts across a reopen', async () => {
    const listed = await store.listChunks(community, reportA)
    const bytes = await store.attachmentBytes(community)
    const again =
      name === 'SQLite'
        ? openSqliteStore(ts.location.dataDir as string)
        : await openPgStore(ts.location.databaseUrl as string)
    try {
      expect(await again.listChunks(community, reportA)).toEqual(listed)
      expect(await again.attachmentBytes(community)).toBe(bytes)
    } finally {
      await again.close()
    }
  })
})
