import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fromBase64url, toBase64url } from '../../shared/crypto'
import {
  logLeafHash,
  rootOf,
  type SignedTreeHead,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHead,
} from '../../shared/log'
import { canonicalEnvelopeText, ERRORS, type ErrorCode } from '../../shared/protocol'
import { createApp, type RelayApp } from '../app'
import { silentLogger } from '../log'
import { type FakeCommunity, fakeCommunity, fakeReport, json } from './fixtures'
import { BACKENDS, type TestStore } from './stores'

/**
 * The transparency log over HTTP, on both back ends: every stored report is a leaf; the head is
 * signed by the relay's log key; inclusion and consistency proofs verify against heads, computed
 * independently here from the receipts; bad parameters are typed errors that change nothing.
 */
describe.each(BACKENDS)('transparency log on $name', ({ open: openStore }) => {
  let ts: TestStore
  let app: RelayApp
  const community: FakeCommunity = fakeCommunity('logged-wiki', 1)
  const empty: FakeCommunity = fakeCommunity('empty-wiki', 1)
  const leaves: Uint8Array[] = []
  let logKey: string

  const get = async (path: string) => {
    const res = await app.request(`/api/v1${path}`)
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }
  const head = async (c = community.id) => (await get(`/communities/${c}/log/head`)).body as SignedTreeHead
  const proofOf = (body: Record<string, unknown>) =>
    (body.proof as string[]).map((h) => fromBase64url(h) ?? new Uint8Array())

  const post = (text: string) => app.request(`/api/v1/communities/${community.id}/reports`, json(text))

  async function postReport(text: string): Promise<string> {
    const envelope = canonicalEnvelopeText(await fakeReport(community, text))
    const res = await post(envelope)
    expect(res.status).toBe(201)
    const { receipt } = (await res.json()) as { receipt: { hash: string } }
    leaves.push(logLeafHash('report', receipt.hash))
    return envelope
  }

  beforeAll(async () => {
    ts = await openStore()
    app = await createApp({ store: ts.store, log: silentLogger, staticDir: null, communitySetup: 'open' })
    for (const c of [community, empty]) {
      expect((await app.request(`/api/v1/communities/${c.id}/manifest`, json(c.signed, 'PUT'))).status).toBe(
        201,
      )
    }
    logKey = String((await get('/log-key')).body.key)
  })
  afterAll(async () => ts?.close())

  it('signs the head of an empty log, and of a log that grows with every stored report', async () => {
    const zero = verifyTreeHead(await head(empty.id), logKey, empty.id)
    expect(zero?.size).toBe(0)
    expect(zero?.root).toBe(toBase64url(rootOf([])))
    let last = ''
    for (const text of ['one', 'two', 'three']) last = await postReport(text)
    const three = verifyTreeHead(await head(), logKey, community.id)
    expect(three?.size).toBe(3)
    expect(three?.root).toBe(toBase64url(rootOf(leaves)))
    // A retry stores nothing and adds no leaf.
    expect((await post(last)).status).toBe(200)
    expect((await head()).size).toBe(3)
  })

  it('hands every receipt its leaf index, a signed head covering it and the inclusion proof', async () => {
    const check = async (res: Response, expectedIndex: number) => {
      const { receipt } = (await res.json()) as {
        receipt: { hash: string; log: { index: number; head: unknown; proof: string[] } }
      }
      const leaf = logLeafHash('report', receipt.hash)
      expect(receipt.log.index).toBe(expectedIndex)
      const signed = verifyTreeHead(receipt.log.head, logKey, community.id)
      if (!signed) throw new Error('the receipt head does not verify')
      expect(signed.size).toBeGreaterThan(expectedIndex)
      const proof = receipt.log.proof.map((h) => fromBase64url(h) ?? new Uint8Array())
      expect(
        verifyInclusion(leaf, expectedIndex, signed.size, proof, fromBase64url(signed.root) as Uint8Array),
      ).toBe(true)
      return leaf
    }
    // Concurrent posts share catch-ups and heads; each still gets its own proof.
    const envelopes = await Promise.all(
      ['six', 'seven', 'eight', 'nine'].map(async (t) =>
        canonicalEnvelopeText(await fakeReport(community, t)),
      ),
    )
    const answers = await Promise.all(envelopes.map((e) => post(e)))
    const start = leaves.length
    const bodies = await Promise.all(answers.map((r) => r.clone().json()))
    const order = bodies.map((b) => (b as { receipt: { log: { index: number } } }).receipt.log.index)
    expect([...order].sort((a, b) => a - b)).toEqual([start, start + 1, start + 2, start + 3])
    const added: [number, Uint8Array][] = []
    for (const [i, res] of answers.entries()) {
      expect(res.status).toBe(201)
      added.push([order[i] as number, await check(res, order[i] as number)])
    }
    for (const [, leaf] of added.sort((a, b) => a[0] - b[0])) leaves.push(leaf)
    // A retry gets the same place in the log.
    await check(await post(envelopes[0] as string), order[0] as number)
  })

  it('proves every report is in the log, at its size and at later sizes', async () => {
    for (const text of ['four', 'five']) await postReport(text)
    const now = verifyTreeHead(await head(), logKey, community.id)
    if (!now) throw new Error('head did not verify')
    for (let index = 0; index < leaves.length; index++) {
      for (const size of [index + 1, leaves.length]) {
        const leaf = toBase64url(leaves[index] as Uint8Array)
        const { status, body } = await get(
          `/communities/${community.id}/log/inclusion?leaf=${leaf}&size=${size}`,
        )
        expect(status).toBe(200)
        expect(body.index).toBe(index)
        const root =
          size === now.size ? (fromBase64url(now.root) as Uint8Array) : rootOf(leaves.slice(0, size))
        expect(verifyInclusion(leaves[index] as Uint8Array, index, size, proofOf(body), root)).toBe(true)
      }
    }
  })

  it('proves the log only grew between any two sizes', async () => {
    const size = leaves.length
    for (let from = 0; from <= size; from++) {
      const { status, body } = await get(
        `/communities/${community.id}/log/consistency?from=${from}&to=${size}`,
      )
      expect(status).toBe(200)
      expect(
        verifyConsistency(from, size, rootOf(leaves.slice(0, from)), rootOf(leaves), proofOf(body)),
      ).toBe(true)
    }
  })

  it('answers bad parameters with typed errors and changes nothing', async () => {
    const before = await ts.snapshot()
    const leaf = toBase64url(leaves[0] as Uint8Array)
    const cases: [string, ErrorCode][] = [
      [`/communities/${community.id}/log/consistency?from=2&to=1`, 'invalid_log_size'],
      [`/communities/${community.id}/log/consistency?from=0&to=99`, 'invalid_log_size'],
      [`/communities/${community.id}/log/consistency?from=-1&to=1`, 'invalid_log_size'],
      [`/communities/${community.id}/log/consistency?to=1`, 'invalid_log_size'],
      [`/communities/${community.id}/log/inclusion?leaf=${leaf}&size=0`, 'invalid_log_size'],
      [`/communities/${community.id}/log/inclusion?leaf=${leaf}&size=99`, 'invalid_log_size'],
      [`/communities/${community.id}/log/inclusion?leaf=short&size=1`, 'invalid_leaf'],
      [
        `/communities/${community.id}/log/inclusion?leaf=${toBase64url(new Uint8Array(32))}&size=1`,
        'unknown_leaf',
      ],
      [
        `/communities/${community.id}/log/inclusion?leaf=${toBase64url(leaves[1] as Uint8Array)}&size=1`,
        'unknown_leaf',
      ],
      ['/communities/nobody-here/log/head', 'unknown_community'],
      ['/communities/Not_Valid/log/head', 'invalid_community'],
    ]
    for (const [path, code] of cases) {
      const { status, body } = await get(path)
      expect({ path, status, code: (body.error as { code?: string })?.code }).toEqual({
        path,
        status: ERRORS[code].status,
        code,
      })
    }
    expect(await ts.snapshot()).toBe(before)
  })
})
