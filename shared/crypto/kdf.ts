import { scryptAsync } from '@noble/hashes/scrypt.js'
import nacl from 'tweetnacl'
import { concatBytes, utf8 } from './bytes'
import { CryptoError, CryptoErrorCode } from './errors'
import type { SymmetricKey } from './keys'
import { randomBytes } from './random'

/**
 * Passphrase wrapping of secret keys: scrypt (memory-hard) derives a 32-byte wrapping key from the
 * passphrase and a random salt; secretbox seals the secret under it. The parameters travel with the
 * blob, so they can be raised later without breaking old blobs. Data is never encrypted straight
 * under the passphrase-derived key: what is wrapped is itself a random key.
 */

export interface ScryptParams {
  /** CPU/memory cost, a power of two. Memory used is 128 · N · r bytes. */
  readonly N: number
  readonly r: number
  readonly p: number
}

/** 2^16 · 8 · 128 bytes = 64 MiB. */
export const DEFAULT_SCRYPT: ScryptParams = Object.freeze({ N: 2 ** 16, r: 8, p: 1 })
/** Bounds accepted when unwrapping, so a crafted blob can ask for at most 1 GiB and not for no work at all. */
const MIN_LOG_N = 10
const MAX_LOG_N = 20
const MAX_MEMORY_BYTES = 2 ** 30

export interface PassphraseWrapped {
  readonly kdf: 'scrypt'
  readonly params: ScryptParams
  readonly salt: Uint8Array // 16 bytes
  readonly nonce: Uint8Array // 24 bytes
  readonly ciphertext: Uint8Array
}

function checkParams(params: ScryptParams): void {
  const logN = Math.log2(params.N)
  const ok =
    Number.isInteger(logN) &&
    logN >= MIN_LOG_N &&
    logN <= MAX_LOG_N &&
    Number.isInteger(params.r) &&
    params.r >= 1 &&
    params.r <= 32 &&
    Number.isInteger(params.p) &&
    params.p >= 1 &&
    params.p <= 4 &&
    128 * params.N * params.r * params.p <= MAX_MEMORY_BYTES
  if (!ok)
    throw new CryptoError(CryptoErrorCode.unsupportedKdf, 'These key-derivation parameters are not accepted')
}

/**
 * scrypt over the NFKC form of `secret` (UTF-8), `dkLen` bytes out. The one scrypt call in Heard:
 * passphrase wrapping, follow-up keys (follow-up.ts) and the at-rest PIN key (at-rest.ts) all come
 * through here, so they share the parameter bounds. Meant for shared/crypto itself; the app uses the
 * functions built on it, never this directly (data is not to be encrypted straight under its output).
 */
export async function scryptDerive(
  secret: string,
  salt: Uint8Array,
  params: ScryptParams,
  dkLen: number,
): Promise<Uint8Array> {
  checkParams(params)
  return scryptAsync(utf8(secret.normalize('NFKC')), salt, {
    N: params.N,
    r: params.r,
    p: params.p,
    dkLen,
    maxmem: MAX_MEMORY_BYTES + 1024,
  })
}

const deriveWrappingKey = (passphrase: string, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array> =>
  scryptDerive(passphrase, salt, params, 32)

/** Wrap `secret` under `passphrase`. Takes about a second at the default 64 MiB. */
export async function wrapWithPassphrase(
  secret: Uint8Array,
  passphrase: string,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<PassphraseWrapped> {
  const salt = randomBytes(16)
  const nonce = randomBytes(24)
  const key = await deriveWrappingKey(passphrase, salt, params)
  const ciphertext = nacl.secretbox(secret, nonce, key)
  key.fill(0)
  return { kdf: 'scrypt', params: { ...params }, salt, nonce, ciphertext }
}

export async function unwrapWithPassphrase(
  wrapped: PassphraseWrapped,
  passphrase: string,
): Promise<Uint8Array> {
  if (wrapped.kdf !== 'scrypt' || wrapped.salt.length !== 16 || wrapped.nonce.length !== 24) {
    throw new CryptoError(CryptoErrorCode.unsupportedKdf, 'Unknown key derivation or a malformed wrapped key')
  }
  const key = await deriveWrappingKey(passphrase, wrapped.salt, wrapped.params)
  const secret = nacl.secretbox.open(wrapped.ciphertext, wrapped.nonce, key)
  key.fill(0)
  if (!secret) throw new CryptoError(CryptoErrorCode.wrongPassphrase, 'The passphrase does not open this key')
  return secret
}

/** Symmetric sealing under a random key (drafts at rest, wrapped content keys): nonce || secretbox. */
export function sealWithKey(plaintext: Uint8Array, key: SymmetricKey): Uint8Array {
  const nonce = randomBytes(24)
  return concatBytes(nonce, nacl.secretbox(plaintext, nonce, key))
}

export function openWithKey(sealed: Uint8Array, key: SymmetricKey): Uint8Array {
  const opened =
    sealed.length > 24 ? nacl.secretbox.open(sealed.subarray(24), sealed.subarray(0, 24), key) : null
  if (!opened) throw new CryptoError(CryptoErrorCode.decryptFailed, 'The data failed authentication')
  return opened
}
