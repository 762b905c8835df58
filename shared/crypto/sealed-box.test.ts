import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CryptoError } from './errors'
import { generateBoxKeyPair } from './keys'
import { openFromKey, sealToKey } from './sealed-box'

describe('sealToKey / openFromKey', () => {
  const pair = generateBoxKeyPair()

  it('round-trips any bytes, and differs every time', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (data) => {
        const a = sealToKey(data, pair.publicKey)
        expect(openFromKey(a, pair.secretKey)).toEqual(data)
        expect(sealToKey(data, pair.publicKey)).not.toEqual(a)
      }),
      { numRuns: 200 },
    )
  })

  it('fails typed for a wrong key, any bit flip, or any truncation', () => {
    const sealed = sealToKey(new Uint8Array([1, 2, 3, 4, 5]), pair.publicKey)
    expect(() => openFromKey(sealed, generateBoxKeyPair().secretKey)).toThrow(CryptoError)
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      const flipped = sealed.slice()
      flipped[bit >> 3] = (flipped[bit >> 3] ?? 0) ^ (1 << (bit & 7))
      expect(() => openFromKey(flipped, pair.secretKey)).toThrow(CryptoError)
    }
    for (let n = 0; n < sealed.length; n++)
      expect(() => openFromKey(sealed.subarray(0, n), pair.secretKey)).toThrow(CryptoError)
  })
})
