import * as v from 'valibot'
import {
  fromUtf8,
  KEY_BYTES,
  SIGNATURE_BYTES,
  type SignKeyPair,
  signDetached,
  signPublicKey,
  toBase64url,
  utf8,
  verifyDetached,
} from '../crypto'
import { API_PREFIX } from './api.schema'
import { ProtocolError } from './errors'
import { b64, b64Bounded, communityId, decodeField, isIsoUtc, validationError } from './fields'
import type { Manifest } from './manifest'
import { isTypedText } from './text'

/**
 * Canned responses (docs/protocol.md, "Canned responses"): the community's reply templates —
 * acknowledgement, referral, "we cannot act, and here is why", closing — kept per language, so one
 * broker can answer a complainant in their language without speaking it. The whole set is one
 * document, signed by the broker who last edited it (Ed25519, like the manifest: the signature
 * covers the exact payload bytes) and numbered: each new version is the current `seq` + 1, so two
 * brokers editing at once cannot silently overwrite each other. The relay checks and stores it
 * (it is not secret: templates, not case data) and keeps every version.
 */

export const CANNED_RESPONSES_SIGNING_DOMAIN = 'heard/canned-responses/v1' // must not change
export const CANNED_RESPONSES_VERSION = 1

/** What a canned response is for. Wire constants: never renamed or reused. */
export const CANNED_KINDS = ['acknowledgement', 'referral', 'cannot_act', 'closing'] as const
export type CannedKind = (typeof CANNED_KINDS)[number]

export const CANNED_RESPONSES_LIMITS = {
  /** One response's text, in chars (UTF-16 code units). */
  textChars: 4_000,
  /** A language tag, in chars. */
  languageChars: 35,
  /** Responses in one document (every kind in every language). */
  responses: 200,
  /** The payload: the document's UTF-8 JSON bytes (its base64url is 4/3 as long). */
  payloadBytes: 256 * 1024,
} as const

/**
 * A BCP 47-ish language tag: a 2–3 letter lower-case primary language, then subtags of 2–8 letters
 * or digits (`en`, `pt-BR`, `zh-Hans`, `als`, `sr-Latn-RS`). Not checked against the registry.
 */
export const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/

/** True for a language tag the document accepts (LANGUAGE_TAG, at most 35 chars). */
export const isLanguageTag = (text: string): boolean =>
  text.length <= CANNED_RESPONSES_LIMITS.languageChars && LANGUAGE_TAG.test(text)

/** Tags compare case-insensitively (BCP 47): `pt-BR` and `pt-br` are one language. */
const sameLanguage = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

export const CannedResponseSchema = v.strictObject(
  {
    kind: v.picklist(CANNED_KINDS, 'unknown kind'),
    language: v.pipe(
      v.string('expected a string'),
      v.maxLength(CANNED_RESPONSES_LIMITS.languageChars, 'too long'),
      v.regex(LANGUAGE_TAG, 'not a language tag'),
    ),
    /** 1–4,000 chars of typed text: no control characters but tab, line feed, carriage return. */
    text: v.pipe(
      v.string('expected a string'),
      v.minLength(1, 'empty'),
      v.maxLength(CANNED_RESPONSES_LIMITS.textChars, 'too long'),
      v.check(isTypedText, 'control character or lone surrogate'),
    ),
  },
  'expected a canned response object',
)
export type CannedResponse = v.InferOutput<typeof CannedResponseSchema>

/** No two responses share a kind and a language. */
function hasNoRepeat(responses: readonly CannedResponse[]): boolean {
  const seen = new Set<string>()
  for (const r of responses) {
    const key = `${r.kind} ${r.language.toLowerCase()}`
    if (seen.has(key)) return false
    seen.add(key)
  }
  return true
}

/**
 * The canned responses document, v1. `seq` numbers the community's versions (1, 2, 3…, no gaps);
 * `issuedAt` is when the author saved it (their device's clock, ISO 8601 UTC, informational);
 * `author` is their Ed25519 sign key as listed in the manifest.
 */
