import type { Context } from 'hono'
import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import {
  CaseEventReceiptResponseSchema,
  CaseEventsPageSchema,
  EnvelopeKind,
  EnvelopeV1Schema,
  isCaseId,
  MAX_PAGE_SIZE,
  ProtocolError,
} from '../../shared/protocol'
import { type BrokerVariables, requireBroker } from '../auth/broker-session'
import { readJsonBody } from '../http/json-body'
import { communityParam } from './community-param'
import { coarseTime, nowSeconds, type RelayDeps } from './context'
import { errorResponses } from './openapi-docs'
import { envelopePage, parseCursor, parseLimit } from './paging'
import { answerWrite, checkEnvelope } from './sealed-envelope'

function caseParam(c: Context): string {
  const caseId = c.req.param('case') ?? ''
  if (!isCaseId(caseId)) throw new ProtocolError('invalid_case')
  return caseId
}

const SESSION_ERRORS = ['unauthorized', 'session_expired', 'not_a_broker'] as const

/**
 * Case events: `case-event` envelopes that brokers append to a case (a report of the community),
 * sealed in the broker's browser to the current brokers and signed inside by their author
 * (shared/protocol/case-event.schema.ts). The relay checks the envelope and who posts it, and
 * stores ciphertext, append-only; it cannot tell what an event says.
 */
export function caseEventRoutes(deps: RelayDeps) {
  return new Hono<{ Variables: BrokerVariables }>().post(
    '/',
    describeRoute({
      summary:
        'Append a sealed case event to a case (a report of this community). Brokers only (bearer session). ' +
        'Idempotent by envelope id.',
      requestBody: { content: { 'application/json': { schema: resolver(EnvelopeV1Schema) } } },
      responses: {
        200: {
          description: 'Already stored: the original receipt',
          content: { 'application/json': { schema: resolver(CaseEventReceiptResponseSchema) } },
        },
        201: {
          description: 'Stored and committed',
          content: { 'application/json': { schema: resolver(CaseEventReceiptResponseSchema) } },
        },
        ...errorResponses(
          'invalid_community',
          'invalid_case',
          ...SESSION_ERRORS,
          'invalid_json',
          'invalid_body',
          'unsupported_version',
          'invalid_encoding',
          'too_many_recipients',
          'duplicate_recipient',
          'wrong_kind',
          'community_mismatch',
          'id_mismatch',
          'unpadded_ciphertext',
          'unknown_community',
          'unknown_case',
          'no_current_recipient',
          'id_conflict',
          'body_too_large',
          'unsupported_media_type',
          'unavailable',
        ),
      },
    }),
    async (c, next) => {
      // The URL is checked before the session, so a malformed case id never costs a lookup.
      communityParam(c)
      caseParam(c)
      await next()
    },
    requireBroker(deps.store, deps.manifests, () => nowSeconds(deps)),
    async (c) => {
      const community = communityParam(c)
      const caseId = caseParam(c)
      const checked = await checkEnvelope(
        await readJsonBody(c, deps.maxReportBytes),
        community,
        EnvelopeKind.caseEvent,
      )
      const current = await deps.manifests.current(community)
      if (!current) throw new ProtocolError('unknown_community')
      const outcome = await deps.store.insertCaseEvent({
        community,
        caseId,
        id: checked.envelope.id,
        hash: checked.hash,
        head: checked.head,
        ct: checked.ct,
        receivedAt: coarseTime(deps.now()),
        sealedToCurrentTeam: current.brokerKeyIds.some((kid) => checked.recipientKeyIds.has(kid)),
      })
      return answerWrite(c, outcome)
    },
  )
}

/** Every case event of a community, in sequence order: what a broker's device syncs. */
export function communityEventRoutes(deps: RelayDeps) {
  return new Hono<{ Variables: BrokerVariables }>().get(
    '/',
    describeRoute({
      summary:
        'Sealed case events of every case after a cursor, oldest first. Brokers only (bearer session).',
      parameters: [
        { name: 'after', in: 'query', schema: { type: 'string', pattern: '^[0-9]+$' } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE } },
      ],
      responses: {
        200: {
          description: 'A page of case events',
          content: { 'application/json': { schema: resolver(CaseEventsPageSchema) } },
        },
        ...errorResponses('invalid_community', ...SESSION_ERRORS, 'invalid_cursor', 'invalid_limit'),
      },
    }),
    async (c, next) => {
      communityParam(c)
      await next()
    },
    requireBroker(deps.store, deps.manifests, () => nowSeconds(deps)),
    async (c) => {
      const community = communityParam(c)
      const after = parseCursor(c.req.query('after'))
      const limit = parseLimit(c.req.query('limit'))
      const rows = await deps.store.listCaseEvents(community, after, limit)
      const page = envelopePage(
        'events',
        rows,
        after,
        (r) =>
          `{"seq":${r.seq},"case":${JSON.stringify(r.caseId)},"receivedAt":${JSON.stringify(r.receivedAt)},"envelope":`,
      )
      c.header('Content-Type', 'application/json; charset=UTF-8')
      return c.body(page, 200)
    },
  )
}
