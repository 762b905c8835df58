import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { generateSignKeyPair, toBase64url } from '../crypto'
import { signTreeHead, type TreeHead, verifyTreeHead } from './tree-head'

const logKey = generateSignKeyPair()
const publicKey = toBase64url(logKey.publicKey)

const aHead = fc.record({
  v: fc.constant(1 as const),
  community: fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/),
  size: fc.oneof(fc.nat(1_000_000), fc.constantFrom(0, 2 ** 32, 2 ** 32 + 7, Number.MAX_SAFE_INTEGER)),
  root: fc.uint8Array({ minLength: 32, maxLength: 32 }).map(toBase64url),
  time: fc
    .date({ min: new Date('2026-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
}) as fc.Arbitrary<TreeHead>

describe('signed tree heads', () => {
  it('verify for the right key and community, and for nothing else', () => {
    const other = toBase64url(generateSignKeyPair().publicKey)
    fc.assert(
      fc.property(aHead, (head) => {
        const signed = signTreeHead(head, logKey)
        expect(verifyTreeHead(signed, publicKey, head.community)).toEqual(head)
        expect(verifyTreeHead(signed, other, head.community)).toBeNull()
        expect(verifyTreeHead(signed, publicKey, `${head.community}x`)).toBeNull()
      }),
      { numRuns: 40 },
    )
  })

  it('refuse any changed field: size, root, time or community', () => {
    fc.assert(
      fc.property(aHead, fc.nat(3), (head, field) => {
        const signed = signTreeHead(head, logKey)
        const changed =
          field === 0
            ? { ...signed, size: signed.size === 0 ? 1 : signed.size - 1 }
            : field === 1
              ? {
                  ...signed,
                  root: toBase64url(new Uint8Array(32).fill(signed.root === 'A'.repeat(43) ? 1 : 0)),
                }
              : field === 2
                ? { ...signed, time: '2025-12-31T23:59:59.000Z' }
                : { ...signed, community: `${signed.community}-b` }
        expect(verifyTreeHead(changed, publicKey, changed.community)).toBeNull()
      }),
      { numRuns: 40 },
    )
  })

  it('answers null, never throws, for anything malformed', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(verifyTreeHead(input, publicKey, 'c')).toBeNull()
      }),
      { numRuns: 40 },
    )
    const signed = signTreeHead(
      { v: 1, community: 'c', size: 3, root: 'A'.repeat(43), time: '2026-11-25T10:00:00Z' },
      logKey,
    )
    for (const bad of [
      { ...signed, extra: 1 },
      { ...signed, size: -1 },
      { ...signed, size: 1.5 },
      { ...signed, root: 'A'.repeat(42) },
      { ...signed, root: `${'A'.repeat(42)}!` },
      { ...signed, signature: signed.signature.slice(1) },
      { ...signed, v: 2 },
    ]) {
      expect(verifyTreeHead(bad, publicKey, 'c')).toBeNull()
    }
    expect(verifyTreeHead(signed, 'not a key', 'c')).toBeNull()
  })
})
