import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  AT_REST_VERSION,
  checkPin,
  createDeviceKey,
  derivePinKey,
  newPinSalt,
  openAtRest,
  pinVerifier,
  sealAtRest,
} from './at-rest'
import { bytesEqual, utf8 } from './bytes'
import { CryptoError } from './errors'
import { DEFAULT_SCRYPT, scryptDerive } from './kdf'
import { type SymmetricKey, symmetricKey } from './keys'
import { randomBytes } from './random'
import { pseudoRandomBytes } from './test-bytes'

const FAST = { N: 2 ** 10, r: 8, p: 1 } as const
const deviceKey = await createDeviceKey()
const otherDeviceKey = await createDeviceKey()
const pinKey = symmetricKey(randomBytes(32))
const otherPinKey = symmetricKey(randomBytes(32))

/** Up to 64 KiB: small arbitrary arrays, and large pseudo-random ones (fast-check shrinks the seed). */
const body = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }),
  fc
    .record({ length: fc.integer({ min: 0, max: 64 * 1024 }), seed: fc.integer() })
    .map(({ length, seed }) => pseudoRandomBytes(length, seed)),
)
const maybePin = fc.constantFrom<SymmetricKey | undefined>(undefined, pinKey)

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (error instanceof CryptoError) return error.code
    throw new Error(`untyped failure: ${String(error)}`)
  }
  throw new Error('opened although it must not')
}

describe('createDeviceKey', () => {
  it('makes a non-extractable AES-GCM-256 key for encrypt and decrypt only', async () => {
    expect(deviceKey.extractable).toBe(false)
    expect(deviceKey.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 })
    expect([...deviceKey.usages].sort()).toEqual(['decrypt', 'encrypt'])
    await expect(globalThis.crypto.subtle.exportKey('raw', deviceKey)).rejects.toThrow()
    await expect(globalThis.crypto.subtle.exportKey('jwk', deviceKey)).rejects.toThrow()
  })
})

describe('sealAtRest / openAtRest', () => {
  it('round-trips any bytes up to 64 KiB, with and without a PIN layer', async () => {
    await fc.assert(
      fc.asyncProperty(body, maybePin, async (plain, pin) => {
        const sealed = await sealAtRest(plain, deviceKey, pin)
        expect(sealed[0]).toBe(AT_REST_VERSION)
        expect(sealed[1]).toBe(pin ? 1 : 0)
        expect(sealed.length).toBe(plain.length + (pin ? 70 : 30))
        expect(bytesEqual(await openAtRest(sealed, deviceKey, pin), plain)).toBe(true)
      }),
      { numRuns: 200 },
    )
  })

  it('uses a fresh IV every time', async () => {
    const a = await sealAtRest(utf8('same'), deviceKey)
    const b = await sealAtRest(utf8('same'), deviceKey)
    expect(a.subarray(2, 14)).not.toEqual(b.subarray(2, 14))
  })

  it('refuses every single-bit flip with a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 24 }), maybePin, async (plain, pin) => {
        const sealed = await sealAtRest(plain, deviceKey, pin)
        for (let bit = 0; bit < sealed.length * 8; bit++) {
          const flipped = sealed.slice()
          flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7))
          const code = await refusal(openAtRest(flipped, deviceKey, pin))
          // Byte 0 is the version; every other flip is caught before or by the AES-GCM tag.
          expect(code).toBe(bit < 8 ? 'unsupported_version' : 'at_rest_unreadable')
        }
      }),
      { numRuns: 12 },
    )
  })

  it('refuses every truncation, and data appended', async () => {
    for (const pin of [undefined, pinKey]) {
      const sealed = await sealAtRest(utf8('a draft report'), deviceKey, pin)
      for (let length = 0; length < sealed.length; length++) {
        expect(await refusal(openAtRest(sealed.subarray(0, length), deviceKey, pin))).toBe(
          'at_rest_unreadable',
        )
      }
      const longer = new Uint8Array(sealed.length + 1)
      longer.set(sealed)
      expect(await refusal(openAtRest(longer, deviceKey, pin))).toBe('at_rest_unreadable')
    }
  })

  it('refuses another device key', async () => {
    for (const pin of [undefined, pinKey]) {
      const sealed = await sealAtRest(utf8('draft'), deviceKey, pin)
      expect(await refusal(openAtRest(sealed, otherDeviceKey, pin))).toBe('at_rest_unreadable')
    }
  })

  it('refuses an unknown version', async () => {
    const sealed = await sealAtRest(utf8('draft'), deviceKey)
    for (const version of [0, 2, 255]) {
      const changed = sealed.slice()
      changed[0] = version
      expect(await refusal(openAtRest(changed, deviceKey))).toBe('unsupported_version')
    }
  })

  it('needs the PIN when sealed with one, refuses one when sealed without, and tells a wrong PIN', async () => {
    const withPin = await sealAtRest(utf8('draft'), deviceKey, pinKey)
    const withoutPin = await sealAtRest(utf8('draft'), deviceKey)
    expect(await refusal(openAtRest(withPin, deviceKey))).toBe('pin_required')
    expect(await refusal(openAtRest(withoutPin, deviceKey, pinKey))).toBe('pin_unexpected')
    expect(await refusal(openAtRest(withPin, deviceKey, otherPinKey))).toBe('wrong_pin')
    // Without the device key the PIN alone opens nothing, and no PIN check is even reached.
    expect(await refusal(openAtRest(withPin, otherDeviceKey, pinKey))).toBe('at_rest_unreadable')
    expect(await refusal(openAtRest(withPin, otherDeviceKey))).toBe('at_rest_unreadable')
  })

  it('refuses a flags byte with unknown bits even when the rest is intact', async () => {
    const sealed = await sealAtRest(utf8('draft'), deviceKey)
    for (let bit = 1; bit < 8; bit++) {
      const changed = sealed.slice()
      changed[1] = 1 << bit
      expect(await refusal(openAtRest(changed, deviceKey))).toBe('at_rest_unreadable')
    }
  })
})

