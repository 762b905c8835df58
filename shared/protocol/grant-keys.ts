import {
  type BoxPublicKey,
  type BoxSecretKey,
  type ContentKey,
  concatBytes,
  contentKey,
  openFromKey,
  sealToKey,
  toBase64url,
} from '../crypto'
import { ProtocolError } from './errors'
import { decodeField } from './fields'

/**
 * The keys inside a `grant` case event (docs/protocol.md 7.7): the content keys of the granted
 * reports, 32 bytes each in the order the event lists the reports, concatenated and sealed to the
 * new broker's box key alone. The event around them is signed by the granting broker and sealed to
 * every broker, so all see that access was given, and only its recipient can use it.
 */

const KEY = 32
/** sealToKey's overhead: the ephemeral public key and the box's tag. */
const SEALED_OVERHEAD = 32 + 16

/** The length in bytes of the sealed keys for `count` reports. */
export const grantKeysLength = (count: number): number => SEALED_OVERHEAD + KEY * count

/** Seal the content keys (one per report, in the grant's order) to the broker being given access. */
export function sealGrantKeys(keys: readonly ContentKey[], to: BoxPublicKey): string {
  return toBase64url(sealToKey(concatBytes(...keys), to))
}

/**
 * The granted reports' content keys by report id, opened with the recipient's secret key. Throws a
 * CryptoError when the keys were not sealed to this key, a ProtocolError when they do not match the
 * list of reports.
 */
export function openGrantKeys(
  grant: { readonly reports: readonly string[]; readonly keys: string },
  secretKey: BoxSecretKey,
): Map<string, ContentKey> {
  const bytes = openFromKey(decodeField(grant.keys), secretKey)
  if (bytes.length !== KEY * grant.reports.length) throw new ProtocolError('invalid_body')
  return new Map(grant.reports.map((id, i) => [id, contentKey(bytes.slice(i * KEY, (i + 1) * KEY))]))
}
