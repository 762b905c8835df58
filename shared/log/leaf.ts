import { concatBytes, fromBase64url, lengthPrefixed } from '../crypto'
import { leafHash } from './merkle'

/**
 * What one leaf of a community's log stands for: one stored envelope, named by its kind and its
 * envelope hash (SHA-256 of the canonical text, docs/protocol.md 3.8), or one stored attachment
 * chunk, named by the SHA-256 of its chunk envelope bytes (7.12). The kind is inside the leaf so a
 * report and a case event can never stand in for each other. Layout (must not change):
 * leafHash(u32 length ‖ UTF-8 kind ‖ 32-byte hash).
 */

export const LOG_KINDS = ['report', 'case-event', 'reply', 'attachment-chunk'] as const
export type LogKind = (typeof LOG_KINDS)[number]

export function logLeafHash(kind: LogKind, envelopeHash: string): Uint8Array {
  const hash = fromBase64url(envelopeHash)
  if (hash?.length !== 32) throw new RangeError('An envelope hash is 32 bytes of base64url')
  return leafHash(concatBytes(lengthPrefixed(kind), hash))
}
