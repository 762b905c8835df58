import nacl from 'tweetnacl'
import { bytesEqual, readU32be, toBase64url, u32be, utf8 } from './bytes'
import { CryptoError, CryptoErrorCode } from './errors'
import { domainHash } from './hash'
import { type BoxPublicKey, type BoxSecretKey, generateBoxKeyPair, type KeyId, keyIdOf } from './keys'
import { bucketFor, isBucket } from './padding'
import { randomBytes } from './random'
import { boxBeforeWith, boxPublicKeyOfFast } from './x25519-fast'

/**
 * Sealed envelopes: a fresh 32-byte content key encrypts the padded body with XSalsa20-Poly1305
 * (`secretbox`); the content key is wrapped for each recipient with `box` (X25519 + XSalsa20-Poly1305)
 * from one ephemeral key pair per envelope. secretbox has no associated data, so the SHA-256 of the
 * whole header (every field but the body ciphertext) is the first thing inside the plaintext and is
 * compared after opening: moving ciphertext to another community, id, kind or recipient list fails.
 *
 * Plaintext layout (v1, must not change): headerHash(32) || bodyLength(u32 BE) || body || zeros,
 * its total length one of PADDING_BUCKETS.
 */

export const NONCE_BYTES = 24 // XSalsa20 nonce
export const MAC_BYTES = 16 // Poly1305 tag
export const WRAPPED_KEY_BYTES = 32 + MAC_BYTES
export const ENVELOPE_ID_BYTES = 16
/** Most recipients one envelope may name (v1; the relay refuses more). */
export const MAX_RECIPIENTS = 64
const HEADER_HASH_BYTES = 32
const LENGTH_BYTES = 4
const FRAME_BYTES = HEADER_HASH_BYTES + LENGTH_BYTES

/** The fields bound into every envelope besides the keys: who it is for and what it is. */
export interface EnvelopeContext {
  readonly version: number
  readonly kind: string
  readonly community: string
}

export interface WrappedKey {
  readonly keyId: KeyId
  readonly nonce: Uint8Array
  readonly wrappedKey: Uint8Array
}

export interface SealedEnvelope extends EnvelopeContext {
  /** base64url of 16 bytes derived from the ephemeral key: fixed at sealing time, unique per envelope. */
  readonly id: string
  readonly ephemeralKey: BoxPublicKey
  readonly nonce: Uint8Array
  readonly recipients: readonly WrappedKey[]
  readonly ciphertext: Uint8Array
}

/** The envelope id that belongs to an ephemeral key. The relay checks it, so an id cannot be forged apart from its key. */
export const envelopeIdOf = (ephemeralKey: Uint8Array): string =>
  toBase64url(domainHash('heard/envelope-id/v1', ephemeralKey).subarray(0, ENVELOPE_ID_BYTES))

/** The length of the ciphertext that a body of `bodyLength` bytes seals to. */
export const sealedLength = (bodyLength: number): number => bucketFor(FRAME_BYTES + bodyLength) + MAC_BYTES

/** True when a ciphertext length is one a v1 envelope can have; lets the relay refuse unpadded bodies. */
export const isSealedLength = (length: number): boolean => isBucket(length - MAC_BYTES)

/** SHA-256 of everything in an envelope except the body ciphertext, in a fixed binary layout. */
export function headerHash(envelope: Omit<SealedEnvelope, 'ciphertext'>): Uint8Array {
  // One buffer, hashed in one pass: opening runs this for every envelope a broker syncs, and
  // hashing a dozen small arrays one by one cost several times the hashing itself.
  const kind = utf8(envelope.kind)
  const community = utf8(envelope.community)
  const id = utf8(envelope.id)
  let length = 4 + 4 + kind.length + 4 + community.length + 4 + id.length
  length += envelope.ephemeralKey.length + envelope.nonce.length + 4
  for (const r of envelope.recipients) length += r.keyId.length + r.nonce.length + r.wrappedKey.length
  const out = new Uint8Array(length)
  const view = new DataView(out.buffer)
  let at = 0
  const u32 = (value: number) => {
    view.setUint32(at, value)
    at += 4
  }
  const bytes = (part: Uint8Array) => {
    out.set(part, at)
    at += part.length
  }
  u32(envelope.version)
  u32(kind.length)
  bytes(kind)
  u32(community.length)
  bytes(community)
  u32(id.length)
  bytes(id)
  bytes(envelope.ephemeralKey)
  bytes(envelope.nonce)
  u32(envelope.recipients.length)
  for (const r of envelope.recipients) {
    bytes(r.keyId)
    bytes(r.nonce)
    bytes(r.wrappedKey)
  }
  return domainHash('heard/envelope-header/v1', out)
}

/** Seal `body` so that only the holders of `recipients`' secret keys can read it. */
export async function seal(
  body: Uint8Array,
  recipients: readonly BoxPublicKey[],
  context: EnvelopeContext,
): Promise<SealedEnvelope> {
  const keyIds = new Set(recipients.map((r) => keyIdOf(r).join()))
  if (recipients.length === 0 || recipients.length > MAX_RECIPIENTS || keyIds.size !== recipients.length) {
    throw new CryptoError(
      CryptoErrorCode.invalidKey,
      `An envelope needs 1 to ${MAX_RECIPIENTS} distinct recipients`,
    )
  }
  const padded = new Uint8Array(bucketFor(FRAME_BYTES + body.length))
  const ephemeral = generateBoxKeyPair()
  const contentKey = randomBytes(32)
  const wrapped = recipients.map((publicKey) => {
    const nonce = randomBytes(NONCE_BYTES)
    return {
      keyId: keyIdOf(publicKey),
      nonce,
      wrappedKey: nacl.box(contentKey, nonce, publicKey, ephemeral.secretKey),
    }
  })
  const header = {
    ...context,
    id: envelopeIdOf(ephemeral.publicKey),
    ephemeralKey: ephemeral.publicKey,
    nonce: randomBytes(NONCE_BYTES),
    recipients: wrapped,
  }
  padded.set(headerHash(header), 0)
  padded.set(u32be(body.length), HEADER_HASH_BYTES)
  padded.set(body, FRAME_BYTES)
  const ciphertext = nacl.secretbox(padded, header.nonce, contentKey)
  contentKey.fill(0)
  ephemeral.secretKey.fill(0)
  return { ...header, ciphertext }
}

