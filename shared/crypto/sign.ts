import nacl from 'tweetnacl'
import { concatBytes, utf8 } from './bytes'
import type { SignPublicKey, SignSecretKey } from './keys'
import { nativeEd25519Sign } from './native-host'

/**
 * Detached Ed25519 signatures (64 bytes) over `domain || 0x00 || message`. The domain keeps a
 * signature made for one purpose (a manifest, a relay login) from being replayed as another.
 */
export const SIGNATURE_BYTES = 64

const framed = (domain: string, message: Uint8Array): Uint8Array =>
  concatBytes(utf8(domain), new Uint8Array([0]), message)

export const signDetached = (domain: string, message: Uint8Array, secretKey: SignSecretKey): Uint8Array =>
  // The host's Ed25519 where there is one (Node): same deterministic signature, far faster.
  nativeEd25519Sign
    ? nativeEd25519Sign(secretKey.subarray(0, 32), framed(domain, message))
    : nacl.sign.detached(framed(domain, message), secretKey)

export function verifyDetached(
  domain: string,
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: SignPublicKey,
): boolean {
  if (signature.length !== SIGNATURE_BYTES || publicKey.length !== 32) return false
  return nacl.sign.detached.verify(framed(domain, message), signature, publicKey)
}
