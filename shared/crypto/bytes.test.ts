import { base64urlnopad } from '@scure/base'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromBase64url, isCanonicalBase64url, portableFromBase64url, toBase64url } from './bytes'
import { nativeFromBase64url } from './native-host'

describe('base64url', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(fromBase64url(toBase64url(bytes))).toEqual(bytes)
      }),
    )
  })

  it('agrees with @scure/base, the reference codec, on every input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(toBase64url(bytes)).toBe(base64urlnopad.encode(bytes))
      }),
      { numRuns: 2000 },
    )
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_=+/-]{0,40}$/), (text) => {
        let reference: Uint8Array | null
        try {
          const bytes = base64urlnopad.decode(text)
          reference = base64urlnopad.encode(bytes) === text ? bytes : null
        } catch {
          reference = null
        }
        expect(fromBase64url(text)).toEqual(reference)
        expect(isCanonicalBase64url(text)).toBe(reference !== null)
      }),
      { numRuns: 5000 },
    )
  })

  it('accepts exactly one text form per byte string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        const bytes = fromBase64url(text)
        if (bytes !== null) expect(toBase64url(bytes)).toBe(text)
      }),
      { numRuns: 2000 },
    )
  })

  it('refuses padding, the standard alphabet and non-zero trailing bits', () => {
    expect(fromBase64url('AA==')).toBeNull()
    expect(fromBase64url('a+b/')).toBeNull()
    expect(fromBase64url('AB')).toBeNull() // 'B' sets bits beyond the one byte encoded
    expect(fromBase64url('A')).toBeNull()
    expect(fromBase64url('AA')).toEqual(new Uint8Array([0]))
  })

  it("holds Node's decoder, used for long texts, to the portable one", () => {
    expect(nativeFromBase64url).not.toBeNull()
    // Characters Node's lenient decoder takes or skips, and ones it cannot read at all.
    const intruders = ['+', '/', '=', ' ', '\n', '\t', '.', 'é', '\u0100', '\ud800', '😀', 'A', '_']
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 193, maxLength: 3000 }),
        fc.constantFrom('none', 'replace', 'insert', 'drop', 'last'),
        fc.nat(),
        fc.constantFrom(...intruders),
        (bytes, change, at, intruder) => {
          const valid = toBase64url(bytes)
          const i = at % valid.length
          const text =
            change === 'replace'
              ? valid.slice(0, i) + intruder + valid.slice(i + 1)
              : change === 'insert'
                ? valid.slice(0, i) + intruder + valid.slice(i)
                : change === 'drop'
                  ? valid.slice(0, i) + valid.slice(i + 1)
                  : change === 'last'
                    ? valid.slice(0, -1) + intruder
                    : valid
          const expected = portableFromBase64url(text)
          const decoded = fromBase64url(text)
          expect(decoded).toEqual(expected)
          expect(isCanonicalBase64url(text)).toBe(expected !== null)
          if (change === 'none') expect(decoded).toEqual(bytes)
          if (decoded) {
            // A plain array over a buffer of its own, never a window on Node's shared pool.
            expect(Object.getPrototypeOf(decoded)).toBe(Uint8Array.prototype)
            expect(decoded.byteOffset).toBe(0)
            expect(decoded.buffer.byteLength).toBe(decoded.length)
          }
        },
      ),
      { numRuns: 3000 },
    )
  })
})
