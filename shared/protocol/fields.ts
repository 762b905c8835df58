import * as v from 'valibot'
import { base64urlLength, fromBase64url, isCanonicalBase64url } from '../crypto'
import { COMMUNITY_ID } from './community-id'
import { type ErrorCode, ProtocolError } from './errors'

/**
 * Field schemas shared by every message. All messages here replace valibot's default text (which
 * quotes the received value) so nothing a client sent is ever echoed back or logged.
 */

export const NOT_BASE64URL = 'not canonical base64url'

/** The bytes of a base64url field; refuses (invalid_encoding) anything not canonical. */
export function decodeField(text: string): Uint8Array {
  const bytes = fromBase64url(text)
  if (!bytes) throw new ProtocolError('invalid_encoding')
  return bytes
}

/** Canonical unpadded base64url of exactly `bytes` bytes. */
export const b64 = (bytes: number) =>
  v.pipe(
    v.string('expected a string'),
    v.length(base64urlLength(bytes), 'wrong length'),
    v.check(isCanonicalBase64url, NOT_BASE64URL),
  )

/** Canonical unpadded base64url of 1..maxBytes bytes. */
export const b64Bounded = (maxBytes: number) =>
  v.pipe(
    v.string('expected a string'),
    v.minLength(2, 'too short'),
    v.maxLength(base64urlLength(maxBytes), 'too long'),
    v.check(isCanonicalBase64url, NOT_BASE64URL),
  )

/** ISO 8601 UTC as `Date.prototype.toISOString` writes it (milliseconds optional). */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/
export const isIsoUtc = (text: string): boolean => ISO_UTC.test(text) && Number.isFinite(Date.parse(text))

export const communityId = v.pipe(v.string('expected a string'), v.regex(COMMUNITY_ID, 'not a community id'))

export const displayText = (max: number) =>
  v.pipe(v.string('expected a string'), v.minLength(1, 'empty'), v.maxLength(max, 'too long'))

/** Schema rules that have an error code of their own; anything else is `invalid_body`. */
const RULE_CODES: Readonly<Record<string, ErrorCode>> = {
  [NOT_BASE64URL]: 'invalid_encoding',
  'too many recipients': 'too_many_recipients',
  'not a padded length': 'unpadded_ciphertext',
}

/** A ProtocolError for failed validation: the most specific code, and where the body failed. */
export function validationError(
  issues: readonly v.BaseIssue<unknown>[],
  fallback: ErrorCode = 'invalid_body',
) {
  const specific = issues.map((i) => RULE_CODES[i.message]).find((code) => code !== undefined)
  return new ProtocolError(specific ?? fallback, describeIssues(issues))
}

/** Field names as schemas spell them (`community`, `service_areas`); a client's key may be anything. */
const SCHEMA_KEY = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/

/** Flatten valibot issues into path + rule, dropping the values they carry. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): { path: string; rule: string }[] {
  return issues.slice(0, 10).map((issue) => {
    // A record's keys (directory entries) are the client's own text: only schema field names and
    // list positions are echoed, anything else is `(key)`.
    const keys = (issue.path ?? []).map((p) =>
      typeof p.key === 'number' || (typeof p.key === 'string' && SCHEMA_KEY.test(p.key))
        ? String(p.key)
        : '(key)',
    )
    // An unknown-key issue's last path segment is the client's own key: never echo it.
    if (issue.type === 'strict_object')
      return { path: keys.slice(0, -1).join('.') || '(root)', rule: 'unknown field' }
    return { path: keys.join('.') || '(root)', rule: issue.message }
  })
}
