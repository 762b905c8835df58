import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  boxKeyPairFromSeed,
  fromBase64url,
  generateSignKeyPair,
  type SignKeyPair,
  signDetached,
  signKeyPairFromSeed,
  toBase64url,
  utf8,
} from '../crypto'
import {
  CASE_EVENT_LIMITS,
  CASE_EVENT_SIGNING_DOMAIN,
  CASE_OUTCOMES,
  CASE_STATUSES,
  type CaseChange,
  type CaseEventV1,
  decodeSignedCaseEvent,
  encodeSignedCaseEvent,
  isCaseId,
  type SignedCaseEvent,
  signCaseEvent,
  verifyCaseEvent,
} from './case-event.schema'
import { ProtocolError } from './errors'
import { grantKeysLength } from './grant-keys'
import { brokerEntry, type Manifest } from './manifest'

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn()
  } catch (error) {
    return error instanceof ProtocolError ? error.code : 'not a ProtocolError'
  }
  return undefined
}

const seeded = (n: number): SignKeyPair => signKeyPairFromSeed(new Uint8Array(32).fill(n))
const brokers = [seeded(1), seeded(2)]
const manifest: Manifest = {
  v: 1,
  community: 'wiki-example',
  name: 'Example Wiki',
  seq: 1,
  issuedAt: '2026-11-25T10:00:00.000Z',
  root: toBase64url(seeded(9).publicKey),
  brokers: brokers.map((b, i) =>
    brokerEntry(`Broker ${i}`, boxKeyPairFromSeed(new Uint8Array(32).fill(20 + i)).publicKey, b.publicKey),
  ),
  policy: '',
}
const caseId = toBase64url(new Uint8Array(16).fill(3))
const author = (pair: SignKeyPair) => toBase64url(pair.publicKey)
const event = (change: CaseChange, pair: SignKeyPair = brokers[0] as SignKeyPair): CaseEventV1 => ({
  v: 1,
  case: caseId,
  at: '2026-11-25T10:31:07.000Z',
  author: author(pair),
  change,
})

/** Stand-in sealed keys of the right length for `count` reports (the schema checks only the length). */
const grantKeys = (count: number) => toBase64url(new Uint8Array(grantKeysLength(count)).fill(7))
const reportId = (i: number) =>
  toBase64url(Uint8Array.from({ length: 16 }, (_, j) => (i >> (8 * (j % 2))) & 255))
const b64 = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map(toBase64url)
const typed = (max: number) =>
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: max })
    .filter((s) => s.length <= max && !/[\p{Cc}]/u.test(s.replace(/[\t\n\r]/g, '')))
const tag = fc
  .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 })
  .map((s) => s.trim())
  .filter((s) => s.length > 0 && !/\p{Cc}/u.test(s))
const change: fc.Arbitrary<CaseChange> = fc.oneof(
  fc.constantFrom(...CASE_STATUSES.filter((s) => s !== 'closed')).map((status) => ({
    type: 'status' as const,
    status,
  })),
  fc.constantFrom(...CASE_OUTCOMES).map((outcome) => ({
    type: 'status' as const,
    status: 'closed' as const,
    outcome,
  })),
  typed(300).map((text) => ({ type: 'note' as const, text })),
  fc.option(b64(32), { nil: null }).map((to) => ({ type: 'assign' as const, to })),
  fc
    .uniqueArray(tag, { minLength: 1, maxLength: 20 })
    .map((tags) => ({ type: 'tag' as const, add: tags.slice(0, 10), remove: tags.slice(10) })),
  fc.tuple(b64(16), b64(16)).map(([mailbox, replyId]) => ({ type: 'reply' as const, mailbox, replyId })),
  fc
    .tuple(b64(32), fc.uniqueArray(b64(16), { minLength: 1, maxLength: 5 }))
    .chain(([to, reports]) =>
      b64(grantKeysLength(reports.length)).map((keys) => ({ type: 'grant' as const, to, reports, keys })),
    ),
)
const anEvent = fc.tuple(change, fc.constantFrom(0, 1)).map(([c, i]) => event(c, brokers[i]))

