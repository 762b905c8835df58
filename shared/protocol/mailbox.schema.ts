import * as v from 'valibot'
import {
  base64urlLength,
  concatBytes,
  fromUtf8,
  isCanonicalBase64url,
  KEY_BYTES,
  lengthPrefixed,
  MAILBOX_ID_BYTES,
  SIGNATURE_BYTES,
  type SignKeyPair,
  sha256,
  signDetached,
  toBase64url,
  utf8,
} from '../crypto'
import { ProtocolError } from './errors'
import { isIsoUtc, validationError } from './fields'

/**
 * Follow-up mailboxes (docs/protocol.md, "Follow-up mailboxes"). A complainant's device derives an
 * Ed25519 key pair from their follow-up passphrase; the mailbox is named by `mailboxIdOf(publicKey)`
 * and holds `reply` envelopes both ways. The owner proves each request with a `HeardMailbox`
 * signature; brokers use their ordinary bearer session. Shared by the relay and the client.
 */

export const MAILBOX_REQUEST_DOMAIN = 'heard/mailbox-request/v1' // must not change
export const MAILBOX_AUTH_SCHEME = 'HeardMailbox' // must not change
/** How far (seconds, either way) a signed request's `time` may be from the relay's clock. */
export const MAILBOX_TIME_SKEW_SECONDS = 300

/** Who put a message in a mailbox. Wire constants: stored in the relay's database and sent to clients. */
export const MailboxSender = { broker: 'broker', complainant: 'complainant' } as const
export type MailboxSender = (typeof MailboxSender)[keyof typeof MailboxSender]

/** True for a canonical mailbox id: unpadded base64url of exactly 16 bytes (22 chars). */
export const isMailboxId = (text: string): boolean =>
  text.length === base64urlLength(MAILBOX_ID_BYTES) && isCanonicalBase64url(text)

/** What the relay promises about a stored mailbox message. `receivedAt` is coarsened to the hour. */
export const MailboxReceiptSchema = v.object({
  community: v.string(),
  mailbox: v.string(),
  id: v.string(),
  /** base64url SHA-256 of the canonical envelope text. */
  hash: v.string(),
  /** Position in the relay's mailbox sequence: increasing, not contiguous within one mailbox. */
  seq: v.number(),
  receivedAt: v.string(),
})
export type MailboxReceipt = v.InferOutput<typeof MailboxReceiptSchema>

/** The answer to a mailbox POST: 201 when stored now, 200 with the original receipt on a retry. */
export const MailboxReceiptResponseSchema = v.object({ receipt: MailboxReceiptSchema })

export const MailboxPageSchema = v.object({
  messages: v.array(
    v.object({
      seq: v.number(),
      receivedAt: v.string(),
      sender: v.picklist(Object.values(MailboxSender)),
      envelope: v.unknown(),
    }),
  ),
  /** Pass as `after` to fetch the next page; equal to the request's cursor when nothing is new. */
  next: v.string(),
})
export type MailboxPage = v.InferOutput<typeof MailboxPageSchema>

export interface MailboxRequest {
  readonly community: string
  readonly mailbox: string
  /** HTTP method; signed in upper case. */
  readonly method: string
  /** The `time` of the Authorization header, exactly as sent. */
  readonly time: string
  /** SHA-256 (32 bytes) of the request body's bytes; of zero bytes when there is no body (GET). */
  readonly bodyHash: Uint8Array
}

/**
 * The bytes a mailbox owner signs (with MAILBOX_REQUEST_DOMAIN) for one request:
 * `lp(community) ‖ lp(mailbox) ‖ lp(METHOD) ‖ lp(time) ‖ bodyHash`. Layout must not change.
 */
export const mailboxRequestMessage = (request: MailboxRequest): Uint8Array =>
  concatBytes(
    lengthPrefixed(request.community),
    lengthPrefixed(request.mailbox),
    lengthPrefixed(request.method.toUpperCase()),
    lengthPrefixed(request.time),
    request.bodyHash,
  )

export interface MailboxAuthorizationInput {
  readonly community: string
  readonly mailbox: string
  readonly method: string
  /** The exact body bytes that will be sent (a string is taken as its UTF-8); none for GET. */
  readonly body?: Uint8Array | string
  /** The owner's key pair, derived from the follow-up passphrase. */
  readonly signKeyPair: SignKeyPair
  /** The signing time; defaults to the device clock. */
  readonly now?: Date
}

