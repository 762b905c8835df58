import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bytesEqual, generateBoxKeyPair, seal, toBase64url, utf8 } from '../crypto'
import {
  canonicalEnvelopeBytes,
  canonicalEnvelopeText,
  type EnvelopeV1Json,
  envelopeToJson,
  MAX_RECIPIENTS,
  parseEnvelopeJson,
  parseEnvelopeText,
} from './envelope.schema'
import { ProtocolError } from './errors'

const codeOf = (fn: () => unknown): string => {
  try {
    fn()
    return 'accepted'
  } catch (error) {
    if (error instanceof ProtocolError) return error.code
    throw error
  }
}

describe('envelope parsing', async () => {
  const pair = generateBoxKeyPair()
  const valid = envelopeToJson(
    await seal(utf8('x'), [pair.publicKey], { version: 1, kind: 'report', community: 'c1' }),
  )

  it('accepts a sealed envelope', () => {
    expect(parseEnvelopeJson(valid)).toEqual(valid)
  })

  it('names an unknown version as such', () => {
    expect(codeOf(() => parseEnvelopeJson({ ...valid, v: 2 }))).toBe('unsupported_version')
    expect(codeOf(() => parseEnvelopeJson({ ...valid, v: '1' }))).toBe('invalid_body')
  })

  it('refuses too many recipients with its own code', () => {
    const many = Array.from({ length: MAX_RECIPIENTS + 1 }, () => valid.recipients[0])
    expect(codeOf(() => parseEnvelopeJson({ ...valid, recipients: many }))).toBe('too_many_recipients')
  })

  it('never echoes what it was sent in its issues', () => {
    const canary = 'CANARY-ECHO-7f3a'
    try {
      parseEnvelopeJson({ ...valid, community: canary, [canary]: canary, epk: canary })
      throw new Error('accepted')
    } catch (error) {
      expect(error).toBeInstanceOf(ProtocolError)
      expect(JSON.stringify((error as ProtocolError).issues)).not.toContain(canary)
      expect((error as ProtocolError).message).not.toContain(canary)
    }
  })

  it('answers any JSON value or text with a ProtocolError, never a crash', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue()), (input) => {
        expect(codeOf(() => parseEnvelopeJson(input))).not.toBe('accepted')
      }),
      { numRuns: 3000 },
    )
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(codeOf(() => parseEnvelopeText(text))).not.toBe('accepted')
      }),
      { numRuns: 2000 },
    )
  })

  it('refuses every mutation of a valid envelope that changes a field’s type or drops it', () => {
    const keys = Object.keys(valid) as (keyof typeof valid)[]
    fc.assert(
      fc.property(
        fc.constantFrom(...keys),
        fc.oneof(
          fc.constant(undefined),
          fc.integer(),
          fc.boolean(),
          fc.constant(null),
          fc.array(fc.nat()),
          fc.object(),
        ),
        (key, value) => {
          const mutated: Record<string, unknown> = { ...valid }
          if (value === undefined) delete mutated[key]
          else mutated[key] = value
          fc.pre(JSON.stringify(mutated) !== JSON.stringify(valid))
          expect(codeOf(() => parseEnvelopeJson(mutated))).not.toBe('accepted')
        },
      ),
      { numRuns: 2000 },
    )
  })
})

describe('canonical envelope bytes', () => {
  const field = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map(toBase64url)

  it('are the UTF-8 of the canonical text', () => {
    fc.assert(
      fc.property(
        fc.record({
          kind: fc.constantFrom('report', 'case-event', 'reply'),
          community: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,30}$/),
          id: field(16),
          epk: field(32),
          nonce: field(24),
          recipients: fc.array(fc.record({ kid: field(16), nonce: field(24), key: field(48) }), {
            minLength: 1,
            maxLength: 4,
          }),
          ct: fc.uint8Array({ minLength: 1, maxLength: 3000 }),
        }),
        ({ ct, ...rest }) => {
          const json = { v: 1 as const, ...rest, ct: toBase64url(ct) } as EnvelopeV1Json
          const expected = utf8(canonicalEnvelopeText(json))
          expect(bytesEqual(canonicalEnvelopeBytes(json), expected)).toBe(true)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('stay the UTF-8 of the canonical text when a ciphertext field is not ASCII (never schema-valid)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (ct) => {
        const fields = { id: 'AAAAAAAAAAAAAAAAAAAAAA', epk: 'A'.repeat(43), nonce: 'A'.repeat(32) }
        const recipient = { kid: 'A'.repeat(22), nonce: 'A'.repeat(32), key: 'A'.repeat(64) }
        const json = { v: 1, kind: 'report', community: 'c1', ...fields, recipients: [recipient], ct }
        const typed = json as EnvelopeV1Json
        expect(bytesEqual(canonicalEnvelopeBytes(typed), utf8(canonicalEnvelopeText(typed)))).toBe(true)
      }),
      { numRuns: 500 },
    )
  })
})
