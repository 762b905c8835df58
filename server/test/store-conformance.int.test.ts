import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomBytes, sha256, toBase64url, utf8 } from '../../shared/crypto'
import { canonicalEnvelopeText } from '../../shared/protocol'
import { openPgStore } from '../db/pg-store'
import { openSqliteStore } from '../db/sqlite-store'
import { envelopeText, type NewReport, type Store, splitEnvelopeText } from '../db/store'
import { fakeCommunity, fakeReport } from './fixtures'
import { BACKENDS, type TestStore } from './stores'

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
    expect(rows[0]?.envelopeText).toBe(envelopeText(stored.head, toBase64url(stored.ct)))
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
        hash: `h${i}`,
        head: '{"v":1}',
        ct: randomBytes(32),
        receivedAt: 't',
        sealedToCurrentTeam: true,
      })
      const reports = await Promise.all(Array.from({ length: 200 }, (_, i) => make(i)))
      const outcomes = await Promise.all(reports.map((r, i) => (i % 2 ? other : ts.store).insertReports([r])))
      const seqs = outcomes.flat().map((o) => ('receipt' in o ? o.receipt.seq : -1))
      expect(seqs.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
    } finally {
      await other.close()
      await ts.close()
    }
  })
})