/**
 * An envelope's content key: it opens the body and nothing else. A broker who can open a report
 * hands this key (sealed to a new colleague) to grant access to it, without re-sealing the report.
 */
export type ContentKey = Uint8Array & { readonly __contentKey: true }

/**
 * Unwrap an envelope's content key with one recipient's secret key; throws a CryptoError saying
 * why it cannot. Both X25519 operations (own key id, shared key) go through WebCrypto where the
 * host has it, with tweetnacl's exact results (see x25519-fast.ts); concurrent calls overlap on
 * hosts that run WebCrypto off the main thread.
 */
export async function openContentKey(envelope: SealedEnvelope, secretKey: BoxSecretKey): Promise<ContentKey> {
  return (await contentKeyOpener(secretKey))(envelope)
}

export type ContentKeyOpener = (envelope: SealedEnvelope) => Promise<ContentKey>

/**
 * `openContentKey` with one secret key fixed: its key id and imported form are worked out once,
 * so opening many envelopes in a row (a broker's sync) pays only each envelope's own key agreement.
 */
export async function contentKeyOpener(secretKey: BoxSecretKey): Promise<ContentKeyOpener> {
  const keyId = keyIdOf(await boxPublicKeyOfFast(secretKey))
  const before = await boxBeforeWith(secretKey)
  return async (envelope) => {
    checkEnvelopeId(envelope)
    const mine = envelope.recipients.find((r) => bytesEqual(r.keyId, keyId))
    if (!mine)
      throw new CryptoError(CryptoErrorCode.notARecipient, 'This envelope was not sealed to this key')
    const shared = await before(envelope.ephemeralKey)
    const contentKey = nacl.box.open.after(mine.wrappedKey, mine.nonce, shared)
    shared.fill(0)
    if (contentKey?.length !== 32) {
      throw new CryptoError(CryptoErrorCode.unwrapFailed, 'The content key could not be unwrapped')
    }
    return contentKey as ContentKey
  }
}

/** A content key from bytes someone handed over (a grant); it is checked only when it opens a body. */
export function contentKey(bytes: Uint8Array): ContentKey {
  if (bytes.length !== 32) throw new CryptoError(CryptoErrorCode.invalidKey, 'A content key is 32 bytes')
  return bytes as ContentKey
}

/**
 * Envelopes whose id was checked against their key: opening checks before key agreement and again
 * before the body (either may run alone), and a broker's sync opens thousands. Envelopes are
 * treated as immutable once parsed; a key changed in place afterwards would still fail to unwrap.
 */
const idChecked = new WeakSet<SealedEnvelope>()

// The id is bound to the ephemeral key, so an opened envelope's id can be trusted as its identity.
function checkEnvelopeId(envelope: SealedEnvelope): void {
  if (idChecked.has(envelope)) return
  if (envelope.id !== envelopeIdOf(envelope.ephemeralKey)) {
    throw new CryptoError(CryptoErrorCode.headerMismatch, 'The envelope id does not belong to its key')
  }
  idChecked.add(envelope)
}

/**
 * Open an envelope's body with its content key: authentication, then the header binding (so a
 * key for one envelope cannot be used to pass another's header off), then the padding.
 */
export function openWithContentKey(envelope: SealedEnvelope, key: ContentKey): Uint8Array {
  checkEnvelopeId(envelope)
  const padded = nacl.secretbox.open(envelope.ciphertext, envelope.nonce, key)
  if (!padded) throw new CryptoError(CryptoErrorCode.decryptFailed, 'The body failed authentication')
  if (!bytesEqual(padded.subarray(0, HEADER_HASH_BYTES), headerHash(envelope))) {
    throw new CryptoError(CryptoErrorCode.headerMismatch, 'The envelope header was altered or moved')
  }
  const length = readU32be(padded, HEADER_HASH_BYTES)
  if (!isBucket(padded.length) || FRAME_BYTES + length > padded.length) {
    throw new CryptoError(CryptoErrorCode.badPadding, 'The body length is inconsistent')
  }
  for (let i = FRAME_BYTES + length; i < padded.length; i++) {
    if (padded[i] !== 0) throw new CryptoError(CryptoErrorCode.badPadding, 'The padding is not zeros')
  }
  return padded.slice(FRAME_BYTES, FRAME_BYTES + length)
}

/** Whether an envelope was sealed to `publicKey` (it names its key id among the recipients). */
export function isSealedTo(envelope: SealedEnvelope, publicKey: BoxPublicKey): boolean {
  const keyId = keyIdOf(publicKey)
  return envelope.recipients.some((r) => bytesEqual(r.keyId, keyId))
}

/** Open an envelope with one recipient's secret key; throws a CryptoError saying why it cannot. */
export async function open(envelope: SealedEnvelope, secretKey: BoxSecretKey): Promise<Uint8Array> {
  const key = await openContentKey(envelope, secretKey)
  try {
    return openWithContentKey(envelope, key)
  } finally {
    key.fill(0)
  }
}
