import * as v from 'valibot'
import {
  base64urlLength,
  ENVELOPE_ID_BYTES,
  fromUtf8,
  isCanonicalBase64url,
  KEY_BYTES,
  MAILBOX_ID_BYTES,
  SIGNATURE_BYTES,
  type SignKeyPair,
  signDetached,
  signPublicKey,
  toBase64url,
  utf8,
  verifyDetached,
} from '../crypto'
import { ProtocolError } from './errors'
import { b64, decodeField, isIsoUtc, NOT_BASE64URL, validationError } from './fields'
import { grantKeysLength } from './grant-keys'
import type { Manifest } from './manifest'
import { hasControl, isTypedText, isWellFormed } from './text'

/**
 * Case events (docs/protocol.md, "Case events"): how brokers work a case — status, notes,
 * assignment, tags, replies sent, access granted — as signed statements appended to the case. The
 * plaintext below travels sealed in a `case-event` envelope to the community's brokers; the relay
 * stores it append-only and can read none of it. Each event is signed by its broker's Ed25519 key
 * (the one in the manifest), so every broker can check who did what, and no broker (nor the relay)
 * can forge or rewrite another's event. Shared by the relay (wire shapes) and the broker app.
 */

export const CASE_EVENT_SIGNING_DOMAIN = 'heard/case-event/v1' // must not change
export const CASE_EVENT_VERSION = 1

/** Where a case stands. Wire constants: never renamed or reused. */
export const CASE_STATUSES = ['new', 'acknowledged', 'referred', 'in_progress', 'closed'] as const
export type CaseStatus = (typeof CASE_STATUSES)[number]

/** How a closed case ended; required exactly when the status is `closed`. Wire constants. */
export const CASE_OUTCOMES = ['resolved', 'no_action_possible', 'referred_elsewhere', 'withdrawn'] as const
export type CaseOutcome = (typeof CASE_OUTCOMES)[number]

export const CASE_EVENT_LIMITS = {
  /** A note's text, in chars (UTF-16 code units). */
  noteChars: 20_000,
  /** One tag, in chars. */
  tagChars: 40,
  /** Tags added (or removed) by one event. */
  tags: 20,
  /** Reports named by one grant (its sealed keys keep the event well under `eventChars`). */
  grantReports: 500,
  /**
   * The signed event text, in chars. The largest valid event (a 20,000-char note that JSON must
   * escape throughout) is about 40,300; once wrapped and sealed it still fits the relay's default body limit.
   */
  eventChars: 65_536,
} as const

const OPEN_STATUSES = CASE_STATUSES.filter((s): s is Exclude<CaseStatus, 'closed'> => s !== 'closed')

const isTag = (tag: string): boolean => isWellFormed(tag) && !hasControl(tag, false) && tag.trim() === tag

const TagListSchema = v.pipe(
  v.array(
    v.pipe(
      v.string('expected a string'),
      v.minLength(1, 'empty'),
      v.maxLength(CASE_EVENT_LIMITS.tagChars, 'too long'),
      v.check(isTag, 'not a one-line trimmed tag'),
    ),
    'expected an array',
  ),
  v.maxLength(CASE_EVENT_LIMITS.tags, 'too many'),
  v.check((tags) => new Set(tags).size === tags.length, 'a tag is listed twice'),
)

const StatusChangeSchema = v.variant(
  'status',
  [
    v.strictObject({
      type: v.literal('status', 'expected "status"'),
      status: v.literal('closed', 'expected "closed"'),
      outcome: v.picklist(CASE_OUTCOMES, 'unknown outcome'),
    }),
    v.strictObject({
      type: v.literal('status', 'expected "status"'),
      status: v.picklist(OPEN_STATUSES, 'unknown status'),
    }),
  ],
  'unknown status',
)

