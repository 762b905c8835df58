import { bytesEqual, concatBytes, utf8 } from './bytes'
import { CryptoError, CryptoErrorCode } from './errors'
import { DEFAULT_SCRYPT, openWithKey, type ScryptParams, scryptDerive, sealWithKey } from './kdf'
import { KEY_BYTES, type SymmetricKey } from './keys'
import { randomBytes } from './random'

/**
 * Drafts and settings at rest in IndexedDB, sealed under a device key: a WebCrypto AES-GCM-256 key
 * created non-extractable, so page script (or an XSS payload) can use it while the page runs but can
 * never read it out. The browser keeps the CryptoKey object in IndexedDB beside the data.
 *
 * Optionally a PIN layer inside: the plaintext is first sealed with secretbox under a key scrypt
 * derives from the PIN, then the result under the device key, so opening needs both the device and
 * the PIN. A PIN is few bits: the scrypt cost slows guessing, the device key is what keeps copied
 * storage unreadable.
 *
 * Byte format, version 1 (must not change; a new layout takes a new version byte, old ones stay readable):
 *   [0]      version = 1
 *   [1]      flags: bit 0 = PIN layer present; other bits must be zero
 *   [2..14)  AES-GCM IV, 12 random bytes
 *   [14..)   AES-GCM ciphertext and 16-byte tag, over the plaintext, or over
 *            sealWithKey(plaintext, pinKey) = 24-byte nonce || secretbox when the PIN flag is set
 * The AES-GCM additional data is 'heard/at-rest/v1' || 0x00 || bytes [0..2), so the version and the
 * flags cannot be changed without the tag failing.
 */

export const AT_REST_VERSION = 1 // must not change: the first byte of every version-1 record
const FLAG_PIN = 0b1
const HEADER_BYTES = 2
const IV_BYTES = 12
const TAG_BYTES = 16
const AAD_DOMAIN = utf8('heard/at-rest/v1\u0000') // must not change
export const PIN_SALT_BYTES = 16
/** The plaintext of a PIN verifier. Must not change: stored verifiers are checked against it. */
const PIN_CHECK = utf8('heard/pin-check/v1')

/** WebCrypto wants ArrayBuffer-backed views; copies only when handed something else. */
const buffer = (bytes: Uint8Array): Uint8Array<ArrayBuffer> =>
  bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes)

const unreadable = (): CryptoError =>
  new CryptoError(CryptoErrorCode.atRestUnreadable, 'This stored data cannot be opened on this device')

/** A new AES-GCM-256 device key: non-extractable, for encrypt and decrypt only. Store the CryptoKey itself. */
export async function createDeviceKey(): Promise<CryptoKey> {
  return globalThis.crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt'])
}

/**
 * Seal `plaintext` for storage: under `deviceKey`, and first under `pinKey` when given (see the
 * format above). Output is 30 bytes longer than the plaintext, 70 with a PIN layer.
 */
export async function sealAtRest(
  plaintext: Uint8Array,
  deviceKey: CryptoKey,
  pinKey?: SymmetricKey,
): Promise<Uint8Array> {
  const header = new Uint8Array([AT_REST_VERSION, pinKey ? FLAG_PIN : 0])
  const inner = pinKey ? sealWithKey(plaintext, pinKey) : plaintext
  const iv = randomBytes(IV_BYTES)
  const ciphertext = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: buffer(iv), additionalData: buffer(concatBytes(AAD_DOMAIN, header)) },
    deviceKey,
    buffer(inner),
  )
  return concatBytes(header, iv, new Uint8Array(ciphertext))
}

/**
 * Open what sealAtRest sealed. Throws CryptoError:
 * - unsupported_version: the first byte is not a version this build reads;
 * - at_rest_unreadable: truncated, altered, unknown flags, or another device key;
 * - pin_required: sealed with a PIN layer and no `pinKey` given;
 * - pin_unexpected: sealed without a PIN layer and a `pinKey` given;
 * - wrong_pin: the device key opened it and `pinKey` did not.
 * The PIN checks come after the device-key tag is verified, so a corrupted flag reads as corruption.
 */
export async function openAtRest(
  sealed: Uint8Array,
  deviceKey: CryptoKey,
  pinKey?: SymmetricKey,
): Promise<Uint8Array> {
  if (sealed.length < HEADER_BYTES) throw unreadable()
  if (sealed[0] !== AT_REST_VERSION) {
    throw new CryptoError(
      CryptoErrorCode.unsupportedVersion,
      'This stored data has an unknown format version',
    )
  }
  const flags = sealed[1] as number
  if ((flags & ~FLAG_PIN) !== 0 || sealed.length < HEADER_BYTES + IV_BYTES + TAG_BYTES) throw unreadable()
  let inner: Uint8Array
  try {
    inner = new Uint8Array(
      await globalThis.crypto.subtle.decrypt(
        {
          name: 'AES-GCM',
          iv: buffer(sealed.slice(HEADER_BYTES, HEADER_BYTES + IV_BYTES)),
          additionalData: buffer(concatBytes(AAD_DOMAIN, sealed.subarray(0, HEADER_BYTES))),
        },
        deviceKey,
        buffer(sealed.slice(HEADER_BYTES + IV_BYTES)),
      ),
    )
  } catch {
    // OperationError for a failed tag; InvalidAccessError for a key that is not an AES-GCM decrypt key.
    throw unreadable()
  }
  const hasPin = (flags & FLAG_PIN) !== 0
  if (!hasPin) {
    if (pinKey) throw new CryptoError(CryptoErrorCode.pinUnexpected, 'This stored data has no PIN layer')
    return inner
  }
  if (!pinKey) throw new CryptoError(CryptoErrorCode.pinRequired, 'This stored data needs the PIN')
  try {
    return openWithKey(inner, pinKey)
  } catch {
    throw new CryptoError(CryptoErrorCode.wrongPin, 'The PIN does not open this data')
  }
}

/** A fresh random salt for derivePinKey (16 bytes). Store it beside the data; it is not secret. */
export const newPinSalt = (): Uint8Array => randomBytes(PIN_SALT_BYTES)

/**
 * The 32-byte PIN key: scrypt(NFKC(pin), salt, params). `params` defaults to DEFAULT_SCRYPT (64 MiB,
 * about a second), which is the point: every PIN guess costs that much. Store the params with the salt
 * if they are ever not the default.
 */
export async function derivePinKey(
  pin: string,
  salt: Uint8Array,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<SymmetricKey> {
  if (salt.length !== PIN_SALT_BYTES) {
    throw new CryptoError(CryptoErrorCode.unsupportedKdf, `A PIN salt must be ${PIN_SALT_BYTES} bytes`)
  }
  return (await scryptDerive(pin, salt, params, KEY_BYTES)) as SymmetricKey
}

/**
 * A check value for the PIN (64 bytes: sealWithKey of a constant), so the app can tell a wrong PIN
 * (checkPin false) from corrupt data before opening anything. It lets whoever holds it test PIN
 * guesses, so store it sealed at rest under the device key (sealAtRest without a PIN), never bare.
 */
export const pinVerifier = (pinKey: SymmetricKey): Uint8Array => sealWithKey(PIN_CHECK, pinKey)

/** True when `verifier` was made by pinVerifier under this same PIN key. */
export function checkPin(verifier: Uint8Array, pinKey: SymmetricKey): boolean {
  try {
    return bytesEqual(openWithKey(verifier, pinKey), PIN_CHECK)
  } catch {
    return false
  }
}