describe('case events: signing and verifying', () => {
  it('signs a frozen vector: the exact text and the exact signature', () => {
    // Frozen: a change here breaks every event already signed.
    const signed = signCaseEvent(event({ type: 'status', status: 'closed', outcome: 'resolved' }), seeded(1))
    expect(signed.event).toBe(
      `{"v":1,"case":"${caseId}","at":"2026-11-25T10:31:07.000Z","author":"${author(seeded(1))}",` +
        '"change":{"type":"status","status":"closed","outcome":"resolved"}}',
    )
    expect(signed.signature).toBe(
      toBase64url(signDetached('heard/case-event/v1', utf8(signed.event), seeded(1).secretKey)),
    )
    expect(CASE_EVENT_SIGNING_DOMAIN).toBe('heard/case-event/v1')
    expect(new TextDecoder().decode(encodeSignedCaseEvent(signed))).toBe(
      JSON.stringify({ event: signed.event, signature: signed.signature }),
    )
  })

  it('round-trips: sign → encode → decode → verify gives the event back', () => {
    fc.assert(
      fc.property(anEvent, (e) => {
        const signer = e.author === author(brokers[0] as SignKeyPair) ? brokers[0] : brokers[1]
        const signed = signCaseEvent(e, signer as SignKeyPair)
        const decoded = decodeSignedCaseEvent(encodeSignedCaseEvent(signed))
        expect(decoded).toEqual(signed)
        expect(verifyCaseEvent(decoded, manifest)).toEqual({ ok: true, event: e })
      }),
      { numRuns: 100 },
    )
  })

  it('any flipped bit in the event text or the signature is refused', () => {
    fc.assert(
      fc.property(anEvent, fc.nat(), fc.integer({ min: 0, max: 15 }), fc.boolean(), (e, at, bit, inText) => {
        const signer = e.author === author(brokers[0] as SignKeyPair) ? brokers[0] : brokers[1]
        const signed = signCaseEvent(e, signer as SignKeyPair)
        const flip = (s: string, b: number) => {
          const i = at % s.length
          return s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ (1 << b)) + s.slice(i + 1)
        }
        // The signature is base64url text: flip a bit of its bytes, keeping it canonical.
        const sigBytes = (fromBase64url(signed.signature) as Uint8Array).map((byte, i) =>
          i === at % 64 ? byte ^ (1 << (bit % 8)) : byte,
        )
        const forged: SignedCaseEvent = inText
          ? { ...signed, event: flip(signed.event, bit) }
          : { ...signed, signature: toBase64url(sigBytes) }
        const verdict = verifyCaseEvent(forged, manifest)
        expect(verdict.ok).toBe(false)
      }),
      { numRuns: 200 },
    )
  })

  it('an author who is not a broker of the manifest is not_a_broker, even with a good signature', () => {
    fc.assert(
      fc.property(change, (c) => {
        const stranger = generateSignKeyPair()
        const signed = signCaseEvent(event(c, stranger), stranger)
        expect(verifyCaseEvent(signed, manifest)).toEqual({ ok: false, reason: 'not_a_broker' })
        // The same event is good against a manifest that lists the stranger.
        const listing = {
          ...manifest,
          brokers: [brokerEntry('New', boxKeyPairFromSeed(new Uint8Array(32)).publicKey, stranger.publicKey)],
        }
        expect(verifyCaseEvent(signed, listing).ok).toBe(true)
      }),
      { numRuns: 25 },
    )
  })

  it('a signature by another broker over the same text is bad_signature', () => {
    const signed = signCaseEvent(event({ type: 'note', text: 'called them' }), seeded(1))
    const other = toBase64url(
      signDetached(CASE_EVENT_SIGNING_DOMAIN, utf8(signed.event), seeded(2).secretKey),
    )
    expect(verifyCaseEvent({ ...signed, signature: other }, manifest)).toEqual({
      ok: false,
      reason: 'bad_signature',
    })
    // Signed for another purpose (no domain): refused.
    const bare = toBase64url(signDetached('heard/manifest/v1', utf8(signed.event), seeded(1).secretKey))
    expect(verifyCaseEvent({ ...signed, signature: bare }, manifest).ok).toBe(false)
  })

  it('malformed input is a typed result or a ProtocolError, never anything else', () => {
    const anything = fc.oneof(
      fc.anything(),
      fc.record({ event: fc.string(), signature: fc.string() }),
      fc.record({ event: fc.json(), signature: b64(64) }),
      anEvent.map((e) => ({ event: JSON.stringify(e), signature: toBase64url(new Uint8Array(64)) })),
    )
    fc.assert(
      fc.property(anything, (input) => {
        const verdict = verifyCaseEvent(input as SignedCaseEvent, manifest)
        expect(verdict.ok).toBe(false)
        if (!verdict.ok) expect(['malformed', 'not_a_broker', 'bad_signature']).toContain(verdict.reason)
        const code = codeOf(() => decodeSignedCaseEvent(utf8(JSON.stringify(input) ?? 'undefined')))
        expect(code === undefined || code !== 'not a ProtocolError').toBe(true)
      }),
      { numRuns: 1000 },
    )
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(codeOf(() => decodeSignedCaseEvent(bytes))).not.toBe('not a ProtocolError')
      }),
    )
  })
})

