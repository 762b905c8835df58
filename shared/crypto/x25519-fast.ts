import nacl from 'tweetnacl'
import { bytesEqual, concatBytes, toBase64url, utf8 } from './bytes'
import { sha256 } from './hash'
import { type BoxPublicKey, type BoxSecretKey, boxPublicKeyOf, KEY_BYTES } from './keys'

/**
 * X25519 through the host's WebCrypto where it has it (Chromium ≥ 133, Firefox ≥ 130, Safari ≥ 17,
 * Node 20), tweetnacl everywhere else. Measured: one X25519 costs ~0.6 ms in tweetnacl and
 * ~0.06 ms (Chromium) to ~0.15 ms (Node) in WebCrypto, and opening an envelope needs two of them
 * (the reader's own public key, for the key id, and the shared key with the ephemeral key).
 *
 * Results are byte-identical to tweetnacl on every input:
 * - `crypto_box_beforenm` is HSalsa20(key = X25519(sk, pk), nonce = 16 zero bytes, "expand 32-byte k");
 *   WebCrypto gives the X25519 part and tweetnacl's own HSalsa20 does the rest.
 * - Both clamp the scalar and ignore the public key's top bit (RFC 7748).
 * - WebCrypto refuses a public key of small order (the shared secret would be all zeros), where
 *   tweetnacl answers with the key derived from zeros. Any WebCrypto failure in a call therefore
 *   falls back to tweetnacl for that call, so a caller never sees the difference.
 * - The host is checked once against the RFC 7748 §6.1 vector before it is trusted; a host without
 *   X25519, or one that answers wrongly, gets tweetnacl for good.
 *
 * Imported private keys are cached (importing costs ~0.65 ms in Node): at most CACHE_SIZE,
 * non-extractable, keyed by a domain-separated SHA-256 of the secret bytes (not by the array, which a
 * caller may overwrite and reuse), evicting the least recently used. clearKeyCache() drops them all.
 */

export type X25519Backend = 'webcrypto' | 'tweetnacl'

const CACHE_SIZE = 8
const X25519 = { name: 'X25519' } as const
/** RFC 8410 PrivateKeyInfo for X25519, up to the 32 key bytes: SEQ { INT 0, SEQ { OID 1.3.101.110 }, OCTET STRING { OCTET STRING (32) } }. */
const PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
])
/** u = 9, the Curve25519 base point: X25519(sk, 9) is sk's public key (tweetnacl's scalarMult.base). */
const BASE_POINT = Uint8Array.from({ length: KEY_BYTES }, (_, i) => (i === 0 ? 9 : 0))
/** The Salsa20 constant crypto_box_beforenm passes to HSalsa20. */
const SIGMA = utf8('expand 32-byte k')
const ZERO_NONCE = new Uint8Array(16)

/** tweetnacl exports HSalsa20 at runtime, but its typings leave `lowlevel` out. */
interface NaclLowLevel {
  crypto_core_hsalsa20(out: Uint8Array, input: Uint8Array, key: Uint8Array, constant: Uint8Array): number
}
const { crypto_core_hsalsa20: hsalsa20 } = (nacl as unknown as { lowlevel: NaclLowLevel }).lowlevel

const hex = (text: string): Uint8Array =>
  Uint8Array.from(text.match(/../g) ?? [], (h) => Number.parseInt(h, 16))
/** RFC 7748 §6.1: Alice's private key, Bob's public key, and their shared secret. */
const PROBE = {
  secretKey: hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'),
  publicKey: hex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f'),
  shared: hex('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742'),
}

/** Looked up at each call rather than captured, so a host (or a test) can change it. */
const subtle = (): SubtleCrypto => globalThis.crypto.subtle

let chosen: Promise<X25519Backend> | null = null

async function detect(): Promise<X25519Backend> {
  try {
    const privateKey = await importSecretKey(PROBE.secretKey)
    return bytesEqual(await webX25519(PROBE.publicKey, privateKey), PROBE.shared) ? 'webcrypto' : 'tweetnacl'
  } catch {
    return 'tweetnacl'
  }
}

/** The backend in use: detected on first use, then fixed. */
export function x25519Backend(): Promise<X25519Backend> {
  chosen ??= detect()
  return chosen
}

/**
 * Tests and benches only: force a backend ('auto' detects again on next use). Clears the key cache.
 * Not exported from the package index, so the app cannot turn the fast path off by accident.
 */
export function setX25519Backend(backend: X25519Backend | 'auto'): void {
  chosen = backend === 'auto' ? null : Promise.resolve(backend)
  clearKeyCache()
}

async function importSecretKey(secretKey: Uint8Array): Promise<CryptoKey> {
  const pkcs8 = new Uint8Array(PKCS8_PREFIX.length + KEY_BYTES)
  pkcs8.set(PKCS8_PREFIX)
  pkcs8.set(secretKey, PKCS8_PREFIX.length)
  try {
    return await subtle().importKey('pkcs8', pkcs8, X25519, false, ['deriveBits'])
  } finally {
    pkcs8.fill(0)
  }
}