/** What an event changes: one variant per `type`. Every object is strict (unknown members refused). */
export const CaseChangeSchema = v.variant(
  'type',
  [
    /** A new status; `outcome` is present exactly when `status` is `closed`. */
    StatusChangeSchema,
    /** A note for the other brokers, 1 to 20,000 chars of typed text. */
    v.strictObject({
      type: v.literal('note', 'expected "note"'),
      text: v.pipe(
        v.string('expected a string'),
        v.minLength(1, 'empty'),
        v.maxLength(CASE_EVENT_LIMITS.noteChars, 'too long'),
        v.check(isTypedText, 'control character or lone surrogate'),
      ),
    }),
    /** Who handles the case: a broker's Ed25519 sign key (as in the manifest), or null for nobody. */
    v.strictObject({
      type: v.literal('assign', 'expected "assign"'),
      to: v.nullable(b64(KEY_BYTES)),
    }),
    /** Tags added and removed (each 1–40 chars, one line, trimmed; at most 20 per list). */
    v.strictObject({
      type: v.literal('tag', 'expected "tag"'),
      add: v.optional(TagListSchema),
      remove: v.optional(TagListSchema),
    }),
    /** A reply was sent: the follow-up mailbox and the reply envelope's id. */
    v.strictObject({
      type: v.literal('reply', 'expected "reply"'),
      mailbox: b64(MAILBOX_ID_BYTES),
      replyId: b64(ENVELOPE_ID_BYTES),
    }),
    /**
     * History access granted: the author gave the broker whose X25519 box key is `to` the content
     * keys of the listed reports (ids), in `keys`: the 32-byte keys in the order of `reports`,
     * concatenated and sealed to `to` alone (grant-keys.ts). Signed, so every broker sees who
     * granted what to whom; sealed, so only `to` can use it.
     */
    v.strictObject({
      type: v.literal('grant', 'expected "grant"'),
      to: b64(KEY_BYTES),
      reports: v.pipe(
        v.array(b64(ENVELOPE_ID_BYTES), 'expected an array'),
        v.minLength(1, 'needs at least one report'),
        v.maxLength(CASE_EVENT_LIMITS.grantReports, 'too many'),
        v.check((ids) => new Set(ids).size === ids.length, 'a report is listed twice'),
      ),
      keys: v.pipe(
        v.string('expected a string'),
        v.maxLength(base64urlLength(grantKeysLength(CASE_EVENT_LIMITS.grantReports)), 'too long'),
        v.check(isCanonicalBase64url, NOT_BASE64URL),
      ),
    }),
  ],
  'unknown change type',
)
export type CaseChange = v.InferOutput<typeof CaseChangeSchema>

/** A tag change must change something, and cannot add and remove the same tag. */
function isSensibleTagChange(change: CaseChange): boolean {
  if (change.type !== 'tag') return true
  const add = change.add ?? []
  const remove = change.remove ?? []
  return add.length + remove.length > 0 && !add.some((tag) => remove.includes(tag))
}

/** A grant's sealed keys must hold exactly one key per report it names. */
const isWholeGrant = (change: CaseChange): boolean =>
  change.type !== 'grant' || change.keys.length === base64urlLength(grantKeysLength(change.reports.length))

/**
 * The plaintext of one case event, v1. `case` is the report's envelope id; `at` is when the broker
 * made the change (their device's clock, ISO 8601 UTC); `author` is their Ed25519 sign key as
 * listed in the manifest.
 */
export const CaseEventV1Schema = v.pipe(
  v.strictObject(
    {
      v: v.literal(CASE_EVENT_VERSION, 'expected 1'),
      case: b64(ENVELOPE_ID_BYTES),
      at: v.pipe(v.string('expected a string'), v.check(isIsoUtc, 'not an ISO 8601 UTC time')),
      author: b64(KEY_BYTES),
      change: CaseChangeSchema,
    },
    'expected a case event object',
  ),
  v.forward(
    v.check((event) => isSensibleTagChange(event.change), 'changes no tag, or adds and removes one'),
    ['change'],
  ),
  v.forward(
    v.check((event) => isWholeGrant(event.change), 'not one sealed key per report'),
    ['change'],
  ),
)
export type CaseEventV1 = v.InferOutput<typeof CaseEventV1Schema>

