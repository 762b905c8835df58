import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import {
  CannedResponsesPublishedSchema,
  CurrentCannedResponsesSchema,
  ProtocolError,
  type SignedCannedResponses,
  SignedCannedResponsesSchema,
  verifyCannedResponses,
} from '../../shared/protocol'
import { type BrokerVariables, requireBroker } from '../auth/broker-session'
import { readJsonBody } from '../http/json-body'
import { communityParam } from './community-param'
import { nowSeconds, type RelayDeps } from './context'
import { errorResponses } from './openapi-docs'

/**
 * The largest body PUT takes: the base64url of the largest payload (256 KiB → 349,526 chars), the
 * signature and the JSON around them, with room to spare.
 */
export const MAX_CANNED_RESPONSES_BODY = 352 * 1024

const SESSION_ERRORS = ['unauthorized', 'session_expired', 'not_a_broker'] as const

/**
 * Canned responses: the community's reply templates, one signed document per version
 * (shared/protocol/canned-responses.schema.ts). Brokers read the current version and publish the
 * next; the relay checks the signer is a current broker and that the version follows the current
 * one, and keeps every version. Any current broker's session may publish any current broker's
 * signed document: the signature, not the session, says who wrote it, and a replayed document can
 * only ever land as the next version, which its author signed to be.
 */
export function cannedResponsesRoutes(deps: RelayDeps) {
  return new Hono<{ Variables: BrokerVariables }>()
    .get(
      '/',
      describeRoute({
        summary:
          "The community's current canned responses, signed by a broker. Brokers only (bearer session).",
        responses: {
          200: {
            description: 'The current version (`current: null` when there is none yet)',
            content: { 'application/json': { schema: resolver(CurrentCannedResponsesSchema) } },
          },
          ...errorResponses('invalid_community', ...SESSION_ERRORS),
        },
      }),
      async (c, next) => {
        communityParam(c)
        await next()
      },
      requireBroker(deps.store, deps.manifests, () => nowSeconds(deps)),
      async (c) => {
        const stored = await deps.store.currentCannedResponses(communityParam(c))
        const current = stored
          ? { seq: stored.seq, payload: stored.payload, signature: stored.signature }
          : null
        return c.json({ current }, 200)
      },
    )
    .put(
      '/',
      describeRoute({
        summary:
          'Publish the next version of the canned responses, signed by a current broker (seq = current + 1). ' +
          'Brokers only (bearer session).',
        description: 'See docs/protocol.md, "Canned responses", for the document and the order of checks.',
        requestBody: { content: { 'application/json': { schema: resolver(SignedCannedResponsesSchema) } } },
        responses: {
          201: {
            description: 'Stored: the new current version',
            content: { 'application/json': { schema: resolver(CannedResponsesPublishedSchema) } },
          },
          ...errorResponses(
            'invalid_community',
            ...SESSION_ERRORS,
            'unsupported_media_type',
            'body_too_large',
            'invalid_json',
            'invalid_body',
            'invalid_encoding',
            'unsupported_version',
            'community_mismatch',
            'bad_signature',
            'canned_responses_changed',
            'unknown_community',
            'unavailable',
          ),
        },
      }),
      async (c, next) => {
        communityParam(c)
        await next()
      },
      requireBroker(deps.store, deps.manifests, () => nowSeconds(deps)),
      async (c) => {
        const community = communityParam(c)
        const body = await readJsonBody(c, MAX_CANNED_RESPONSES_BODY)
        const current = await deps.manifests.current(community)
        if (!current) throw new ProtocolError('unknown_community')
        const stored = await deps.store.currentCannedResponses(community)
        const previousSeq = stored?.seq ?? null
        const doc = verifyCannedResponses(body, {
          manifest: current.manifest,
          community,
          currentSeq: previousSeq,
        })
        // Verified above: a strict { payload, signature } object, stored exactly as sent.
        const signed = body as SignedCannedResponses
        const outcome = await deps.store.appendCannedResponses(
          community,
          { seq: doc.seq, payload: signed.payload, signature: signed.signature },
          previousSeq,
          deps.now().toISOString(),
        )
        if (outcome === 'conflict') throw new ProtocolError('canned_responses_changed')
        if (outcome === 'unknown_community') throw new ProtocolError('unknown_community')
        return c.json({ community, seq: doc.seq }, 201)
      },
    )
}
