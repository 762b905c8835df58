import fc from 'fast-check'
import nacl from 'tweetnacl'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { bytesEqual, u32be, utf8 } from './bytes'
import { envelopeIdOf, headerHash, open, type SealedEnvelope, seal } from './envelope'
import { CryptoError } from './errors'
import { type BoxPublicKey, type BoxSecretKey, boxPublicKeyOf, generateBoxKeyPair, keyIdOf } from './keys'
import {
  boxBeforeFast,
  boxPublicKeyOfFast,
  clearKeyCache,
  setX25519Backend,
  type X25519Backend,
  x25519Backend,
} from './x25519-fast'

const BACKENDS: readonly X25519Backend[] = ['webcrypto', 'tweetnacl']
const bytes32 = fc.uint8Array({ minLength: 32, maxLength: 32 })
const pub = (bytes: Uint8Array) => bytes as BoxPublicKey
const sec = (bytes: Uint8Array) => bytes as BoxSecretKey
const hex = (text: string) => Uint8Array.from(text.match(/../g) ?? [], (h) => Number.parseInt(h, 16))

/** The u-coordinates of small order and their non-canonical encodings (libsodium's blocklist, and 0, 1). */
const SMALL_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'cdeb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b880',
  '4c9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f11d7',
  'd9ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  'daffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  'dbffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
  // Top bit set on 0 and 1: X25519 ignores it, so these are small order too.
  '0000000000000000000000000000000000000000000000000000000000000080',
  '0100000000000000000000000000000000000000000000000000000000000080',
].map(hex)

/** p + k for k = 0…18 (every u ≥ p that fits in 255 bits), with and without the ignored top bit. */
const NON_CANONICAL = Array.from({ length: 19 }, (_, k) => {
  const u = new Uint8Array(32).fill(0xff)
  u[0] = 0xed + k
  u[31] = 0x7f
  return u
}).flatMap((u) => {
  const high = u.slice()
  high[31] = 0xff
  return [u, high]
})

/** What nacl.box.before throws for these arguments, or null when it answers. */
function naclThrows(publicKey: unknown, secretKey: unknown): string | null {
  try {
    nacl.box.before(publicKey as Uint8Array, secretKey as Uint8Array)
    return null
  } catch (error) {
    return String(error)
  }
}

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  setX25519Backend('auto')
})

describe('backend detection', () => {
  it('finds WebCrypto X25519 on Node 20, where the relay and these tests run', async () => {
    expect(await x25519Backend()).toBe('webcrypto')
  })

  it('falls back to tweetnacl for good when the host cannot import an X25519 key', async () => {
    const importKey = vi
      .spyOn(globalThis.crypto.subtle, 'importKey')
      .mockRejectedValue(new Error('no X25519'))
    setX25519Backend('auto')
    expect(await x25519Backend()).toBe('tweetnacl')
    importKey.mockRestore()
    expect(await x25519Backend()).toBe('tweetnacl')
    const a = generateBoxKeyPair()
    const b = generateBoxKeyPair()
    expect(await boxBeforeFast(a.publicKey, b.secretKey)).toEqual(nacl.box.before(a.publicKey, b.secretKey))
  })

  it('falls back when the host answers the RFC 7748 vector wrongly', async () => {
    vi.spyOn(globalThis.crypto.subtle, 'deriveBits').mockResolvedValue(new ArrayBuffer(32))
    setX25519Backend('auto')
    expect(await x25519Backend()).toBe('tweetnacl')
  })

  it('falls back when the host has no WebCrypto at all', async () => {
    vi.stubGlobal('crypto', undefined)
    setX25519Backend('auto')
    expect(await x25519Backend()).toBe('tweetnacl')
  })
})

