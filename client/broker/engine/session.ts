import { fromBase64url, signDetached, toBase64url } from '../../../shared/crypto'
import { SESSION_SIGNING_DOMAIN, sessionSigningMessage } from '../../../shared/protocol'
import { communityUrl, relayJson } from './relay'
import { requireOpen } from './vault'

/**
 * Browser only. A relay session for the unlocked broker: sign a fresh challenge with the broker's
 * key; the bearer token lives in memory only and is renewed shortly before it expires.
 */
let cached: { community: string; token: string; until: number } | null = null

export async function brokerToken(): Promise<string> {
  const { community, secrets } = requireOpen()
  if (cached && cached.community === community && Date.now() < cached.until) return cached.token
  const { challenge } = (await relayJson(communityUrl(community, '/auth/challenge'), { method: 'POST' })) as {
    challenge: string
  }
  const signature = signDetached(
    SESSION_SIGNING_DOMAIN,
    sessionSigningMessage(community, fromBase64url(challenge) ?? new Uint8Array()),
    secrets.sign.secretKey,
  )
  const session = (await relayJson(communityUrl(community, '/auth/session'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      signKey: toBase64url(secrets.sign.publicKey),
      challenge,
      signature: toBase64url(signature),
    }),
  })) as { token: string; expiresAt: string }
  cached = { community, token: session.token, until: Date.parse(session.expiresAt) - 30_000 }
  return session.token
}

export function forgetSession(): void {
  cached = null
}

export async function authorized(): Promise<HeadersInit> {
  return { authorization: `Bearer ${await brokerToken()}` }
}
