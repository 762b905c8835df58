import nacl from 'tweetnacl'
import { concatBytes } from './bytes'
import { CryptoError, CryptoErrorCode } from './errors'
import { type BoxPublicKey, type BoxSecretKey, generateBoxKeyPair, KEY_BYTES } from './keys'
import { randomBytes } from './random'

const NONCE = 24

/**
 * Anonymous sealing to one public key: a fresh ephemeral X25519 key per message, then box.
 * Layout `ephemeral public key (32) ‖ nonce (24) ‖ box`. For data the device must be able to write
 * without being able to read back, e.g. drafts behind a PIN: saving needs only the public key.
 */
export function sealToKey(plaintext: Uint8Array, publicKey: BoxPublicKey): Uint8Array {
  const ephemeral = generateBoxKeyPair()
  const nonce = randomBytes(NONCE)
  const box = nacl.box(plaintext, nonce, publicKey, ephemeral.secretKey)
  ephemeral.secretKey.fill(0)
  return concatBytes(ephemeral.publicKey, nonce, box)
}

export function openFromKey(sealed: Uint8Array, secretKey: BoxSecretKey): Uint8Array {
  const opened =
    sealed.length > KEY_BYTES + NONCE
      ? nacl.box.open(
          sealed.subarray(KEY_BYTES + NONCE),
          sealed.subarray(KEY_BYTES, KEY_BYTES + NONCE),
          sealed.subarray(0, KEY_BYTES),
          secretKey,
        )
      : null
  if (!opened) throw new CryptoError(CryptoErrorCode.decryptFailed, 'The data failed authentication')
  return opened
}
