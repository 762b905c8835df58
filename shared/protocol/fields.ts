import * as v from 'valibot'
import { base64urlLength, isCanonicalBase64url } from '../crypto'

/**
 * Field schemas shared by every message. All messages here replace valibot's default text (which
 * quotes the received value) so nothing a client sent is ever echoed back or logged.
 */

export const NOT_BASE64URL = 'not canonical base64url'

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

export const COMMUNITY_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/
export const communityId = v.pipe(v.string('expected a string'), v.regex(COMMUNITY_ID, 'not a community id'))
export const isCommunityId = (value: string): boolean => COMMUNITY_ID.test(value)

export const displayText = (max: number) =>
  v.pipe(v.string('expected a string'), v.minLength(1, 'empty'), v.maxLength(max, 'too long'))

/** Flatten valibot issues into path + rule, dropping the values they carry. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): { path: string; rule: string }[] {
  return issues.slice(0, 10).map((issue) => {
    const keys = (issue.path ?? []).map((p) => String(p.key))
    // An unknown-key issue's last path segment is the client's own key: never echo it.
    if (issue.type === 'strict_object')
      return { path: keys.slice(0, -1).join('.') || '(root)', rule: 'unknown field' }
    return { path: keys.join('.') || '(root)', rule: issue.message }
  })
}