/**
 * A signed case event: `event` is the exact JSON text of a CaseEventV1, and `signature` is
 * `sign("heard/case-event/v1", UTF-8 of event)` by the author's key (64 bytes, b64). The signature
 * covers the exact text, so readers never re-serialise it.
 */
export const SignedCaseEventSchema = v.strictObject(
  {
    event: v.pipe(
      v.string('expected a string'),
      v.minLength(2, 'too short'),
      v.maxLength(CASE_EVENT_LIMITS.eventChars, 'too long'),
    ),
    signature: b64(SIGNATURE_BYTES),
  },
  'expected a signed case event object',
)
export type SignedCaseEvent = v.InferOutput<typeof SignedCaseEventSchema>

/** The event's JSON text, members in schema order. Layout must not change (signatures cover it). */
function caseEventText(event: CaseEventV1): string {
  const { change } = event
  let ordered: CaseChange
  switch (change.type) {
    case 'status':
      ordered =
        change.status === 'closed'
          ? { type: change.type, status: change.status, outcome: change.outcome }
          : { type: change.type, status: change.status }
      break
    case 'note':
      ordered = { type: change.type, text: change.text }
      break
    case 'assign':
      ordered = { type: change.type, to: change.to }
      break
    case 'tag':
      ordered = {
        type: change.type,
        ...(change.add === undefined ? {} : { add: change.add }),
        ...(change.remove === undefined ? {} : { remove: change.remove }),
      }
      break
    case 'reply':
      ordered = { type: change.type, mailbox: change.mailbox, replyId: change.replyId }
      break
    case 'grant':
      ordered = { type: change.type, to: change.to, reports: change.reports, keys: change.keys }
      break
  }
  return JSON.stringify({ v: event.v, case: event.case, at: event.at, author: event.author, change: ordered })
}

/** The CaseEventV1 in an event text, or a ProtocolError (invalid_json, unsupported_version, invalid_body…). */
function parseCaseEventText(text: string): CaseEventV1 {
  if (!isWellFormed(text)) throw new ProtocolError('invalid_json')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ProtocolError('invalid_json')
  }
  if (typeof value === 'object' && value !== null && 'v' in value) {
    const version = (value as { v: unknown }).v
    if (typeof version === 'number' && version !== CASE_EVENT_VERSION) {
      throw new ProtocolError('unsupported_version')
    }
  }
  const result = v.safeParse(CaseEventV1Schema, value, { abortPipeEarly: true })
  if (!result.success) throw validationError(result.issues)
  return result.output
}

/**
 * Sign a case event with the author's key pair; `event.author` must be that pair's public key.
 * Throws ProtocolError if the event breaks the schema or names another author.
 */
export function signCaseEvent(event: CaseEventV1, signKeyPair: SignKeyPair): SignedCaseEvent {
  const result = v.safeParse(CaseEventV1Schema, event, { abortPipeEarly: true })
  if (!result.success) throw validationError(result.issues)
  if (result.output.author !== toBase64url(signKeyPair.publicKey)) {
    throw new ProtocolError('invalid_body', [{ path: 'author', rule: 'not the signing key' }])
  }
  const text = caseEventText(result.output)
  const signature = signDetached(CASE_EVENT_SIGNING_DOMAIN, utf8(text), signKeyPair.secretKey)
  return { event: text, signature: toBase64url(signature) }
}

/** The bytes sealed into a `case-event` envelope: UTF-8 JSON `{"event": …, "signature": …}`. */
export function encodeSignedCaseEvent(signed: SignedCaseEvent): Uint8Array {
  const result = v.safeParse(SignedCaseEventSchema, signed, { abortPipeEarly: true })
  if (!result.success) throw validationError(result.issues)
  return utf8(JSON.stringify({ event: result.output.event, signature: result.output.signature }))
}

