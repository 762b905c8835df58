import * as v from 'valibot'
import {
  base64urlLength,
  concatBytes,
  isCanonicalBase64url,
  KEY_BYTES,
  lengthPrefixed,
  SIGNATURE_BYTES,
} from '../crypto'
import { b64, b64Bounded } from './fields'

/** Bodies of the relay's JSON API other than envelopes and manifests. Shared by relay and client. */

export const API_PREFIX = '/api/v1'
export const SESSION_SIGNING_DOMAIN = 'heard/relay-session/v1' // must not change

export const ChallengeResponseSchema = v.object({ challenge: v.string(), expiresAt: v.string() })
export type ChallengeResponse = v.InferOutput<typeof ChallengeResponseSchema>

export const SessionRequestSchema = v.strictObject({
  signKey: b64(KEY_BYTES),
  challenge: b64Bounded(96),
  signature: b64(SIGNATURE_BYTES),
})
export type SessionRequest = v.InferOutput<typeof SessionRequestSchema>

export const SessionResponseSchema = v.object({ token: v.string(), expiresAt: v.string() })
export type SessionResponse = v.InferOutput<typeof SessionResponseSchema>

/**
 * A receipt's place in the community's transparency log (docs/protocol.md 7.10): the leaf index, a
 * signed tree head covering it, and the inclusion proof under that head (base64url, leaf to root).
 */
export const ReceiptLogSchema = v.object({
  index: v.number(),
  head: v.looseObject({}),
  proof: v.array(v.string()),
})

/** What the relay promises about a stored envelope. `receivedAt` is coarsened to the hour. */
export const ReceiptSchema = v.object({
  community: v.string(),
  id: v.string(),
  /** base64url SHA-256 of the canonical envelope text. */
  hash: v.string(),
  /** Position in the community's sequence; the cursor brokers sync from. */
  seq: v.number(),
  receivedAt: v.string(),
  /**
   * Where the report sits in the community's transparency log (docs/protocol.md 7.10): its leaf
   * index, a signed tree head covering it, and the inclusion proof under that head. Checked by
   * the app against the relay's log key; absent from relays older than the log.
   */
  log: v.optional(ReceiptLogSchema),
})
export type Receipt = v.InferOutput<typeof ReceiptSchema>

/** The answer to a report POST: 201 when stored now, 200 with the original receipt on a retry. */
export const ReceiptResponseSchema = v.object({ receipt: ReceiptSchema })

export const ReportsPageSchema = v.object({
  reports: v.array(v.object({ seq: v.number(), receivedAt: v.string(), envelope: v.unknown() })),
  /** Pass as `after` to fetch the next page; equal to the request's cursor when nothing is new. */
  next: v.string(),
})
export type ReportsPage = v.InferOutput<typeof ReportsPageSchema>

/** GET …/reports/{id}: one stored report's envelope, exactly as stored (canonical text). */
export const StoredReportSchema = v.object({ envelope: v.unknown() })

/** GET …/log/leaves: the log's entries from `from`, in order (brokers only). */
export const LogLeavesPageSchema = v.object({
  from: v.number(),
  leaves: v.array(v.object({ kind: v.string(), hash: v.string() })),
})

/** GET …/transparency: the public page's facts; `head` is checked by apps as any signed head. */
export const TransparencySchema = v.object({
  head: v.looseObject({}),
  reportsByMonth: v.array(v.object({ month: v.string(), reports: v.number() })),
})

/** GET /communities: the communities a relay serves, so `/` can open a single-community relay. */
export const CommunityListSchema = v.object({
  communities: v.array(v.object({ id: v.string(), name: v.string() })),
})
export type CommunityList = v.InferOutput<typeof CommunityListSchema>

export const HealthSchema = v.object({ status: v.literal('ok'), version: v.string() })

/** The bytes a broker signs (with SESSION_SIGNING_DOMAIN) to turn a relay challenge into a session. */
export const sessionSigningMessage = (community: string, challenge: Uint8Array): Uint8Array =>
  concatBytes(lengthPrefixed(community), challenge)

/**
 * One-time setup links (docs/protocol.md, "Setup links"). A relay with no community prints
 * `<origin>/setup#<token>`: the token sits in the fragment, so it never reaches a server log or a
 * Referer header. Creating a community sends it once as `Authorization: HeardSetup <token>`.
 */
export const SETUP_AUTH_SCHEME = 'HeardSetup' // must not change
/** The app's path for a setup link; the token follows `#`. */
export const SETUP_PATH = '/setup'
/** A setup token is this many random bytes, as canonical base64url (43 chars). */
export const SETUP_TOKEN_BYTES = 32

/** True for a well-formed setup token: canonical unpadded base64url of exactly SETUP_TOKEN_BYTES. */
export const isSetupToken = (text: string): boolean =>
  text.length === base64urlLength(SETUP_TOKEN_BYTES) && isCanonicalBase64url(text)

/** The `Authorization` header value that presents a setup token. */
export const setupAuthorization = (token: string): string => `${SETUP_AUTH_SCHEME} ${token}`

/** The token in a setup link (`…/setup#<token>`), or null when the link carries no well-formed one. */
export function setupTokenOfLink(link: string): string | null {
  const at = link.indexOf('#')
  const token = at < 0 ? '' : link.slice(at + 1)
  return isSetupToken(token) ? token : null
}