/**
 * The `Authorization` header value for one mailbox request by its owner:
 * `HeardMailbox key=<b64(32)>, time=<ISO 8601 UTC>, sig=<b64(64)>`.
 */
export function mailboxAuthorization(input: MailboxAuthorizationInput): string {
  const body = typeof input.body === 'string' ? utf8(input.body) : (input.body ?? new Uint8Array())
  const time = (input.now ?? new Date()).toISOString()
  const message = mailboxRequestMessage({
    community: input.community,
    mailbox: input.mailbox,
    method: input.method,
    time,
    bodyHash: sha256(body),
  })
  const sig = signDetached(MAILBOX_REQUEST_DOMAIN, message, input.signKeyPair.secretKey)
  return `${MAILBOX_AUTH_SCHEME} key=${toBase64url(input.signKeyPair.publicKey)}, time=${time}, sig=${toBase64url(sig)}`
}

export interface MailboxAuthorization {
  /** base64url Ed25519 public key (32 bytes). */
  readonly key: string
  readonly time: string
  /** Milliseconds since the epoch of `time`. */
  readonly timeMs: number
  /** base64url detached signature (64 bytes). */
  readonly sig: string
}

const KEY_CHARS = base64urlLength(KEY_BYTES)
const SIG_CHARS = base64urlLength(SIGNATURE_BYTES)
const AUTHORIZATION = new RegExp(
  `^${MAILBOX_AUTH_SCHEME} key=([A-Za-z0-9_-]{${KEY_CHARS}}), time=([0-9T:.Z-]{20,24}), sig=([A-Za-z0-9_-]{${SIG_CHARS}})$`,
)

/**
 * Read a `HeardMailbox` header value; null when it is not exactly that form (canonical base64url
 * key and signature, ISO 8601 UTC time). Does not verify anything.
 */
export function parseMailboxAuthorization(header: string): MailboxAuthorization | null {
  const match = AUTHORIZATION.exec(header)
  if (!match) return null
  const [, key = '', time = '', sig = ''] = match
  if (!isCanonicalBase64url(key) || !isCanonicalBase64url(sig) || !isIsoUtc(time)) return null
  return { key, time, timeMs: Date.parse(time), sig }
}

/** Most characters (UTF-16 code units) in one reply's text. */
export const MAX_REPLY_CHARS = 20_000

/**
 * The plaintext inside a `reply` envelope, either way: UTF-8 JSON of this object. A new layout gets
 * a new `v`; every old one keeps a decoder.
 */
export const ReplyV1Schema = v.strictObject(
  {
    v: v.literal(1, 'expected 1'),
    text: v.pipe(v.string('expected a string'), v.maxLength(MAX_REPLY_CHARS, 'too long')),
    sentAt: v.optional(v.pipe(v.string('expected a string'), v.check(isIsoUtc, 'not an ISO 8601 UTC time'))),
  },
  'expected a reply object',
)
export type ReplyV1 = v.InferOutput<typeof ReplyV1Schema>

/** A reply's plaintext bytes, ready to seal; throws ProtocolError if `reply` breaks the schema. */
export function encodeReply(reply: ReplyV1): Uint8Array {
  const result = v.safeParse(ReplyV1Schema, reply)
  if (!result.success) throw validationError(result.issues)
  const { v: version, text, sentAt } = result.output
  return utf8(JSON.stringify(sentAt === undefined ? { v: version, text } : { v: version, text, sentAt }))
}

/** An opened reply's plaintext → the reply; throws ProtocolError (invalid_json, unsupported_version, invalid_body). */
export function decodeReply(bytes: Uint8Array): ReplyV1 {
  let value: unknown
  try {
    value = JSON.parse(fromUtf8(bytes))
  } catch {
    throw new ProtocolError('invalid_json')
  }
  if (typeof value === 'object' && value !== null && 'v' in value) {
    const version = (value as { v: unknown }).v
    if (typeof version === 'number' && version !== 1) throw new ProtocolError('unsupported_version')
  }
  const result = v.safeParse(ReplyV1Schema, value)
  if (!result.success) throw validationError(result.issues)
  return result.output
}
