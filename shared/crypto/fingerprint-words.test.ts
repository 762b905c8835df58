import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fingerprintWords } from './fingerprint-words'

describe('fingerprintWords', () => {
  it('reads 11 bits a word, most significant first', () => {
    expect(fingerprintWords(new Uint8Array(32))).toEqual(Array(8).fill('abandon'))
    // 0xffe0 → first 11 bits all ones → the last word of the list.
    expect(fingerprintWords(new Uint8Array([0xff, 0xe0, ...new Uint8Array(30)]))[0]).toBe('zoo')
    // 0x0020 → first word index 1 ("ability").
    expect(fingerprintWords(new Uint8Array([0x00, 0x20, ...new Uint8Array(30)]))[0]).toBe('ability')
  })

  it('differs whenever one of the first 88 bits differs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.nat(87), (digest, bit) => {
        const other = digest.slice()
        other[bit >> 3] = (other[bit >> 3] ?? 0) ^ (0x80 >> (bit & 7))
        expect(fingerprintWords(other)).not.toEqual(fingerprintWords(digest))
      }),
    )
  })
})
