import type { MiddlewareHandler } from 'hono'
import { sha256, toBase64url, utf8 } from '../../shared/crypto'
import { ProtocolError } from '../../shared/protocol'
import type { ManifestCache } from '../communities/manifest-cache'
import type { Store } from '../db/store'

export const SESSION_TTL_SECONDS = 15 * 60

export const tokenHashOf = (token: string): string => toBase64url(sha256(utf8(token)))

export type BrokerVariables = { broker: { signKey: string } }

/**
 * The broker behind an `Authorization: Bearer` header: a live session for this community of a key
 * that is a broker in the current manifest — a broker removed from the manifest loses access at once.
 * Throws unauthorized (no well-formed bearer header), session_expired, or not_a_broker.
 */
export async function brokerOfSession(
  store: Store,
  manifests: ManifestCache,
  authorization: string | undefined,
  community: string | undefined,
  nowSeconds: number,
): Promise<BrokerVariables['broker']> {
  const match = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(authorization ?? '')
  if (!match?.[1]) throw new ProtocolError('unauthorized')
  const session = await store.findSession(tokenHashOf(match[1]))
  if (!session || session.expiresAt < nowSeconds || session.community !== community) {
    throw new ProtocolError('session_expired')
  }
  const current = await manifests.current(session.community)
  if (!current?.manifest.brokers.some((b) => b.signKey === session.signKey))
    throw new ProtocolError('not_a_broker')
  return { signKey: session.signKey }
}

/** Admit a request only with a broker session (brokerOfSession) for the URL's community. */
export function requireBroker(
  store: Store,
  manifests: ManifestCache,
  nowSeconds: () => number,
): MiddlewareHandler<{ Variables: BrokerVariables }> {
  return async (c, next) => {
    c.set(
      'broker',
      await brokerOfSession(
        store,
        manifests,
        c.req.header('authorization'),
        c.req.param('community'),
        nowSeconds(),
      ),
    )
    await next()
  }
}
