import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  boxKeyPairFromSeed,
  fromBase64url,
  fromUtf8,
  generateSignKeyPair,
  type SignKeyPair,
  signDetached,
  signKeyPairFromSeed,
  toBase64url,
  utf8,
} from '../crypto'
import {
  CANNED_KINDS,
  CANNED_RESPONSES_LIMITS,
  CANNED_RESPONSES_SIGNING_DOMAIN,
  type CannedResponse,
  type CannedResponsesV1,
  cannedResponsesPath,
  findCannedResponse,
  isLanguageTag,
  readSignedCannedResponses,
  type SignedCannedResponses,
  signCannedResponses,
  verifyCannedResponses,
  verifyCurrentCannedResponses,
} from './canned-responses.schema'
import { ProtocolError } from './errors'
import { brokerEntry, type Manifest } from './manifest'

/** The code of the ProtocolError `fn` throws, 'accepted' if it returns; anything else thrown fails the test. */
const codeOf = (fn: () => unknown): string => {
  try {
    fn()
  } catch (error) {
    if (error instanceof ProtocolError) return error.code
    throw error
  }
  return 'accepted'
}

const seeded = (n: number): SignKeyPair => signKeyPairFromSeed(new Uint8Array(32).fill(n))
const brokers = [seeded(1), seeded(2)] as const
const COMMUNITY = 'wiki-example'
const manifest: Manifest = {
  v: 1,
  community: COMMUNITY,
  name: 'Example Wiki',
  seq: 1,
  issuedAt: '2026-11-25T10:00:00.000Z',
  root: toBase64url(seeded(9).publicKey),
  brokers: brokers.map((b, i) =>
    brokerEntry(`Broker ${i}`, boxKeyPairFromSeed(new Uint8Array(32).fill(20 + i)).publicKey, b.publicKey),
  ),
  policy: '',
}
const author = (pair: SignKeyPair) => toBase64url(pair.publicKey)
const doc = (
  responses: CannedResponse[],
  overrides: Partial<CannedResponsesV1> = {},
  pair: SignKeyPair = brokers[0],
): CannedResponsesV1 => ({
  v: 1,
  community: COMMUNITY,
  seq: 1,
  issuedAt: '2026-11-25T10:31:07.000Z',
  author: author(pair),
  responses,
  ...overrides,
})
const ack: CannedResponse = {
  kind: 'acknowledgement',
  language: 'en',
  text: 'Thank you for telling us. A person from our safety team has your report.',
}
/** What the previous version's seq must be for `d` to be the next one. */
const previous = (d: CannedResponsesV1) => (d.seq === 1 ? null : d.seq - 1)
const verify = (input: unknown, currentSeq: number | null, m: Manifest = manifest) =>
  verifyCannedResponses(input, { manifest: m, community: COMMUNITY, currentSeq })
/** Sign arbitrary payload text as broker 0 would, bypassing signCannedResponses' own checks. */
const signRaw = (text: string, pair: SignKeyPair = brokers[0]): SignedCannedResponses => ({
  payload: toBase64url(utf8(text)),
  signature: toBase64url(signDetached(CANNED_RESPONSES_SIGNING_DOMAIN, utf8(text), pair.secretKey)),
})

const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const language = fc
  .tuple(
    fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 2, maxLength: 3 }),
    fc.array(fc.string({ unit: fc.constantFrom(...alnum), minLength: 2, maxLength: 8 }), { maxLength: 3 }),
  )
  .map(([primary, subtags]) => [primary, ...subtags].join('-'))
  .filter((tag) => tag.length <= CANNED_RESPONSES_LIMITS.languageChars)
const typed = (max: number) =>
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: max })
    .filter((s) => s.length <= max && !/\p{Cc}/u.test(s.replace(/[\t\n\r]/g, '')))