export const CannedResponsesV1Schema = v.strictObject(
  {
    v: v.literal(CANNED_RESPONSES_VERSION, 'expected 1'),
    community: communityId,
    seq: v.pipe(
      v.number('expected a number'),
      v.safeInteger('expected an integer'),
      v.minValue(1, 'must be ≥ 1'),
    ),
    issuedAt: v.pipe(v.string('expected a string'), v.check(isIsoUtc, 'not an ISO 8601 UTC time')),
    author: b64(KEY_BYTES),
    responses: v.pipe(
      v.array(CannedResponseSchema, 'expected an array'),
      v.maxLength(CANNED_RESPONSES_LIMITS.responses, 'too many'),
      v.check((responses) => hasNoRepeat(responses), 'a kind and language listed twice'),
    ),
  },
  'expected a canned responses object',
)
export type CannedResponsesV1 = v.InferOutput<typeof CannedResponsesV1Schema>

/**
 * The signed form, as the relay takes and serves it: `payload` is base64url of the document's UTF-8
 * JSON bytes (at most 256 KiB), `signature` is `sign("heard/canned-responses/v1", payload bytes)`
 * by `author` (64 bytes, b64).
 */
export const SignedCannedResponsesSchema = v.strictObject({
  payload: b64Bounded(CANNED_RESPONSES_LIMITS.payloadBytes),
  signature: b64(SIGNATURE_BYTES),
})
export type SignedCannedResponses = v.InferOutput<typeof SignedCannedResponsesSchema>

/** The document's JSON text, members in schema order (signCannedResponses writes this). */
function cannedResponsesText(doc: CannedResponsesV1): string {
  return JSON.stringify({
    v: doc.v,
    community: doc.community,
    seq: doc.seq,
    issuedAt: doc.issuedAt,
    author: doc.author,
    responses: doc.responses.map((r) => ({ kind: r.kind, language: r.language, text: r.text })),
  })
}

/**
 * Sign a canned responses document with the author's key pair; `doc.author` must be that pair's
 * public key. Throws ProtocolError (invalid_body, invalid_encoding) if the document breaks the
 * schema, names another author, or its payload would pass 256 KiB.
 */
export function signCannedResponses(doc: CannedResponsesV1, signKeyPair: SignKeyPair): SignedCannedResponses {
  const result = v.safeParse(CannedResponsesV1Schema, doc, { abortPipeEarly: true })
  if (!result.success) throw validationError(result.issues)
  if (result.output.author !== toBase64url(signKeyPair.publicKey)) {
    throw new ProtocolError('invalid_body', [{ path: 'author', rule: 'not the signing key' }])
  }
  const payload = utf8(cannedResponsesText(result.output))
  if (payload.length > CANNED_RESPONSES_LIMITS.payloadBytes) {
    throw new ProtocolError('invalid_body', [{ path: 'responses', rule: 'too large' }])
  }
  return {
    payload: toBase64url(payload),
    signature: toBase64url(signDetached(CANNED_RESPONSES_SIGNING_DOMAIN, payload, signKeyPair.secretKey)),
  }
}

/**
 * Check a signed document's shape and read its payload, without deciding whether to trust it.
 * Throws ProtocolError: invalid_body (the wrapper, or the document against the schema),
 * invalid_encoding (a base64url field not canonical), invalid_json (the payload is not strict
 * UTF-8 JSON), unsupported_version (a number `v` other than 1).
 */
export function readSignedCannedResponses(input: unknown): {
  signed: SignedCannedResponses
  doc: CannedResponsesV1
} {
  const outer = v.safeParse(SignedCannedResponsesSchema, input, { abortPipeEarly: true })
  if (!outer.success) throw validationError(outer.issues)
  const bytes = decodeField(outer.output.payload)
  let json: unknown
  try {
    json = JSON.parse(fromUtf8(bytes))
  } catch {
    throw new ProtocolError('invalid_json')
  }
  if (typeof json === 'object' && json !== null && 'v' in json) {
    const version = (json as { v: unknown }).v
    if (typeof version === 'number' && version !== CANNED_RESPONSES_VERSION) {
      throw new ProtocolError('unsupported_version')
    }
  }
  const inner = v.safeParse(CannedResponsesV1Schema, json, { abortPipeEarly: true })
  if (!inner.success) throw validationError(inner.issues)
  return { signed: outer.output, doc: inner.output }
}

