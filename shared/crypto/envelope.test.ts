import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalEnvelopeText, envelopeToJson, openEnvelopeBytes, ProtocolError } from '../protocol'
import { bytesEqual, fromUtf8, utf8 } from './bytes'
import { open, type SealedEnvelope, seal, sealedLength } from './envelope'
import { CryptoError } from './errors'
import { type BoxKeyPair, generateBoxKeyPair } from './keys'
import { isBucket, MAX_PADDED_BYTES, PADDING_BUCKETS } from './padding'
import { pseudoRandomBytes } from './test-bytes'

const context = { version: 1, kind: 'report', community: 'wiki-example' } as const
const pairs: BoxKeyPair[] = Array.from({ length: 10 }, () => generateBoxKeyPair())

const body = fc.oneof(
  fc.uint8Array({ maxLength: 3000 }),
  fc
    .record({ length: fc.integer({ min: 0, max: 1 << 20 }), seed: fc.integer() })
    .map(({ length, seed }) => pseudoRandomBytes(length, seed)),
)

async function expectRefused(promise: Promise<unknown>): Promise<CryptoError | ProtocolError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof CryptoError || error instanceof ProtocolError) return error
    throw new Error(`untyped failure: ${String(error)}`)
  }
  throw new Error('opened although it must not')
}

describe('seal / open', () => {
  it('opens to the sealed body for every recipient (bodies up to 1 MiB, 1–10 recipients)', async () => {
    await fc.assert(
      fc.asyncProperty(body, fc.integer({ min: 1, max: 10 }), async (plain, count) => {
        const recipients = pairs.slice(0, count)
        const envelope = await seal(
          plain,
          recipients.map((p) => p.publicKey),
          context,
        )
        for (const pair of [recipients[0], recipients[count - 1]]) {
          // bytesEqual, not toEqual: vitest's deep equality takes seconds on a megabyte.
          expect(bytesEqual(await open(envelope, (pair as BoxKeyPair).secretKey), plain)).toBe(true)
        }
      }),
      { numRuns: 40 },
    )
  }, 300_000)

  it('pads every ciphertext to a bucket size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 300_000 }), async (length) => {
        const envelope = await seal(new Uint8Array(length), [pairs[0]?.publicKey as never], context)
        const padded = envelope.ciphertext.length - 16
        expect(isBucket(padded)).toBe(true)
        expect(PADDING_BUCKETS).toContain(padded)
        expect(envelope.ciphertext.length).toBe(sealedLength(length))
      }),
      { numRuns: 60 },
    )
  })

  it('refuses a body larger than the largest bucket', async () => {
    const error = await expectRefused(
      seal(new Uint8Array(MAX_PADDED_BYTES), [pairs[0]?.publicKey as never], context),
    )
    expect(error.code).toBe('too_large')
  })

  it('fails with not_a_recipient for a key it was not sealed to', async () => {
    const envelope = await seal(utf8('hello'), [pairs[0]?.publicKey as never], context)
    const error = await expectRefused(open(envelope, (pairs[1] as BoxKeyPair).secretKey))
    expect(error.code).toBe('not_a_recipient')
  })

  it('fails when the header is moved to another community, id or kind', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<keyof SealedEnvelope>('community', 'id', 'kind'),
        fc.stringMatching(/^[a-z0-9]{1,20}$/),
        async (field, value) => {
          const envelope = await seal(utf8('moved'), [pairs[0]?.publicKey as never], context)
          fc.pre(envelope[field] !== value)
          const moved = { ...envelope, [field]: value }
          const error = await expectRefused(open(moved, (pairs[0] as BoxKeyPair).secretKey))
          expect(error.code).toBe('header_mismatch')
        },
      ),
      { numRuns: 30 },
    )
  })

  it('fails with a typed error for every single-bit flip anywhere in the serialized envelope', async () => {
    const recipients = pairs.slice(0, 3)
    const envelope = await seal(
      utf8('a report about something that happened'),
      recipients.map((p) => p.publicKey),
      context,
    )
    const bytes = utf8(canonicalEnvelopeText(envelopeToJson(envelope)))
    const reader = (recipients[1] as BoxKeyPair).secretKey
    expect(fromUtf8(await openEnvelopeBytes(bytes, reader))).toBe('a report about something that happened')
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: bytes.length * 8 - 1 }), async (bit) => {
        const flipped = bytes.slice()
        flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7))
        await expectRefused(openEnvelopeBytes(flipped, reader))
      }),
      { numRuns: 5000 },
    )
  }, 300_000)

  it('uses a fresh ephemeral key, id and content key for every envelope', async () => {
    const a = await seal(utf8('same'), [pairs[0]?.publicKey as never], context)
    const b = await seal(utf8('same'), [pairs[0]?.publicKey as never], context)
    expect(a.id).not.toBe(b.id)
    expect(a.ephemeralKey).not.toEqual(b.ephemeralKey)
    expect(a.ciphertext).not.toEqual(b.ciphertext)
  })
})

describe('sha256Async', () => {
  it('gives the same digest as the synchronous sha256', async () => {
    const { sha256, sha256Async } = await import('./hash')
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), async (data) => {
        expect(await sha256Async(data)).toEqual(sha256(data))
      }),
      { numRuns: 200 },
    )
  })
})
