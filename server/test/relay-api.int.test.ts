import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  boxKeyPairFromSeed,
  fromBase64url,
  generateSignKeyPair,
  open,
  toBase64url,
} from '../../shared/crypto'
import {
  type EnvelopeV1Json,
  ERRORS,
  type ErrorCode,
  envelopeFromJson,
  signManifest,
} from '../../shared/protocol'
import { createApp, type RelayApp } from '../app'
import { silentLogger } from '../log'
import { type FakeCommunity, fakeCommunity, fakeReport, json, signChallenge } from './fixtures'
import { BACKENDS, type TestStore } from './stores'

describe.each(BACKENDS)('relay API on $name', ({ open: openStore }) => {
  let ts: TestStore
  let app: RelayApp
  let clock = Date.parse('2026-11-25T10:30:00Z')
  const community: FakeCommunity = fakeCommunity('wiki-example', 2)
  let stored: EnvelopeV1Json
  let token: string
  let usedChallenge: string

  const call = async (path: string, init?: RequestInit): Promise<Response> =>
    app.request(`/api/v1${path}`, init)
  const reports = `/communities/${community.id}/reports`

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
    expect((await call(`/communities/${community.id}/manifest`, json(community.signed, 'PUT'))).status).toBe(
      201,
    )
    stored = await fakeReport(community, 'first report')
    expect((await call(reports, json(stored))).status).toBe(201)
    const { challenge } = (await (
      await call(`/communities/${community.id}/auth/challenge`, { method: 'POST' })
    ).json()) as {
      challenge: string
    }
    const session = await call(
      `/communities/${community.id}/auth/session`,
      json(signChallenge(community, 0, challenge)),
    )
    expect(session.status).toBe(201)
    token = ((await session.json()) as { token: string }).token
    usedChallenge = challenge
  })
  afterAll(async () => ts?.close())

  it('stores a report, answers a retry with the same receipt, and hands it to a broker who can open it', async () => {
    const envelope = await fakeReport(community, 'something happened on the talk page')
    const first = await call(reports, json(envelope))
    expect(first.status).toBe(201)
    const receipt = ((await first.json()) as { receipt: { seq: number; id: string; receivedAt: string } })
      .receipt
    expect(receipt.id).toBe(envelope.id)
    expect(receipt.receivedAt).toBe('2026-11-25T10:00:00.000Z') // coarsened to the hour
    const retry = await call(reports, json(envelope))
    expect(retry.status).toBe(200)
    expect(((await retry.json()) as { receipt: unknown }).receipt).toEqual(receipt)

    const page = await call(`${reports}?after=${receipt.seq - 1}`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(page.status).toBe(200)
    expect(page.headers.get('cache-control')).toBe('no-store')
    const body = (await page.json()) as { reports: { seq: number; envelope: EnvelopeV1Json }[]; next: string }
    expect(body.reports.map((r) => r.seq)).toEqual([receipt.seq])
    expect(body.next).toBe(String(receipt.seq))
    const secretKey = community.brokers[1]?.box.secretKey as never
    const opened = await open(envelopeFromJson(body.reports[0]?.envelope as EnvelopeV1Json), secretKey)
    expect(new TextDecoder().decode(opened)).toBe('something happened on the talk page')
  })

  it('pages through reports in sequence order', async () => {
    const all = await call(`${reports}?after=0&limit=1`, { headers: { authorization: `Bearer ${token}` } })
    const page = (await all.json()) as { reports: { seq: number }[]; next: string }
    expect(page.reports).toHaveLength(1)
    expect(page.reports[0]?.seq).toBe(1)
    const rest = (await (
      await call(`${reports}?after=${page.next}`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { reports: { seq: number }[] }
    expect(rest.reports[0]?.seq).toBe(2)
  })

  it('accepts a manifest update signed by the root, and then seals to the new team only', async () => {
    const next = fakeCommunity(community.id, 1, 2, community.root)
    expect((await call(`/communities/${community.id}/manifest`, json(next.signed, 'PUT'))).status).toBe(200)
    const current = (await (await call(`/communities/${community.id}/manifest`)).json()) as {
      payload: string
    }
    expect(current.payload).toBe(next.signed.payload)
    // A retry of a report stored before the change still gets its original receipt.
    const retry = await call(reports, json(stored))
    expect(retry.status).toBe(200)
    expect(((await retry.json()) as { receipt: { id: string } }).receipt.id).toBe(stored.id)
    // An envelope sealed only to the old team now names no current broker.
    const old = await fakeReport(community, 'sealed to the old team')
    expect((await (await call(reports, json(old))).json()) as unknown).toMatchObject({
      error: { code: 'no_current_recipient' },
    })
    const fresh = await fakeReport(next, 'sealed to the new team')
    expect((await call(reports, json(fresh))).status).toBe(201)
    // The removed broker's session no longer reads anything.
    const denied = await call(reports, { headers: { authorization: `Bearer ${token}` } })
    expect(denied.status).toBe(403)
    // Restore the original team for the tests that follow.
    const restored = { ...community.manifest, seq: 3 }
    expect(
      (
        await call(
          `/communities/${community.id}/manifest`,
          json(signManifest(restored, community.root.secretKey), 'PUT'),
        )
      ).status,
    ).toBe(200)
  })

  it('lets exactly one of two racing manifest updates land, and serves the chain in order', async () => {
    const base = (await (await call(`/communities/${community.id}/manifests?after=0`)).json()) as {
      manifests: { seq: number; payload: string }[]
    }
    const currentSeq = base.manifests.at(-1)?.seq ?? 0
    expect(base.manifests.map((m) => m.seq)).toEqual(Array.from({ length: currentSeq }, (_, i) => i + 1))
    const rotated = fakeCommunity(community.id, 1, currentSeq + 1, generateSignKeyPair())
    const rotation = signManifest(
      { ...community.manifest, seq: currentSeq + 1, root: rotated.manifest.root },
      community.root.secretKey,
    )
    const oldRoot = signManifest({ ...community.manifest, seq: currentSeq + 2 }, community.root.secretKey)
    const answers = await Promise.all([
      call(`/communities/${community.id}/manifest`, json(rotation, 'PUT')),
      call(`/communities/${community.id}/manifest`, json(oldRoot, 'PUT')),
    ])
    const outcomes = await Promise.all(
      answers.map(async (r) =>
        `${r.status} ${((await r.json()) as { error?: { code: string } }).error?.code ?? ''}`.trim(),
      ),
    )
    expect(outcomes.sort()).toEqual(['200', '409 manifest_changed'])
    const after = (await (
      await call(`/communities/${community.id}/manifests?after=${currentSeq}`)
    ).json()) as {
      manifests: { seq: number }[]
    }
    expect(after.manifests).toHaveLength(1)
    // Put the original root back in charge for the tests that follow (if the rotation won, it signs).
    const winner = after.manifests[0]?.seq === currentSeq + 1 ? rotated.root : community.root
    const restore = signManifest({ ...community.manifest, seq: currentSeq + 3 }, winner.secretKey)
    expect((await call(`/communities/${community.id}/manifest`, json(restore, 'PUT'))).status).toBe(200)
  })

  it('lists its communities with their names, so / can open a single-community relay', async () => {
    const res = await call('/communities')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ communities: [{ id: community.id, name: community.manifest.name }] })
    expect((await call('/communities', { method: 'POST' })).status).toBe(405)
  })

  it('serves a JSON 404 for unknown API paths and the OpenAPI description', async () => {
    const missing = await call('/no/such/route')
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: ERRORS.not_found.message } })
    const spec = (await (await call('/openapi.json')).json()) as { paths: Record<string, unknown> }
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/communities/{community}/reports', '/communities/{community}/manifest']),
    )
  })

  describe('refuses bad input with its documented code and changes nothing', () => {
    const cases: { name: string; code: ErrorCode; request: () => Promise<Response> }[] = [
      {
        name: 'truncated JSON',
        code: 'invalid_json',
        request: () => call(reports, json(JSON.stringify(stored).slice(0, 40))),
      },
      { name: 'not JSON', code: 'invalid_json', request: () => call(reports, json('hello')) },
      {
        name: 'invalid UTF-8',
        code: 'invalid_json',
        request: () =>
          call(reports, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: new Uint8Array([0x7b, 0xff, 0x7d]),
          }),
      },
      {
        name: 'wrong type for v',
        code: 'invalid_body',
        request: () => call(reports, json({ ...stored, v: '1' })),
      },
      {
        name: 'recipients not an array',
        code: 'invalid_body',
        request: () => call(reports, json({ ...stored, recipients: {} })),
      },
      {
        name: 'no recipients',
        code: 'invalid_body',
        request: () => call(reports, json({ ...stored, recipients: [] })),
      },
      {
        name: 'unknown field',
        code: 'invalid_body',
        request: () => call(reports, json({ ...stored, extra: 1 })),
      },
      {
        name: 'unknown version',
        code: 'unsupported_version',
        request: () => call(reports, json({ ...stored, v: 2 })),
      },
      {
        name: 'oversized body',
        code: 'body_too_large',
        request: () => call(reports, json({ ...stored, ct: 'A'.repeat(300 * 1024) })),
      },
      {
        name: 'oversized chunked body (no Content-Length)',
        code: 'body_too_large',
        request: () => {
          const chunk = new TextEncoder().encode('x'.repeat(64 * 1024))
          let sent = 0
          const body = new ReadableStream<Uint8Array>({
            pull(controller) {
              if (sent++ < 6) controller.enqueue(chunk)
              else controller.close()
            },
          })
          const init = {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
            duplex: 'half',
          }
          return call(reports, init as RequestInit)
        },
      },
      {
        name: 'bad base64 alphabet',
        code: 'invalid_encoding',
        request: () => call(reports, json({ ...stored, epk: `+${stored.epk.slice(1)}` })),
      },
      {
        name: 'non-canonical base64',
        code: 'invalid_encoding',
        request: () => call(reports, json({ ...stored, epk: `${stored.epk.slice(0, -1)}B` })),
      },
      {
        name: 'too many recipients',
        code: 'too_many_recipients',
        request: () => call(reports, json({ ...stored, recipients: Array(65).fill(stored.recipients[0]) })),
      },
      {
        name: 'duplicate recipient',
        code: 'duplicate_recipient',
        request: () =>
          call(reports, json({ ...stored, recipients: [stored.recipients[0], stored.recipients[0]] })),
      },
      {
        name: 'unknown community',
        code: 'unknown_community',
        request: async () =>
          call('/communities/nobody/reports', json(await fakeReport(fakeCommunity('nobody'), 'x'))),
      },
      {
        name: 'community mismatch',
        code: 'community_mismatch',
        request: () => call('/communities/other/reports', json(stored)),
      },
      {
        name: 'invalid community id',
        code: 'invalid_community',
        request: () => call('/communities/Not_Valid/reports', json(stored)),
      },
      {
        name: 'wrong kind',
        code: 'wrong_kind',
        request: () => call(reports, json({ ...stored, kind: 'reply' })),
      },
      {
        name: 'id not derived from its key',
        code: 'id_mismatch',
        request: () => call(reports, json({ ...stored, id: 'AAAAAAAAAAAAAAAAAAAAAA' })),
      },
      {
        name: 'unpadded ciphertext',
        code: 'unpadded_ciphertext',
        request: () => call(reports, json({ ...stored, ct: toBase64url(new Uint8Array(100)) })),
      },
      {
        name: 'id replayed with other bytes',
        code: 'id_conflict',
        request: () => call(reports, json({ ...stored, nonce: toBase64url(new Uint8Array(24)) })),
      },
      {
        name: 'sealed to nobody current',
        code: 'no_current_recipient',
        request: async () =>
          call(reports, json(await fakeReport({ ...fakeCommunity(community.id), id: community.id }, 'x'))),
      },
      {
        name: 'wrong content type',
        code: 'unsupported_media_type',
        request: () =>
          call(reports, {
            method: 'POST',
            headers: { 'content-type': 'text/plain' },
            body: JSON.stringify(stored),
          }),
      },
      {
        name: 'manifest signed by a stranger',
        code: 'manifest_not_chained',
        request: () =>
          call(
            `/communities/${community.id}/manifest`,
            json(fakeCommunity(community.id, 1, 9).signed, 'PUT'),
          ),
      },
      {
        name: 'manifest with a lower sequence',
        code: 'stale_manifest',
        request: () =>
          call(
            `/communities/${community.id}/manifest`,
            json(signManifest({ ...community.manifest, seq: 2 }, community.root.secretKey), 'PUT'),
          ),
      },
      {
        name: 'manifest with a bad signature',
        code: 'bad_signature',
        request: () =>
          call(
            `/communities/${community.id}/manifest`,
            json(
              {
                ...signManifest({ ...community.manifest, seq: 9 }, community.root.secretKey),
                signature: toBase64url(new Uint8Array(64)),
              },
              'PUT',
            ),
          ),
      },
      {
        name: 'manifest payload that is no manifest',
        code: 'manifest_invalid',
        request: () =>
          call(
            `/communities/${community.id}/manifest`,
            json(
              {
                payload: toBase64url(new TextEncoder().encode('{"v":1}')),
                signature: toBase64url(new Uint8Array(64)),
              },
              'PUT',
            ),
          ),
      },
      {
        name: 'manifest for another community',
        code: 'community_mismatch',
        request: () => call('/communities/elsewhere/manifest', json(community.signed, 'PUT')),
      },
      {
        name: 'manifest body of wrong shape',
        code: 'invalid_body',
        request: () => call(`/communities/${community.id}/manifest`, json({ payload: 1 }, 'PUT')),
      },
      {
        name: 'session with a bad signature',
        code: 'bad_signature',
        request: async () =>
          call(
            `/communities/${community.id}/auth/session`,
            json({
              ...signChallenge(community, 0, await challenge()),
              signature: toBase64url(new Uint8Array(64)),
            }),
          ),
      },
      {
        name: 'session with a stale challenge',
        code: 'challenge_expired',
        request: async () => {
          const c = await challenge()
          clock += 10 * 60_000
          try {
            return await call(
              `/communities/${community.id}/auth/session`,
              json(signChallenge(community, 0, c)),
            )
          } finally {
            clock -= 10 * 60_000
          }
        },
      },
      {
        name: 'session with a forged challenge',
        code: 'invalid_challenge',
        request: () =>
          call(
            `/communities/${community.id}/auth/session`,
            json(signChallenge(community, 0, toBase64url(new Uint8Array(37).fill(1)))),
          ),
      },
      {
        name: 'session with another community’s challenge',
        code: 'invalid_challenge',
        request: async () =>
          call(
            `/communities/${community.id}/auth/session`,
            json(signChallenge(community, 0, await challenge('other-community'))),
          ),
      },
      {
        name: 'session with a used challenge',
        code: 'challenge_used',
        request: () =>
          call(`/communities/${community.id}/auth/session`, json(signChallenge(community, 0, usedChallenge))),
      },
      {
        name: 'session for a key not in the manifest',
        code: 'not_a_broker',
        request: async () =>
          call(
            `/communities/${community.id}/auth/session`,
            json(
              signChallenge(
                {
                  ...community,
                  brokers: [{ box: community.brokers[0]?.box as never, sign: generateSignKeyPair() }],
                },
                0,
                await challenge(),
              ),
            ),
          ),
      },
      { name: 'reports without a session', code: 'unauthorized', request: () => call(reports) },
      {
        name: 'reports with an unknown token',
        code: 'session_expired',
        request: () => call(reports, { headers: { authorization: `Bearer ${'x'.repeat(43)}` } }),
      },
      {
        name: 'reports with a bad cursor',
        code: 'invalid_cursor',
        request: () => call(`${reports}?after=-1`, { headers: { authorization: `Bearer ${token}` } }),
      },
      {
        name: 'reports with a bad limit',
        code: 'invalid_limit',
        request: () => call(`${reports}?limit=0`, { headers: { authorization: `Bearer ${token}` } }),
      },
      {
        name: 'manifest history of an unknown community',
        code: 'unknown_community',
        request: () => call('/communities/nobody/manifests'),
      },
      {
        name: 'manifest history with a bad cursor',
        code: 'invalid_cursor',
        request: () => call(`/communities/${community.id}/manifests?after=x`),
      },
      {
        name: 'challenge for an unknown community',
        code: 'unknown_community',
        request: () => call('/communities/nobody/auth/challenge', { method: 'POST' }),
      },
      { name: 'unknown API route', code: 'not_found', request: () => call('/reports') },
      {
        name: 'wrong method',
        code: 'method_not_allowed',
        request: () => call(reports, { method: 'DELETE' }),
      },
    ]

    async function challenge(forCommunity = community.id): Promise<string> {
      if (forCommunity !== community.id) {
        // Another community on the same relay, so its challenge is genuine but not ours.
        const other = fakeCommunity(forCommunity)
        await call(`/communities/${forCommunity}/manifest`, json(other.signed, 'PUT'))
      }
      const res = await call(`/communities/${forCommunity}/auth/challenge`, { method: 'POST' })
      return ((await res.json()) as { challenge: string }).challenge
    }

    it('has at least 25 documented cases', () => expect(cases.length).toBeGreaterThanOrEqual(25))

    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, { code, request }) => {
      // Set-up writes (another community, for one case) happen before the snapshot is taken.
      if (code === 'invalid_challenge') await challenge('other-community')
      const before = await ts.snapshot()
      const res = await request()
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect({ status: res.status, code: body.error?.code }).toEqual({ status: ERRORS[code].status, code })
      expect(body.error.message).toBe(ERRORS[code].message)
      expect(await ts.snapshot()).toBe(before)
    })
  })

  it('stores exactly what a broker can open, nothing readable', async () => {
    const reader = boxKeyPairFromSeed(community.brokers[0]?.box.secretKey as Uint8Array).secretKey
    const page = (await (await call(reports, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      reports: { envelope: EnvelopeV1Json }[]
    }
    expect(page.reports.length).toBeGreaterThan(0)
    expect(fromBase64url(page.reports[0]?.envelope.ct ?? '')).not.toBeNull()
    await expect(
      open(envelopeFromJson(page.reports[0]?.envelope as EnvelopeV1Json), reader),
    ).resolves.toBeInstanceOf(Uint8Array)
  })
})
