import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import * as v from 'valibot'
import { randomBytes, signPublicKey, toBase64url, verifyDetached } from '../../shared/crypto'
import {
  ChallengeResponseSchema,
  decodeField,
  ProtocolError,
  SESSION_SIGNING_DOMAIN,
  SessionRequestSchema,
  SessionResponseSchema,
  sessionSigningMessage,
  validationError,
} from '../../shared/protocol'
import { SESSION_TTL_SECONDS, tokenHashOf } from '../auth/broker-session'
import { checkChallenge, issueChallenge } from '../auth/challenges'
import { readJsonBody } from '../http/json-body'
import { communityParam } from './community-param'
import { nowSeconds, type RelayDeps } from './context'
import { errorResponses } from './openapi-docs'

/**
 * Broker login without passwords: the relay issues a challenge, the broker signs it with the Ed25519
 * key listed in the current manifest, and gets a short-lived bearer session.
 */
export function authRoutes(deps: RelayDeps) {
  return new Hono()
    .post(
      '/challenge',
      describeRoute({
        summary: 'A fresh login challenge for this community (valid two minutes)',
        responses: {
          201: {
            description: 'Challenge',
            content: { 'application/json': { schema: resolver(ChallengeResponseSchema) } },
          },
          ...errorResponses('invalid_community', 'unknown_community'),
        },
      }),
      async (c) => {
        const community = communityParam(c)
        if (!(await deps.manifests.current(community))) throw new ProtocolError('unknown_community')
        const { challenge, expiresAt } = issueChallenge(deps.relaySecret, community, nowSeconds(deps))
        return c.json({ challenge, expiresAt: new Date(expiresAt * 1000).toISOString() }, 201)
      },
    )
    .post(
      '/session',
      describeRoute({
        summary: 'Exchange a signed challenge for a bearer session (15 minutes)',
        requestBody: { content: { 'application/json': { schema: resolver(SessionRequestSchema) } } },
        responses: {
          201: {
            description: 'Session',
            content: { 'application/json': { schema: resolver(SessionResponseSchema) } },
          },
          ...errorResponses(
            'invalid_json',
            'invalid_body',
            'invalid_challenge',
            'challenge_expired',
            'challenge_used',
            'bad_signature',
            'not_a_broker',
            'unknown_community',
          ),
        },
      }),
      async (c) => {
        const community = communityParam(c)
        const parsed = v.safeParse(SessionRequestSchema, await readJsonBody(c, 4096), {
          abortPipeEarly: true,
        })
        if (!parsed.success) throw validationError(parsed.issues)
        const { signKey, challenge, signature } = parsed.output
        const now = nowSeconds(deps)
        const challengeBytes = checkChallenge(deps.relaySecret, community, challenge, now)
        const current = await deps.manifests.current(community)
        if (!current) throw new ProtocolError('unknown_community')
        if (!current.manifest.brokers.some((b) => b.signKey === signKey))
          throw new ProtocolError('not_a_broker')
        const signed = verifyDetached(
          SESSION_SIGNING_DOMAIN,
          sessionSigningMessage(community, challengeBytes),
          decodeField(signature),
          signPublicKey(decodeField(signKey)),
        )
        if (!signed) throw new ProtocolError('bad_signature')
        const token = toBase64url(randomBytes(32))
        const expiresAt = now + SESSION_TTL_SECONDS
        const created = await deps.store.createSession(
          {
            tokenHash: tokenHashOf(token),
            community,
            signKey,
            challenge,
            expiresAt,
          },
          now,
        )
        if (created === 'challenge_used') throw new ProtocolError('challenge_used')
        return c.json({ token, expiresAt: new Date(expiresAt * 1000).toISOString() }, 201)
      },
    )
}
