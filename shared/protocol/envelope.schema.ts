import * as v from 'valibot'
import {
  asciiInto,
  type BoxSecretKey,
  boxPublicKey,
  ENVELOPE_ID_BYTES,
  fromUtf8,
  isCanonicalBase64url,
  isSealedLength,
  KEY_BYTES,
  KEY_ID_BYTES,
  type KeyId,
  MAX_PADDED_BYTES,
  MAX_RECIPIENTS,
  NONCE_BYTES,
  open,
  type SealedEnvelope,
  sha256Async,
  toBase64url,
  utf8,
  WRAPPED_KEY_BYTES,
} from '../crypto'
import { ProtocolError } from './errors'
import { b64, b64Bounded, communityId, decodeField, validationError } from './fields'

/**
 * Envelope v1 on the wire: JSON with unpadded base64url byte fields. Field names and meanings are
 * wire constants (docs/protocol.md); a new layout gets a new `v`, and every old version keeps a
 * decoder. Encoding always uses the newest version.
 */
export const ENVELOPE_VERSION = 1
export const SUPPORTED_ENVELOPE_VERSIONS: readonly number[] = [1]
export { MAX_RECIPIENTS }

export const EnvelopeKind = {
  report: 'report',
  caseEvent: 'case-event',
  reply: 'reply',
  attachment: 'attachment',
} as const
export type EnvelopeKind = (typeof EnvelopeKind)[keyof typeof EnvelopeKind]

const recipientV1 = v.strictObject(
  {
    kid: b64(KEY_ID_BYTES),
    nonce: b64(NONCE_BYTES),
    key: b64(WRAPPED_KEY_BYTES),
  },
  'expected a recipient object',
)

export const EnvelopeV1Schema = v.strictObject(
  {
    v: v.literal(1, 'expected 1'),
    kind: v.picklist(Object.values(EnvelopeKind), 'unknown kind'),
    community: communityId,
    id: b64(ENVELOPE_ID_BYTES),
    epk: b64(KEY_BYTES),
    nonce: b64(NONCE_BYTES),
    recipients: v.pipe(
      v.array(recipientV1, 'expected an array'),
      v.minLength(1, 'needs at least one recipient'),
      v.maxLength(MAX_RECIPIENTS, 'too many recipients'),
    ),
    ct: v.pipe(
      b64Bounded(MAX_PADDED_BYTES + 16),
      v.check((text) => isSealedLength(Math.floor((text.length * 3) / 4)), 'not a padded length'),
    ),
  },
  'expected an envelope object',
)
export type EnvelopeV1Json = v.InferOutput<typeof EnvelopeV1Schema>

/** Validate untrusted JSON as an envelope of a supported version; throws ProtocolError. */
export function parseEnvelopeJson(input: unknown): EnvelopeV1Json {
  if (typeof input === 'object' && input !== null && 'v' in input) {
    const version = (input as { v: unknown }).v
    if (typeof version === 'number' && !SUPPORTED_ENVELOPE_VERSIONS.includes(version)) {
      throw new ProtocolError('unsupported_version')
    }
  }
  const result = v.safeParse(EnvelopeV1Schema, input, { abortPipeEarly: true })
  if (!result.success) throw validationError(result.issues)
  return result.output
}

/** Wire JSON → the structure shared/crypto opens. The input must have passed parseEnvelopeJson. */
export function envelopeFromJson(json: EnvelopeV1Json): SealedEnvelope {
  return {
    version: json.v,
    kind: json.kind,
    community: json.community,
    id: json.id,
    ephemeralKey: boxPublicKey(decodeField(json.epk)),
    nonce: decodeField(json.nonce),
    recipients: json.recipients.map((r) => ({
      keyId: decodeField(r.kid) as KeyId,
      nonce: decodeField(r.nonce),
      wrappedKey: decodeField(r.key),
    })),
    ciphertext: decodeField(json.ct),
  }
}

/** The sealed structure → wire JSON, keys always in this order (the relay hashes this form). */
export function envelopeToJson(envelope: SealedEnvelope): EnvelopeV1Json {
  return {
    v: ENVELOPE_VERSION as 1,
    kind: envelope.kind as EnvelopeKind,
    community: envelope.community,
    id: envelope.id,
    epk: toBase64url(envelope.ephemeralKey),
    nonce: toBase64url(envelope.nonce),
    recipients: envelope.recipients.map((r) => ({
      kid: toBase64url(r.keyId),
      nonce: toBase64url(r.nonce),
      key: toBase64url(r.wrappedKey),
    })),
    ct: toBase64url(envelope.ciphertext),
  }
}

/** Canonical text of an envelope: compact JSON with keys in schema order. Its SHA-256 is the envelope hash. */
export const canonicalEnvelopeText = (json: EnvelopeV1Json): string =>
  JSON.stringify({
    v: json.v,
    kind: json.kind,
    community: json.community,
    id: json.id,
    epk: json.epk,
    nonce: json.nonce,
    recipients: json.recipients.map((r) => ({ kid: r.kid, nonce: r.nonce, key: r.key })),
    ct: json.ct,
  })

/**
 * The canonical text as UTF-8 bytes. The ciphertext is most of it and is already canonical
 * base64url (the schema checked it), so it is copied into the bytes as it stands rather than
 * built into one long string and encoded again: a broker's sync hashes thousands of these.
 */
export function canonicalEnvelopeBytes(json: EnvelopeV1Json): Uint8Array {
  const text = canonicalEnvelopeText({ ...json, ct: '' })
  // Everything up to the ciphertext's opening quote, then the ciphertext, then its closing `"}`.
  const head = utf8(text.slice(0, -2))
  const out = new Uint8Array(head.length + json.ct.length + 2)
  out.set(head, 0)
  // Text that needs escaping never passed the schema; if it comes anyway, it is encoded in full.
  if (!isCanonicalBase64url(json.ct) || !asciiInto(json.ct, out, head.length)) {
    return utf8(canonicalEnvelopeText(json))
  }
  out[out.length - 2] = 0x22 // "
  out[out.length - 1] = 0x7d // }
  return out
}

/** The envelope hash (3.8): base64url SHA-256 of the canonical text. What receipts and the log name. */
export async function envelopeHash(json: EnvelopeV1Json): Promise<string> {
  return toBase64url(await sha256Async(canonicalEnvelopeBytes(json)))
}

/** Parse the exact bytes of a serialized envelope (strict UTF-8, then JSON, then schema). */
export function parseEnvelopeText(text: string): EnvelopeV1Json {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ProtocolError('invalid_json')
  }
  return parseEnvelopeJson(value)
}

/**
 * Parse and open serialized envelope bytes in one step, the way a broker's device reads what it
 * synced. Every refusal is a ProtocolError (shape, encoding, version) or a CryptoError (keys,
 * authentication, header binding, padding).
 */
export async function openEnvelopeBytes(bytes: Uint8Array, secretKey: BoxSecretKey): Promise<Uint8Array> {
  return open(envelopeOfBytes(bytes), secretKey)
}

/** Serialized envelope bytes → the structure shared/crypto opens; throws ProtocolError. */
export function envelopeOfBytes(bytes: Uint8Array): SealedEnvelope {
  let text: string
  try {
    text = fromUtf8(bytes)
  } catch {
    throw new ProtocolError('invalid_json')
  }
  return envelopeFromJson(parseEnvelopeText(text))
}