/**
 * An opened `case-event` envelope's bytes → the signed event, checked for shape only (the wrapper
 * and the event inside it); whether to trust it is verifyCaseEvent's question. Anything malformed
 * is a ProtocolError: invalid_json, unsupported_version, invalid_encoding or invalid_body.
 */
export function decodeSignedCaseEvent(bytes: Uint8Array): SignedCaseEvent {
  let value: unknown
  try {
    value = JSON.parse(fromUtf8(bytes))
  } catch {
    throw new ProtocolError('invalid_json')
  }
  const result = v.safeParse(SignedCaseEventSchema, value, { abortPipeEarly: true })
  if (!result.success) throw validationError(result.issues)
  parseCaseEventText(result.output.event)
  return result.output
}

export type CaseEventVerdict =
  | { readonly ok: true; readonly event: CaseEventV1 }
  | { readonly ok: false; readonly reason: 'bad_signature' | 'not_a_broker' | 'malformed' }

/**
 * Decide whether to believe a signed case event: it must be well formed (else `malformed`), its
 * author a broker of `manifest` (else `not_a_broker`), and the signature theirs over the exact text
 * (else `bad_signature`). Pass the manifest that was in force when the event was made. Never
 * throws. The caller must still check that `event.case` is the case the relay listed it under.
 */
export function verifyCaseEvent(signed: SignedCaseEvent, manifest: Manifest): CaseEventVerdict {
  try {
    const outer = v.safeParse(SignedCaseEventSchema, signed, { abortPipeEarly: true })
    if (!outer.success) return { ok: false, reason: 'malformed' }
    const event = parseCaseEventText(outer.output.event)
    if (!manifest.brokers.some((b) => b.signKey === event.author))
      return { ok: false, reason: 'not_a_broker' }
    const verified = verifyDetached(
      CASE_EVENT_SIGNING_DOMAIN,
      utf8(outer.output.event),
      decodeField(outer.output.signature),
      signPublicKey(decodeField(event.author)),
    )
    return verified ? { ok: true, event } : { ok: false, reason: 'bad_signature' }
  } catch {
    return { ok: false, reason: 'malformed' }
  }
}

/* The relay's side: routes and answers (docs/protocol.md, "Case events"). */

/** True for a canonical case id: a report's envelope id, unpadded base64url of 16 bytes (22 chars). */
export const isCaseId = (text: string): boolean =>
  text.length === base64urlLength(ENVELOPE_ID_BYTES) && isCanonicalBase64url(text)

/** What the relay promises about a stored case event. `receivedAt` is coarsened to the hour. */
export const CaseEventReceiptSchema = v.object({
  community: v.string(),
  /** The case (report id) the event was posted to. */
  case: v.string(),
  id: v.string(),
  /** base64url SHA-256 of the canonical envelope text. */
  hash: v.string(),
  /** Position in the relay's case-event sequence: increasing, not contiguous within one community. */
  seq: v.number(),
  receivedAt: v.string(),
})
export type CaseEventReceipt = v.InferOutput<typeof CaseEventReceiptSchema>

/** The answer to a case-event POST: 201 when stored now, 200 with the original receipt on a retry. */
export const CaseEventReceiptResponseSchema = v.object({ receipt: CaseEventReceiptSchema })

export const CaseEventsPageSchema = v.object({
  events: v.array(
    v.object({ seq: v.number(), case: v.string(), receivedAt: v.string(), envelope: v.unknown() }),
  ),
  /** Pass as `after` to fetch the next page; equal to the request's cursor when nothing is new. */
  next: v.string(),
})
export type CaseEventsPage = v.InferOutput<typeof CaseEventsPageSchema>