/** Everything but the sequence number: the community, the author's place in `manifest`, the signature. */
function checkSigned(
  input: unknown,
  manifest: Manifest,
  community: string,
): { signed: SignedCannedResponses; doc: CannedResponsesV1 } {
  const read = readSignedCannedResponses(input)
  const { signed, doc } = read
  if (doc.community !== community || manifest.community !== community) {
    throw new ProtocolError('community_mismatch')
  }
  if (!manifest.brokers.some((b) => b.signKey === doc.author)) throw new ProtocolError('not_a_broker')
  const verified = verifyDetached(
    CANNED_RESPONSES_SIGNING_DOMAIN,
    decodeField(signed.payload),
    decodeField(signed.signature),
    signPublicKey(decodeField(doc.author)),
  )
  if (!verified) throw new ProtocolError('bad_signature')
  return read
}

/**
 * Decide whether `input` may become the community's next canned responses: what the relay does on
 * PUT, and what a broker's device may do before sending. In order: the shape
 * (readSignedCannedResponses), `community_mismatch` (the document or the manifest names another
 * community than `community`), `not_a_broker` (the author is not a broker of `manifest`, the one
 * in force), `bad_signature`, `canned_responses_changed` (`seq` is not `currentSeq` + 1, or 1 when
 * `currentSeq` is null: there is none yet). Returns the document.
 */
export function verifyCannedResponses(
  input: unknown,
  options: { manifest: Manifest; community: string; currentSeq: number | null },
): CannedResponsesV1 {
  const { doc } = checkSigned(input, options.manifest, options.community)
  if (doc.seq !== (options.currentSeq ?? 0) + 1) throw new ProtocolError('canned_responses_changed')
  return doc
}

/**
 * Decide whether to believe the current canned responses as the relay serves them (`current` of
 * GET …/canned-responses): the same checks as verifyCannedResponses but the sequence rule, against
 * the manifest in force, plus that the relay's `seq` is the signed one (`invalid_body`). A document
 * whose author has since left the team is `not_a_broker`: a current broker must sign it again.
 */
export function verifyCurrentCannedResponses(
  current: StoredCannedResponses,
  options: { manifest: Manifest; community: string },
): CannedResponsesV1 {
  const { doc } = checkSigned(
    { payload: current.payload, signature: current.signature },
    options.manifest,
    options.community,
  )
  if (doc.seq !== current.seq)
    throw new ProtocolError('invalid_body', [{ path: 'seq', rule: 'not the signed seq' }])
  return doc
}

/**
 * The response of a kind for a language: the exact tag first (case-insensitive), else one for the
 * same primary language (`pt-BR` asked, `pt` found; `pt` asked, `pt-PT` found), else undefined.
 */
export function findCannedResponse(
  responses: readonly CannedResponse[],
  kind: CannedKind,
  language: string,
): CannedResponse | undefined {
  const ofKind = responses.filter((r) => r.kind === kind)
  const exact = ofKind.find((r) => sameLanguage(r.language, language))
  if (exact) return exact
  const primary = (tag: string) => tag.split('-')[0]?.toLowerCase()
  return ofKind.find((r) => primary(r.language) === primary(language))
}

/* The relay's side: routes and answers (docs/protocol.md, "Canned responses"). */

/** The route for a community's canned responses (GET the current ones, PUT the next). */
export const cannedResponsesPath = (community: string): string =>
  `${API_PREFIX}/communities/${community}/canned-responses`

/** The relay's row: the signed document as sent, and its `seq`. */
export const StoredCannedResponsesSchema = v.object({
  seq: v.number(),
  payload: v.string(),
  signature: v.string(),
})
export type StoredCannedResponses = v.InferOutput<typeof StoredCannedResponsesSchema>

/** GET …/canned-responses: the current document, or null when the community has none yet. */
export const CurrentCannedResponsesSchema = v.object({ current: v.nullable(StoredCannedResponsesSchema) })
export type CurrentCannedResponses = v.InferOutput<typeof CurrentCannedResponsesSchema>

/** PUT …/canned-responses: stored (201). */
export const CannedResponsesPublishedSchema = v.object({ community: v.string(), seq: v.number() })
export type CannedResponsesPublished = v.InferOutput<typeof CannedResponsesPublishedSchema>