describe.each(BACKENDS)('boxBeforeFast on %s', (backend) => {
  const use = () => {
    setX25519Backend(backend)
    return vi.spyOn(globalThis.crypto.subtle, 'deriveBits')
  }
  /** On WebCrypto, every call really went through it (no silent fallback); on tweetnacl, none did. */
  const expectBackendUsed = (deriveBits: ReturnType<typeof use>, calls: number) => {
    const fulfilled = deriveBits.mock.settledResults.filter((r) => r.type === 'fulfilled').length
    expect(fulfilled).toBe(backend === 'webcrypto' ? calls : 0)
    expect(deriveBits).toHaveBeenCalledTimes(backend === 'webcrypto' ? calls : 0)
  }

  it('equals nacl.box.before for random key pairs', async () => {
    const deriveBits = use()
    let calls = 0
    await fc.assert(
      fc.asyncProperty(bytes32, bytes32, async (theirSeed, secretKey) => {
        const publicKey = nacl.box.keyPair.fromSecretKey(theirSeed).publicKey
        calls++
        expect(await boxBeforeFast(pub(publicKey), sec(secretKey))).toEqual(
          nacl.box.before(publicKey, secretKey),
        )
      }),
      { numRuns: 300 },
    )
    expectBackendUsed(deriveBits, calls)
  })

  it('equals nacl.box.before for any 32 bytes as the public key (twist points, top bit set)', async () => {
    use()
    await fc.assert(
      fc.asyncProperty(bytes32, bytes32, async (publicKey, secretKey) => {
        expect(await boxBeforeFast(pub(publicKey), sec(secretKey))).toEqual(
          nacl.box.before(publicKey, secretKey),
        )
      }),
      { numRuns: 300 },
    )
  })

  it('equals nacl.box.before for small-order and non-canonical public keys', async () => {
    const secretKey = generateBoxKeyPair().secretKey
    use()
    for (const publicKey of [...SMALL_ORDER, ...NON_CANONICAL]) {
      expect(await boxBeforeFast(pub(publicKey), secretKey)).toEqual(nacl.box.before(publicKey, secretKey))
    }
  })

  it('gives the key derived from an all-zero secret for small-order points, as tweetnacl does', async () => {
    use()
    // HSalsa20(key = 32 zero bytes, nonce = 16 zero bytes, "expand 32-byte k").
    const fromZeros = hex('351f86faa3b988468a850122b65b0acece9c4826806aeee63de9c0da2bd7f91e')
    for (const publicKey of SMALL_ORDER.slice(0, 7)) {
      expect(await boxBeforeFast(pub(publicKey), generateBoxKeyPair().secretKey)).toEqual(fromZeros)
    }
  })

  it('throws what tweetnacl throws for arguments of the wrong size or type', async () => {
    use()
    const good = new Uint8Array(32).fill(7)
    const cases: [unknown, unknown][] = [
      [new Uint8Array(31), good],
      [new Uint8Array(33), good],
      [good, new Uint8Array(31)],
      [good, new Uint8Array(0)],
      [Array.from(good), good],
      [good, 'secret'],
    ]
    for (const [publicKey, secretKey] of cases) {
      const expected = naclThrows(publicKey, secretKey)
      expect(expected).not.toBeNull()
      const actual = await boxBeforeFast(pub(publicKey as Uint8Array), sec(secretKey as Uint8Array)).then(
        () => null,
        (error: unknown) => String(error),
      )
      expect(actual).toBe(expected)
    }
  })

  it('reads views into larger buffers by their own bytes', async () => {
    use()
    await fc.assert(
      fc.asyncProperty(bytes32, bytes32, fc.nat(40), async (publicKey, secretKey, offset) => {
        const buffer = new Uint8Array(offset + 64).fill(0xa5)
        buffer.set(publicKey, offset)
        buffer.set(secretKey, offset + 32)
        const result = await boxBeforeFast(
          pub(buffer.subarray(offset, offset + 32)),
          sec(buffer.subarray(offset + 32, offset + 64)),
        )
        expect(result).toEqual(nacl.box.before(publicKey, secretKey))
      }),
      { numRuns: 50 },
    )
  })
})

describe.each(BACKENDS)('boxPublicKeyOfFast on %s', (backend) => {
  it('equals boxPublicKeyOf for any secret key', async () => {
    setX25519Backend(backend)
    await fc.assert(
      fc.asyncProperty(bytes32, async (secretKey) => {
        expect(await boxPublicKeyOfFast(sec(secretKey))).toEqual(boxPublicKeyOf(sec(secretKey)))
      }),
      { numRuns: 300 },
    )
  })

  it('hands out a copy: changing it does not change the next answer', async () => {
    setX25519Backend(backend)
    const pair = generateBoxKeyPair()
    ;(await boxPublicKeyOfFast(pair.secretKey)).fill(0)
    expect(await boxPublicKeyOfFast(pair.secretKey)).toEqual(pair.publicKey)
  })
})

