import {
  bytesEqual,
  concatBytes,
  fromBase64url,
  hmacSha256,
  lengthPrefixed,
  randomBytes,
  readU32be,
  toBase64url,
  u32be,
} from '../../shared/crypto'
import { ProtocolError } from '../../shared/protocol'

/**
 * Login challenges that need no table: version(1) || expiry(u32 seconds) || random(16) || mac(16),
 * the mac an HMAC under a secret every relay process shares, bound to the community. Replays are
 * stopped where the challenge is spent: a session row per challenge, unique.
 */
export const CHALLENGE_TTL_SECONDS = 120
const VERSION = 1
const MAC_BYTES = 16
const BODY_BYTES = 1 + 4 + 16

const macOf = (secret: Uint8Array, community: string, body: Uint8Array) =>
  hmacSha256(
    secret,
    concatBytes(lengthPrefixed('heard/challenge/v1'), lengthPrefixed(community), body),
  ).subarray(0, MAC_BYTES)

export function issueChallenge(
  secret: Uint8Array,
  community: string,
  nowSeconds: number,
): { challenge: string; expiresAt: number } {
  const expiresAt = nowSeconds + CHALLENGE_TTL_SECONDS
  const body = concatBytes(new Uint8Array([VERSION]), u32be(expiresAt), randomBytes(16))
  return { challenge: toBase64url(concatBytes(body, macOf(secret, community, body))), expiresAt }
}

/** Returns the challenge bytes the broker signed, or throws invalid_challenge / challenge_expired. */
export function checkChallenge(
  secret: Uint8Array,
  community: string,
  challenge: string,
  nowSeconds: number,
): Uint8Array {
  const bytes = fromBase64url(challenge)
  if (!bytes || bytes.length !== BODY_BYTES + MAC_BYTES || bytes[0] !== VERSION)
    throw new ProtocolError('invalid_challenge')
  const body = bytes.subarray(0, BODY_BYTES)
  if (!bytesEqual(bytes.subarray(BODY_BYTES), macOf(secret, community, body)))
    throw new ProtocolError('invalid_challenge')
  if (readU32be(body, 1) < nowSeconds) throw new ProtocolError('challenge_expired')
  return bytes
}