const response: fc.Arbitrary<CannedResponse> = fc.record({
  kind: fc.constantFrom(...CANNED_KINDS),
  language,
  text: typed(300),
})
const responses = fc.uniqueArray(response, {
  selector: (r) => `${r.kind} ${r.language.toLowerCase()}`,
  maxLength: 12,
})
const aDoc = fc
  .record({
    responses,
    seq: fc.integer({ min: 1, max: 1_000_000 }),
    issuedAt: fc
      .date({ min: new Date(0), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    broker: fc.constantFrom(0, 1),
  })
  .map(({ responses, seq, issuedAt, broker }) =>
    doc(responses, { seq, issuedAt }, brokers[broker] as SignKeyPair),
  )
const signerOf = (d: CannedResponsesV1) => (d.author === author(brokers[0]) ? brokers[0] : brokers[1])

describe('canned responses: signing and verifying', () => {
  it('signs a frozen layout: members in schema order, the domain label, the exact signature', () => {
    // Frozen: a change here changes what brokers sign.
    expect(CANNED_RESPONSES_SIGNING_DOMAIN).toBe('heard/canned-responses/v1')
    expect(CANNED_KINDS).toEqual(['acknowledgement', 'referral', 'cannot_act', 'closing'])
    const signed = signCannedResponses(doc([{ text: 'x', language: 'pt-BR', kind: 'closing' }]), brokers[0])
    const text = fromUtf8(fromBase64url(signed.payload) as Uint8Array)
    expect(text).toBe(
      `{"v":1,"community":"${COMMUNITY}","seq":1,"issuedAt":"2026-11-25T10:31:07.000Z",` +
        `"author":"${author(brokers[0])}","responses":[{"kind":"closing","language":"pt-BR","text":"x"}]}`,
    )
    expect(signed).toEqual(signRaw(text))
  })

  it('round-trips: sign → verify gives the document back', () => {
    fc.assert(
      fc.property(aDoc, (d) => {
        const signed = signCannedResponses(d, signerOf(d))
        expect(readSignedCannedResponses(signed)).toEqual({ signed, doc: d })
        expect(verify(signed, previous(d))).toEqual(d)
        // Through JSON, as the relay receives it.
        expect(verify(JSON.parse(JSON.stringify(signed)), previous(d))).toEqual(d)
        expect(
          verifyCurrentCannedResponses({ seq: d.seq, ...signed }, { manifest, community: COMMUNITY }),
        ).toEqual(d)
      }),
      { numRuns: 100 },
    )
  })

  it('refuses any single flipped bit in the payload or the signature, with a ProtocolError', () => {
    fc.assert(
      fc.property(aDoc, fc.nat(), fc.nat(7), fc.boolean(), (d, at, bit, inPayload) => {
        const signed = signCannedResponses(d, signerOf(d))
        const flip = (text: string) => {
          const bytes = fromBase64url(text) as Uint8Array
          bytes[at % bytes.length] = (bytes[at % bytes.length] as number) ^ (1 << bit)
          return toBase64url(bytes)
        }
        const forged = inPayload
          ? { ...signed, payload: flip(signed.payload) }
          : { ...signed, signature: flip(signed.signature) }
        expect(codeOf(() => verify(forged, previous(d)))).not.toBe('accepted')
      }),
      { numRuns: 200 },
    )
  })

  it('refuses a flipped bit in the base64url text itself, with a ProtocolError', () => {
    fc.assert(
      fc.property(aDoc, fc.nat(), fc.nat(6), fc.boolean(), (d, at, bit, inPayload) => {
        const signed = signCannedResponses(d, signerOf(d))
        const flip = (s: string) => {
          const i = at % s.length
          return s.slice(0, i) + String.fromCharCode(s.charCodeAt(i) ^ (1 << bit)) + s.slice(i + 1)
        }
        const forged = inPayload
          ? { ...signed, payload: flip(signed.payload) }
          : { ...signed, signature: flip(signed.signature) }
        expect(codeOf(() => verify(forged, previous(d)))).not.toBe('accepted')
      }),
      { numRuns: 200 },
    )
  })

  it('answers any malformed input with a ProtocolError, never a crash', () => {
    const good = signCannedResponses(doc([ack]), brokers[0])
    const anything = fc.oneof(
      fc.anything(),
      fc.record({ payload: fc.string(), signature: fc.string() }),
      fc.record({ payload: fc.string(), signature: fc.constant(good.signature) }),
      fc.jsonValue().map((j) => signRaw(JSON.stringify(j) ?? 'null')),
      fc.uint8Array({ maxLength: 200 }).map((bytes) => ({
        payload: toBase64url(bytes),
        signature: good.signature,
      })),
      fc.tuple(aDoc, fc.jsonValue()).map(([d, version]) => signRaw(JSON.stringify({ ...d, v: version }))),
    )
    fc.assert(
      fc.property(anything, (input) => {
        // codeOf rethrows anything that is not a ProtocolError, failing the property.
        expect(codeOf(() => verify(input, null))).not.toBe('accepted')
        codeOf(() => readSignedCannedResponses(input))
      }),
      { numRuns: 1000 },
    )
  })

  it('names the shape errors: invalid_body, invalid_encoding, invalid_json, unsupported_version', () => {
    const good = signCannedResponses(doc([ack]), brokers[0])
    expect(codeOf(() => verify({ ...good, extra: 1 }, null))).toBe('invalid_body')
    expect(codeOf(() => verify({ payload: good.payload }, null))).toBe('invalid_body')
    expect(codeOf(() => verify(null, null))).toBe('invalid_body')
    expect(codeOf(() => verify({ ...good, payload: `${good.payload}=` }, null))).toBe('invalid_encoding')
    expect(codeOf(() => verify({ ...good, signature: `${good.signature.slice(0, 85)}B` }, null))).toBe(
      'invalid_encoding',
    )
    expect(codeOf(() => verify(signRaw('{"v":1,'), null))).toBe('invalid_json')
    expect(
      codeOf(() =>
        verify({ payload: toBase64url(new Uint8Array([0x7b, 0xff, 0x7d])), signature: good.signature }, null),
      ),
    ).toBe('invalid_json')
    expect(codeOf(() => verify(signRaw(JSON.stringify({ ...doc([ack]), v: 2 })), null))).toBe(
      'unsupported_version',
    )
    expect(codeOf(() => verify(signRaw(JSON.stringify({ ...doc([ack]), v: '1' })), null))).toBe(
      'invalid_body',
    )
    expect(codeOf(() => verify(signRaw(JSON.stringify({ ...doc([ack]), extra: 1 })), null))).toBe(
      'invalid_body',
    )
  })

  it('refuses two responses of the same kind and language, whatever the case of the tag', () => {
    fc.assert(
      fc.property(aDoc, response, fc.boolean(), (d, r, upper) => {
        // The same tag, or the same tag with its subtags in another case (`pt-BR`, `pt-br`).
        const [primary, ...subtags] = r.language.split('-')
        const swapped = [
          primary,
          ...subtags.map((t) => (t === t.toUpperCase() ? t.toLowerCase() : t.toUpperCase())),
        ]
        const twin = { ...r, text: `${r.text}!`, language: upper ? swapped.join('-') : r.language }
        const repeated = { ...d, responses: [r, ...d.responses.slice(0, 5), twin] }
        expect(codeOf(() => signCannedResponses(repeated, signerOf(d)))).toBe('invalid_body')
        const raw = signRaw(JSON.stringify(repeated), signerOf(d))
        expect(codeOf(() => verify(raw, previous(d)))).toBe('invalid_body')
      }),
      { numRuns: 100 },
    )
    const mixedCase = [
      { ...ack, language: 'pt-BR' },
      { ...ack, language: 'pt-br', text: 'Obrigado.' },
    ]
    expect(codeOf(() => signCannedResponses(doc(mixedCase), brokers[0]))).toBe('invalid_body')
    // The same language for another kind, or another language for the same kind, is fine.
    const distinct: CannedResponse[] = [ack, { ...ack, kind: 'closing' }, { ...ack, language: 'en-GB' }]
    expect(verify(signCannedResponses(doc(distinct), brokers[0]), null).responses).toEqual(distinct)
  })

  it('refuses an author who is not a broker of the manifest, even with a good signature', () => {
    fc.assert(
      fc.property(responses, (rs) => {
        const stranger = generateSignKeyPair()
        const signed = signCannedResponses(doc(rs, {}, stranger), stranger)
        expect(codeOf(() => verify(signed, null))).toBe('not_a_broker')
        // The same document is good against a manifest that lists the stranger.
        const listing: Manifest = {
          ...manifest,
          brokers: [brokerEntry('New', boxKeyPairFromSeed(new Uint8Array(32)).publicKey, stranger.publicKey)],
        }
        expect(verify(signed, null, listing).author).toBe(author(stranger))
      }),
      { numRuns: 25 },
    )
  })

  it('refuses a signature by another broker, or one made for another purpose', () => {
    const text = fromUtf8(fromBase64url(signCannedResponses(doc([ack]), brokers[0]).payload) as Uint8Array)
    expect(codeOf(() => verify(signRaw(text, brokers[1]), null))).toBe('bad_signature')
    const asManifest = {
      payload: toBase64url(utf8(text)),
      signature: toBase64url(signDetached('heard/manifest/v1', utf8(text), brokers[0].secretKey)),
    }
    expect(codeOf(() => verify(asManifest, null))).toBe('bad_signature')
  })

  it('takes only the next sequence number: 1 first, then the current one + 1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
        (seq, currentSeq) => {
          const signed = signCannedResponses(doc([ack], { seq }), brokers[0])
          const expected = seq === (currentSeq ?? 0) + 1 ? 'accepted' : 'canned_responses_changed'
          expect(codeOf(() => verify(signed, currentSeq))).toBe(expected)
        },
      ),
      { numRuns: 100 },
    )
    expect(codeOf(() => verify(signCannedResponses(doc([ack], { seq: 1 }), brokers[0]), 1))).toBe(
      'canned_responses_changed',
    )
  })

  it('refuses a document for another community, checked before the author and the signature', () => {
    const elsewhere = signCannedResponses(doc([ack], { community: 'other-wiki' }), brokers[0])
    expect(codeOf(() => verify(elsewhere, null))).toBe('community_mismatch')
    const stranger = generateSignKeyPair()
    const both = signRaw(JSON.stringify(doc([ack], { community: 'other-wiki' }, stranger)), stranger)
    expect(codeOf(() => verify(both, null))).toBe('community_mismatch')
    // A manifest of another community is no authority here either.
    const good = signCannedResponses(doc([ack]), brokers[0])
    expect(codeOf(() => verify(good, null, { ...manifest, community: 'other-wiki' }))).toBe(
      'community_mismatch',
    )
  })

  it('checks the order: shape, community, author, signature, sequence', () => {
    const stranger = generateSignKeyPair()
    // A stranger's document with a bad signature and a wrong seq: not_a_broker comes first.
    const strangers = signRaw(JSON.stringify(doc([ack], { seq: 7 }, stranger)), brokers[0])
    expect(codeOf(() => verify(strangers, null))).toBe('not_a_broker')
    // A broker's document with a bad signature and a wrong seq: bad_signature comes first.
    const forged = signRaw(JSON.stringify(doc([ack], { seq: 7 })), brokers[1])
    expect(codeOf(() => verify(forged, null))).toBe('bad_signature')
  })
})

