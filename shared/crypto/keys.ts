import nacl from 'tweetnacl'
import { CryptoError, CryptoErrorCode } from './errors'
import { domainHash } from './hash'

declare const brand: unique symbol
type Brand<T, B extends string> = T & { readonly [brand]: B }

/** X25519 public key (32 bytes): the key a report is sealed to. */
export type BoxPublicKey = Brand<Uint8Array, 'BoxPublicKey'>
/** X25519 secret key (32 bytes): opens envelopes. Never leaves the device unwrapped. */
export type BoxSecretKey = Brand<Uint8Array, 'BoxSecretKey'>
/** Ed25519 public key (32 bytes): verifies manifests, case events, relay sessions. */
export type SignPublicKey = Brand<Uint8Array, 'SignPublicKey'>
/** Ed25519 secret key (64 bytes, seed then public key, as tweetnacl lays it out). */
export type SignSecretKey = Brand<Uint8Array, 'SignSecretKey'>
/** A 32-byte symmetric key (content keys, wrapping keys). */
export type SymmetricKey = Brand<Uint8Array, 'SymmetricKey'>
/** 16-byte identifier of a box public key, as listed in an envelope's recipients. */
export type KeyId = Brand<Uint8Array, 'KeyId'>

export interface BoxKeyPair {
  readonly publicKey: BoxPublicKey
  readonly secretKey: BoxSecretKey
}
export interface SignKeyPair {
  readonly publicKey: SignPublicKey
  readonly secretKey: SignSecretKey
}

export const KEY_BYTES = 32 // must not change: X25519 and Ed25519 public keys, content keys
export const SIGN_SECRET_KEY_BYTES = 64
export const KEY_ID_BYTES = 16 // must not change: part of envelope v1

function checkLength(bytes: Uint8Array, length: number, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new CryptoError(CryptoErrorCode.invalidKey, `${what} must be ${length} bytes`)
  }
}

export function boxPublicKey(bytes: Uint8Array): BoxPublicKey {
  checkLength(bytes, KEY_BYTES, 'An encryption public key')
  return bytes as BoxPublicKey
}
export function boxSecretKey(bytes: Uint8Array): BoxSecretKey {
  checkLength(bytes, KEY_BYTES, 'An encryption secret key')
  return bytes as BoxSecretKey
}
export function signPublicKey(bytes: Uint8Array): SignPublicKey {
  checkLength(bytes, KEY_BYTES, 'A signing public key')
  return bytes as SignPublicKey
}
export function signSecretKey(bytes: Uint8Array): SignSecretKey {
  checkLength(bytes, SIGN_SECRET_KEY_BYTES, 'A signing secret key')
  return bytes as SignSecretKey
}
export function symmetricKey(bytes: Uint8Array): SymmetricKey {
  checkLength(bytes, KEY_BYTES, 'A symmetric key')
  return bytes as SymmetricKey
}

export function generateBoxKeyPair(): BoxKeyPair {
  const pair = nacl.box.keyPair()
  return { publicKey: pair.publicKey as BoxPublicKey, secretKey: pair.secretKey as BoxSecretKey }
}

/** Deterministic X25519 pair from 32 secret bytes (follow-up keys derived from a passphrase, test vectors). */
export function boxKeyPairFromSeed(seed: Uint8Array): BoxKeyPair {
  checkLength(seed, KEY_BYTES, 'A key seed')
  const pair = nacl.box.keyPair.fromSecretKey(seed)
  return { publicKey: pair.publicKey as BoxPublicKey, secretKey: pair.secretKey as BoxSecretKey }
}

export function generateSignKeyPair(): SignKeyPair {
  const pair = nacl.sign.keyPair()
  return { publicKey: pair.publicKey as SignPublicKey, secretKey: pair.secretKey as SignSecretKey }
}

export function signKeyPairFromSeed(seed: Uint8Array): SignKeyPair {
  checkLength(seed, KEY_BYTES, 'A key seed')
  const pair = nacl.sign.keyPair.fromSeed(seed)
  return { publicKey: pair.publicKey as SignPublicKey, secretKey: pair.secretKey as SignSecretKey }
}

export const boxPublicKeyOf = (secretKey: BoxSecretKey): BoxPublicKey =>
  nacl.box.keyPair.fromSecretKey(secretKey).publicKey as BoxPublicKey

/** First 16 bytes of a domain-separated SHA-256 of the public key. Must not change: envelopes carry it. */
export const keyIdOf = (publicKey: BoxPublicKey): KeyId =>
  domainHash('heard/key-id/v1', publicKey).subarray(0, KEY_ID_BYTES) as KeyId

/**
 * Full SHA-256 fingerprint of a broker's two public keys, for people to compare out of band.
 * Binding both keys means neither can be swapped while the fingerprint still matches.
 */
export const fingerprintOf = (boxKey: BoxPublicKey, signKey: SignPublicKey): Uint8Array =>
  domainHash('heard/fingerprint/v1', boxKey, signKey)