describe('the private key cache', () => {
  const pkcs8Imports = () => {
    const importKey = vi.spyOn(globalThis.crypto.subtle, 'importKey')
    return () => importKey.mock.calls.filter(([format]) => format === 'pkcs8').length
  }

  it('imports a secret key once however many times, and in however many arrays, it is used', async () => {
    setX25519Backend('webcrypto')
    const imports = pkcs8Imports()
    const pair = generateBoxKeyPair()
    const others = Array.from({ length: 5 }, () => generateBoxKeyPair().publicKey)
    await Promise.all(others.map((p) => boxBeforeFast(p, pair.secretKey)))
    for (const p of others) await boxBeforeFast(p, sec(pair.secretKey.slice()))
    expect(await boxPublicKeyOfFast(pair.secretKey)).toEqual(pair.publicKey)
    expect(imports()).toBe(1)
    clearKeyCache()
    await boxBeforeFast(others[0] as BoxPublicKey, pair.secretKey)
    expect(imports()).toBe(2)
  })

  it('follows the bytes, not the array: an array overwritten with another key gives that key’s answer', async () => {
    setX25519Backend('webcrypto')
    const a = generateBoxKeyPair()
    const b = generateBoxKeyPair()
    const them = generateBoxKeyPair().publicKey
    const reused = sec(a.secretKey.slice())
    expect(await boxBeforeFast(them, reused)).toEqual(nacl.box.before(them, a.secretKey))
    reused.set(b.secretKey)
    expect(await boxBeforeFast(them, reused)).toEqual(nacl.box.before(them, b.secretKey))
    expect(await boxPublicKeyOfFast(reused)).toEqual(b.publicKey)
  })

  it('keeps at most eight keys, dropping the least recently used', async () => {
    setX25519Backend('webcrypto')
    const imports = pkcs8Imports()
    const keys = Array.from({ length: 9 }, () => generateBoxKeyPair())
    const them = generateBoxKeyPair().publicKey
    for (const k of keys) await boxBeforeFast(them, k.secretKey)
    expect(imports()).toBe(9)
    await boxBeforeFast(them, (keys[8] as (typeof keys)[number]).secretKey) // still cached
    expect(imports()).toBe(9)
    await boxBeforeFast(them, (keys[0] as (typeof keys)[number]).secretKey) // evicted by the ninth
    expect(imports()).toBe(10)
  })

  it('answers with tweetnacl when WebCrypto fails inside a call', async () => {
    setX25519Backend('webcrypto')
    const pair = generateBoxKeyPair()
    const them = generateBoxKeyPair().publicKey
    vi.spyOn(globalThis.crypto.subtle, 'importKey').mockRejectedValue(new Error('transient'))
    expect(await boxBeforeFast(them, pair.secretKey)).toEqual(nacl.box.before(them, pair.secretKey))
    expect(await boxPublicKeyOfFast(pair.secretKey)).toEqual(pair.publicKey)
    vi.restoreAllMocks()
    // The failed import was not kept: the next call imports and uses WebCrypto again.
    const deriveBits = vi.spyOn(globalThis.crypto.subtle, 'deriveBits')
    expect(await boxBeforeFast(them, pair.secretKey)).toEqual(nacl.box.before(them, pair.secretKey))
    expect(deriveBits).toHaveBeenCalled()
  })
})

describe.each(BACKENDS)('open() on %s', (backend) => {
  const context = { version: 1, kind: 'report', community: 'wiki-example' } as const

  it('opens what seal() sealed, for every recipient', async () => {
    setX25519Backend(backend)
    const pairs = Array.from({ length: 3 }, () => generateBoxKeyPair())
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (body) => {
        const envelope = await seal(
          body,
          pairs.map((p) => p.publicKey),
          context,
        )
        for (const pair of pairs) expect(bytesEqual(await open(envelope, pair.secretKey), body)).toBe(true)
      }),
      { numRuns: 30 },
    )
  })

  it('refuses a swapped-in small-order ephemeral key with unwrap_failed', async () => {
    setX25519Backend(backend)
    const pair = generateBoxKeyPair()
    const sealed = await seal(utf8('hello'), [pair.publicKey], context)
    for (const key of SMALL_ORDER) {
      const ephemeralKey = pub(key)
      const moved = { ...sealed, ephemeralKey, id: envelopeIdOf(ephemeralKey) }
      const error = await open(moved, pair.secretKey).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(CryptoError)
      expect((error as CryptoError).code).toBe('unwrap_failed')
    }
  })

  it('opens an envelope crafted with an all-zero ephemeral key exactly as tweetnacl does', async () => {
    // Not something seal() makes, but a forger can: both backends must read it the same way.
    setX25519Backend(backend)
    const pair = generateBoxKeyPair()
    const ephemeralKey = pub(new Uint8Array(32))
    const contentKey = nacl.randomBytes(32)
    const wrapNonce = nacl.randomBytes(24)
    const header: Omit<SealedEnvelope, 'ciphertext'> = {
      ...context,
      id: envelopeIdOf(ephemeralKey),
      ephemeralKey,
      nonce: nacl.randomBytes(24),
      recipients: [
        {
          keyId: keyIdOf(pair.publicKey),
          nonce: wrapNonce,
          wrappedKey: nacl.box(contentKey, wrapNonce, ephemeralKey, nacl.randomBytes(32)),
        },
      ],
    }
    const body = utf8('forged')
    const padded = new Uint8Array(1024)
    padded.set(headerHash(header), 0)
    padded.set(u32be(body.length), 32)
    padded.set(body, 36)
    const envelope = { ...header, ciphertext: nacl.secretbox(padded, header.nonce, contentKey) }
    expect(await open(envelope, pair.secretKey)).toEqual(body)
  })
})