describe('canned responses: the schema', () => {
  const sign = (responses: unknown[], overrides: Record<string, unknown> = {}) =>
    codeOf(() => signCannedResponses(doc(responses as CannedResponse[], overrides as never), brokers[0]))

  it('accepts every kind, language tags of many shapes, typed text up to 4,000 chars, and no responses at all', () => {
    for (const tag of [
      'en',
      'pt-BR',
      'zh-Hans',
      'als',
      'sr-Latn-RS',
      'de-CH-1901',
      'es-419',
      `en${'-abcdefgh'.repeat(3)}`,
    ])
      expect(isLanguageTag(tag)).toBe(true)
    const all = CANNED_KINDS.map((kind) => ({ kind, language: 'fr', text: 'Merci.' }))
    expect(sign(all)).toBe('accepted')
    expect(sign([{ ...ack, text: 'x'.repeat(CANNED_RESPONSES_LIMITS.textChars) }])).toBe('accepted')
    expect(sign([{ ...ack, text: 'line one\r\nline two\ttabbed 🙂 مرحبا' }])).toBe('accepted')
    expect(sign([])).toBe('accepted')
    const most = Array.from({ length: CANNED_RESPONSES_LIMITS.responses }, (_, i) => ({
      kind: CANNED_KINDS[i % 4] as CannedResponse['kind'],
      language: `en-x${Math.floor(i / 4)}`,
      text: 'ok',
    }))
    expect(sign(most)).toBe('accepted')
  })

  it('refuses what breaks the rules, with a code', () => {
    for (const tag of [
      '',
      'e',
      'EN',
      'english',
      'en_US',
      'en-',
      'en--US',
      '-en',
      'en-a',
      'en-abcdefghi',
      'en US',
      'ён',
    ])
      expect(isLanguageTag(tag)).toBe(false)
    expect(isLanguageTag(`en${'-abcdefgh'.repeat(4)}`)).toBe(false) // 38 chars
    const bad: [unknown[], Record<string, unknown>?][] = [
      [[{ ...ack, kind: 'apology' }]],
      [[{ ...ack, language: 'EN' }]],
      [[{ ...ack, language: `en${'-abcdefgh'.repeat(4)}` }]],
      [[{ ...ack, text: '' }]],
      [[{ ...ack, text: 'x'.repeat(CANNED_RESPONSES_LIMITS.textChars + 1) }]],
      [[{ ...ack, text: 'bell \u0007' }]],
      [[{ ...ack, text: 'del \u007f' }]],
      [[{ ...ack, text: 'half \ud83d' }]],
      [[{ ...ack, extra: 1 }]],
      [[{ kind: 'closing', language: 'en' }]],
      [[ack, ack]],
      [
        Array.from({ length: CANNED_RESPONSES_LIMITS.responses + 1 }, (_, i) => ({
          ...ack,
          language: `en-x${i}`,
        })),
      ],
      [[ack], { seq: 0 }],
      [[ack], { seq: 1.5 }],
      [[ack], { seq: Number.MAX_SAFE_INTEGER + 1 }],
      [[ack], { issuedAt: '2026-11-25T10:31:07+01:00' }],
      [[ack], { issuedAt: '2026-13-45T10:31:07Z' }],
      [[ack], { community: 'Not_Valid' }],
      [[ack], { author: 'short' }],
      [[ack], { extra: 1 }],
    ]
    for (const [rs, overrides] of bad)
      expect(['invalid_body', 'invalid_encoding']).toContain(sign(rs, overrides))
    // Signing with another key than the author's.
    expect(codeOf(() => signCannedResponses(doc([ack]), brokers[1]))).toBe('invalid_body')
  })

  it('keeps the payload within 256 KiB, at signing and at reading', () => {
    // 65 responses of 4,000 chars pass 256 KiB of JSON, though each response is within its limits.
    const big = Array.from({ length: 65 }, (_, i) => ({
      ...ack,
      language: `en-x${i}`,
      text: 'x'.repeat(CANNED_RESPONSES_LIMITS.textChars),
    }))
    expect(sign(big)).toBe('invalid_body')
    const raw = signRaw(JSON.stringify(doc(big)))
    expect(utf8(JSON.stringify(doc(big))).length).toBeGreaterThan(CANNED_RESPONSES_LIMITS.payloadBytes)
    expect(codeOf(() => verify(raw, null))).toBe('invalid_body')
    // Just under the limit: accepted.
    const fits = big.slice(0, 64)
    expect(verify(signCannedResponses(doc(fits), brokers[0]), null).responses).toHaveLength(64)
  })

  it('checks that the relay serves the seq it was signed with', () => {
    const signed = signCannedResponses(doc([ack], { seq: 3 }), brokers[0])
    const options = { manifest, community: COMMUNITY }
    expect(verifyCurrentCannedResponses({ seq: 3, ...signed }, options).seq).toBe(3)
    expect(codeOf(() => verifyCurrentCannedResponses({ seq: 4, ...signed }, options))).toBe('invalid_body')
    // Its author left the team: a current broker must sign it again.
    const without = { ...manifest, brokers: manifest.brokers.slice(1) }
    expect(
      codeOf(() => verifyCurrentCannedResponses({ seq: 3, ...signed }, { ...options, manifest: without })),
    ).toBe('not_a_broker')
  })

  it('finds a response for a language: the exact tag first, then the same primary language', () => {
    const rs: CannedResponse[] = [
      { kind: 'acknowledgement', language: 'pt-PT', text: 'PT' },
      { kind: 'acknowledgement', language: 'pt-BR', text: 'BR' },
      { kind: 'closing', language: 'pt', text: 'closing' },
      { kind: 'acknowledgement', language: 'en', text: 'EN' },
    ]
    expect(findCannedResponse(rs, 'acknowledgement', 'pt-br')?.text).toBe('BR')
    expect(findCannedResponse(rs, 'acknowledgement', 'pt')?.text).toBe('PT')
    expect(findCannedResponse(rs, 'acknowledgement', 'pt-AO')?.text).toBe('PT')
    expect(findCannedResponse(rs, 'closing', 'pt-BR')?.text).toBe('closing')
    expect(findCannedResponse(rs, 'acknowledgement', 'en-GB')?.text).toBe('EN')
    expect(findCannedResponse(rs, 'referral', 'en')).toBeUndefined()
    expect(findCannedResponse(rs, 'acknowledgement', 'de')).toBeUndefined()
  })

  it('names its route', () => {
    expect(cannedResponsesPath(COMMUNITY)).toBe(`/api/v1/communities/${COMMUNITY}/canned-responses`)
  })
})