describe('PIN key and verifier', () => {
  it('derives a 32-byte key that depends on the PIN and the salt', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[0-9]{4,8}$/),
        fc.stringMatching(/^[0-9]{4,8}$/),
        async (p1, p2) => {
          fc.pre(p1 !== p2)
          const salt = newPinSalt()
          const key = await derivePinKey(p1, salt, FAST)
          expect(key).toHaveLength(32)
          expect(await derivePinKey(p1, salt, FAST)).toEqual(key)
          expect(await derivePinKey(p2, salt, FAST)).not.toEqual(key)
          expect(await derivePinKey(p1, newPinSalt(), FAST)).not.toEqual(key)
        },
      ),
      { numRuns: 20 },
    )
  })

  it('uses DEFAULT_SCRYPT unless told otherwise', async () => {
    const salt = newPinSalt()
    expect(await derivePinKey('1234', salt)).toEqual(await scryptDerive('1234', salt, DEFAULT_SCRYPT, 32))
  })

  it('refuses a salt that is not 16 bytes and parameters out of bounds', async () => {
    await expect(derivePinKey('1234', randomBytes(8), FAST)).rejects.toBeInstanceOf(CryptoError)
    await expect(derivePinKey('1234', newPinSalt(), { N: 2 ** 4, r: 8, p: 1 })).rejects.toMatchObject({
      code: 'unsupported_kdf',
    })
  })

  it('tells the right PIN from a wrong one, and corrupt verifiers from both', async () => {
    const salt = newPinSalt()
    const right = await derivePinKey('482913', salt, FAST)
    const wrong = await derivePinKey('482914', salt, FAST)
    const verifier = pinVerifier(right)
    expect(checkPin(verifier, right)).toBe(true)
    expect(checkPin(verifier, wrong)).toBe(false)
    expect(checkPin(pinVerifier(wrong), right)).toBe(false)
    for (let i = 0; i < verifier.length; i++) {
      const flipped = verifier.slice()
      flipped[i] = (flipped[i] as number) ^ 0x40
      expect(checkPin(flipped, right)).toBe(false)
    }
    expect(checkPin(new Uint8Array(0), right)).toBe(false)
    // The verifier travels sealed under the device key, as the doc comment asks.
    const stored = await sealAtRest(verifier, deviceKey)
    expect(checkPin(await openAtRest(stored, deviceKey), right)).toBe(true)
  })

  it('seals drafts under a PIN key derived from the PIN', async () => {
    const salt = newPinSalt()
    const key = await derivePinKey('0000', salt, FAST)
    const sealed = await sealAtRest(utf8('draft'), deviceKey, key)
    expect(await openAtRest(sealed, deviceKey, await derivePinKey('0000', salt, FAST))).toEqual(utf8('draft'))
    expect(await refusal(openAtRest(sealed, deviceKey, await derivePinKey('0001', salt, FAST)))).toBe(
      'wrong_pin',
    )
  })
})