/** The raw X25519 output (32 bytes, before HSalsa20); rejects for small-order public keys. */
async function webX25519(publicKey: Uint8Array, privateKey: CryptoKey): Promise<Uint8Array> {
  // slice(): a copy on its own ArrayBuffer, whatever view the caller passed.
  const publicCryptoKey = await subtle().importKey('raw', publicKey.slice(), X25519, true, [])
  return new Uint8Array(
    await subtle().deriveBits({ name: 'X25519', public: publicCryptoKey }, privateKey, 256),
  )
}

interface CachedSecretKey {
  readonly privateKey: Promise<CryptoKey>
  publicKey?: Promise<BoxPublicKey> | undefined
}
const cache = new Map<string, CachedSecretKey>()
/** domainHash's layout (label, zero byte, data) with the label encoded once: this runs on every open(). */
const CACHE_ID_PREFIX = concatBytes(utf8('heard/x25519-key-cache/v1'), new Uint8Array(1))

/** The cache entry for these secret bytes, importing them on a miss. Synchronous up to the import. */
function cachedSecretKey(secretKey: Uint8Array): CachedSecretKey {
  const input = concatBytes(CACHE_ID_PREFIX, secretKey)
  const id = toBase64url(sha256(input))
  input.fill(0)
  const hit = cache.get(id)
  if (hit) {
    cache.delete(id)
    cache.set(id, hit) // most recently used last
    return hit
  }
  const privateKey = importSecretKey(secretKey)
  const entry: CachedSecretKey = { privateKey }
  // A key the host would not import is not kept; the caller falls back to tweetnacl.
  privateKey.catch(() => {
    if (cache.get(id) === entry) cache.delete(id)
  })
  cache.set(id, entry)
  for (const oldest of cache.keys()) {
    if (cache.size <= CACHE_SIZE) break
    cache.delete(oldest)
  }
  return entry
}

/** Forget every imported private key, e.g. when the vault locks. Later calls import again. */
export function clearKeyCache(): void {
  cache.clear()
}

const isKeyBytes = (bytes: unknown): bytes is Uint8Array =>
  bytes instanceof Uint8Array && bytes.length === KEY_BYTES

/**
 * `nacl.box.before(publicKey, secretKey)`: the 32-byte precomputed key for `nacl.box.after` /
 * `nacl.box.open.after`, the same bytes on every backend and for every input. Arguments that are
 * not 32-byte Uint8Arrays go straight to tweetnacl, so they throw exactly what it throws.
 */
export async function boxBeforeFast(publicKey: BoxPublicKey, secretKey: BoxSecretKey): Promise<Uint8Array> {
  return (await boxBeforeWith(secretKey))(publicKey)
}

/**
 * `boxBeforeFast` with one secret key fixed: the key is looked up (or imported) once, not on every
 * call, which saves a SHA-256 of the secret per envelope when a broker opens thousands in a row.
 */
export async function boxBeforeWith(
  secretKey: BoxSecretKey,
): Promise<(publicKey: BoxPublicKey) => Promise<Uint8Array>> {
  if (!isKeyBytes(secretKey) || (await x25519Backend()) === 'tweetnacl') {
    return async (publicKey) => nacl.box.before(publicKey, secretKey)
  }
  const privateKey = cachedSecretKey(secretKey).privateKey
  // A copy, so a caller that overwrites its array afterwards cannot change what this answers.
  const secret = secretKey.slice() as BoxSecretKey
  return async (publicKey) => {
    if (!isKeyBytes(publicKey)) return nacl.box.before(publicKey, secret)
    let shared: Uint8Array
    try {
      shared = await webX25519(publicKey, await privateKey)
    } catch {
      return nacl.box.before(publicKey, secret)
    }
    const key = new Uint8Array(KEY_BYTES)
    hsalsa20(key, ZERO_NONCE, shared, SIGMA)
    shared.fill(0)
    return key
  }
}

/** `boxPublicKeyOf(secretKey)` (32 bytes), cached per secret key on the WebCrypto backend. */
export async function boxPublicKeyOfFast(secretKey: BoxSecretKey): Promise<BoxPublicKey> {
  if (!isKeyBytes(secretKey) || (await x25519Backend()) === 'tweetnacl') return boxPublicKeyOf(secretKey)
  const entry = cachedSecretKey(secretKey)
  if (!entry.publicKey) {
    const derived = entry.privateKey.then((k) => webX25519(BASE_POINT, k) as Promise<BoxPublicKey>)
    entry.publicKey = derived
    derived.catch(() => {
      if (entry.publicKey === derived) entry.publicKey = undefined
    })
  }
  try {
    return (await entry.publicKey).slice() as BoxPublicKey
  } catch {
    return boxPublicKeyOf(secretKey)
  }
}