describe('case events: the schema', () => {
  const sign = (e: unknown) => codeOf(() => signCaseEvent(e as CaseEventV1, seeded(1)))
  const wrapped = (text: string) =>
    encodeSignedCaseEvent({
      event: text,
      signature: toBase64url(signDetached(CASE_EVENT_SIGNING_DOMAIN, utf8(text), seeded(1).secretKey)),
    })

  it('accepts every kind of change', () => {
    for (const c of [
      { type: 'status', status: 'acknowledged' },
      { type: 'status', status: 'closed', outcome: 'withdrawn' },
      { type: 'note', text: 'x'.repeat(CASE_EVENT_LIMITS.noteChars) },
      { type: 'note', text: 'line one\nline two\ttabbed 🙂' },
      { type: 'assign', to: author(seeded(2)) },
      { type: 'assign', to: null },
      { type: 'tag', add: ['harassment', 'off-wiki'] },
      { type: 'tag', remove: ['urgent'] },
      { type: 'reply', mailbox: caseId, replyId: caseId },
      { type: 'grant', to: author(seeded(2)), reports: [caseId], keys: grantKeys(1) },
      {
        type: 'grant',
        to: author(seeded(2)),
        reports: Array.from({ length: CASE_EVENT_LIMITS.grantReports }, (_, i) => reportId(i)),
        keys: grantKeys(CASE_EVENT_LIMITS.grantReports),
      },
    ] as CaseChange[]) {
      expect(sign(event(c))).toBeUndefined()
    }
  })

  it('refuses what breaks the rules, with a code', () => {
    const bad: unknown[] = [
      event({ type: 'status', status: 'closed' } as never),
      event({ type: 'status', status: 'new', outcome: 'resolved' } as never),
      event({ type: 'status', status: 'lost' } as never),
      event({ type: 'note', text: '' }),
      event({ type: 'note', text: 'x'.repeat(CASE_EVENT_LIMITS.noteChars + 1) }),
      event({ type: 'note', text: 'bell \u0007' }),
      event({ type: 'note', text: 'half \ud83d' }),
      event({ type: 'assign' } as never),
      event({ type: 'tag' }),
      event({ type: 'tag', add: [] }),
      event({ type: 'tag', add: ['a'], remove: ['a'] }),
      event({ type: 'tag', add: ['a', 'a'] }),
      event({ type: 'tag', add: [' padded'] }),
      event({ type: 'tag', add: ['two\nlines'] }),
      event({ type: 'tag', add: ['x'.repeat(41)] }),
      event({ type: 'tag', add: Array.from({ length: 21 }, (_, i) => `t${i}`) }),
      event({ type: 'grant', to: author(seeded(2)), reports: [], keys: grantKeys(0) }),
      event({ type: 'grant', to: author(seeded(2)), reports: [caseId], keys: grantKeys(2) }),
      event({ type: 'grant', to: author(seeded(2)), reports: [caseId, caseId], keys: grantKeys(2) }),
      event({ type: 'grant', to: author(seeded(2)), reports: [caseId] } as never),
      event({
        type: 'grant',
        to: author(seeded(2)),
        reports: Array.from({ length: CASE_EVENT_LIMITS.grantReports + 1 }, (_, i) => reportId(i)),
        keys: grantKeys(CASE_EVENT_LIMITS.grantReports + 1),
      }),
      event({ type: 'reply', mailbox: caseId } as never),
      event({ type: 'delete' } as never),
      { ...event({ type: 'note', text: 'x' }), at: '2026-11-25T10:31:07+01:00' },
      { ...event({ type: 'note', text: 'x' }), case: 'short' },
      { ...event({ type: 'note', text: 'x' }), extra: 1 },
    ]
    for (const e of bad) expect(['invalid_body', 'invalid_encoding']).toContain(sign(e))
    // Signing with another key than the author's.
    expect(codeOf(() => signCaseEvent(event({ type: 'note', text: 'x' }), seeded(2)))).toBe('invalid_body')
  })

  it('decodes only well-formed signed events', () => {
    const good = signCaseEvent(event({ type: 'note', text: 'x' }), seeded(1))
    expect(decodeSignedCaseEvent(encodeSignedCaseEvent(good))).toEqual(good)
    expect(codeOf(() => decodeSignedCaseEvent(utf8('{"event":')))).toBe('invalid_json')
    expect(codeOf(() => decodeSignedCaseEvent(new Uint8Array([0x7b, 0xff, 0x7d])))).toBe('invalid_json')
    expect(codeOf(() => decodeSignedCaseEvent(utf8(JSON.stringify({ ...good, extra: 1 }))))).toBe(
      'invalid_body',
    )
    const v2 = good.event.replace('{"v":1', '{"v":2')
    expect(codeOf(() => decodeSignedCaseEvent(wrapped(v2)))).toBe('unsupported_version')
    expect(codeOf(() => decodeSignedCaseEvent(wrapped('{"v":1')))).toBe('invalid_json')
    expect(codeOf(() => decodeSignedCaseEvent(wrapped('{"v":1,"case":"x"}')))).toBe('invalid_body')
    const long = JSON.stringify({
      event: `"${'x'.repeat(CASE_EVENT_LIMITS.eventChars)}"`,
      signature: good.signature,
    })
    expect(codeOf(() => decodeSignedCaseEvent(utf8(long)))).toBe('invalid_body')
  })

  it('knows a case id: a report id, canonical base64url of 16 bytes', () => {
    expect(isCaseId(caseId)).toBe(true)
    expect(isCaseId(caseId.slice(0, 21))).toBe(false)
    expect(isCaseId(`${caseId.slice(0, 21)}B`)).toBe(false)
    expect(isCaseId('+'.repeat(22))).toBe(false)
  })
})
