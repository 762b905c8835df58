import nacl from 'tweetnacl'
import { concatBytes } from './bytes'
import { CryptoError, CryptoErrorCode } from './errors'
import { domainHash } from './hash'
import { type BoxPublicKey, type BoxSecretKey, boxPublicKeyOf, generateBoxKeyPair, KEY_BYTES } from './keys'

const NONCE = 24

/**
 * The nonce is derived from both public keys, as libsodium's sealed boxes do: nothing extra to
 * store, and the ephemeral key is bound exactly (X25519 itself ignores its top bit).
 */
const nonceOf = (ephemeral: Uint8Array, recipient: Uint8Array): Uint8Array =>
  domainHash('heard/sealed-box/v1', ephemeral, recipient).subarray(0, NONCE)

/**
 * Anonymous sealing to one public key: a fresh ephemeral X25519 key per message, then box.
 * Layout `ephemeral public key (32) ‖ box`. For data the device must be able to write without
 * being able to read back, e.g. drafts behind a PIN: saving needs only the public key.
 */
export function sealToKey(plaintext: Uint8Array, publicKey: BoxPublicKey): Uint8Array {
  const ephemeral = generateBoxKeyPair()
  const box = nacl.box(plaintext, nonceOf(ephemeral.publicKey, publicKey), publicKey, ephemeral.secretKey)
  ephemeral.secretKey.fill(0)
  return concatBytes(ephemeral.publicKey, box)
}

export function openFromKey(sealed: Uint8Array, secretKey: BoxSecretKey): Uint8Array {
  const ephemeral = sealed.subarray(0, KEY_BYTES)
  const opened =
    sealed.length >= KEY_BYTES + nacl.box.overheadLength
      ? nacl.box.open(
          sealed.subarray(KEY_BYTES),
          nonceOf(ephemeral, boxPublicKeyOf(secretKey)),
          ephemeral,
          secretKey,
        )
      : null
  if (!opened) throw new CryptoError(CryptoErrorCode.decryptFailed, 'The data failed authentication')
  return opened
}
