import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import { toBase64url } from '../../shared/crypto'
import { logLeafHash } from '../../shared/log'
import {
  EnvelopeKind,
  EnvelopeV1Schema,
  isCaseId,
  MAX_PAGE_SIZE,
  ProtocolError,
  ReceiptResponseSchema,
  ReportsPageSchema,
  StoredReportSchema,
} from '../../shared/protocol'
import { type BrokerVariables, requireBroker } from '../auth/broker-session'
import { readJsonBody } from '../http/json-body'
import { communityParam } from './community-param'
import { coarseTime, nowSeconds, type RelayDeps } from './context'
import { errorResponses } from './openapi-docs'
import { envelopePage, parseCursor, parseLimit } from './paging'
import { answerWrite, checkEnvelope } from './sealed-envelope'

export function reportRoutes(deps: RelayDeps) {
  return new Hono<{ Variables: BrokerVariables }>()
    .post(
      '/',
      describeRoute({
        summary: 'Store a sealed report. Idempotent: the same envelope again returns the same receipt.',
        requestBody: { content: { 'application/json': { schema: resolver(EnvelopeV1Schema) } } },
        responses: {
          200: {
            description: 'Already stored: the original receipt',
            content: { 'application/json': { schema: resolver(ReceiptResponseSchema) } },
          },
          201: {
            description: 'Stored and committed',
            content: { 'application/json': { schema: resolver(ReceiptResponseSchema) } },
          },
          ...errorResponses(
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
            'invalid_community',
            'unknown_community',
            'no_current_recipient',
            'id_conflict',
            'body_too_large',
            'unsupported_media_type',
            'unavailable',
          ),
        },
      }),
      async (c) => {
        const community = communityParam(c)
        const checked = await checkEnvelope(
          await readJsonBody(c, deps.maxReportBytes),
          community,
          EnvelopeKind.report,
        )
        const current = await deps.manifests.current(community)
        if (!current) throw new ProtocolError('unknown_community')
        const outcome = await deps.insertReport({
          community,
          id: checked.envelope.id,
          hash: checked.hash,
          head: checked.head,
          ct: checked.ct,
          receivedAt: coarseTime(deps.now()),
          sealedToCurrentTeam: current.brokerKeyIds.some((kid) => checked.recipientKeyIds.has(kid)),
        })
        if (outcome.kind !== 'stored' && outcome.kind !== 'duplicate') return answerWrite(c, outcome)
        // The receipt proves the report is a leaf of the community's log under a signed head.
        const log = await deps.logs.inclusion(
          community,
          toBase64url(logLeafHash('report', outcome.receipt.hash)),
        )
        return answerWrite(c, { ...outcome, receipt: { ...outcome.receipt, ...(log ? { log } : {}) } })
      },
    )
    .get(
      '/',
      describeRoute({
        summary: 'Sealed reports after a cursor, oldest first. Brokers only (bearer session).',
        parameters: [
          { name: 'after', in: 'query', schema: { type: 'string', pattern: '^[0-9]+$' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE } },
        ],
        responses: {
          200: {
            description: 'A page of envelopes',
            content: { 'application/json': { schema: resolver(ReportsPageSchema) } },
          },
          ...errorResponses(
            'unauthorized',
            'session_expired',
            'not_a_broker',
            'invalid_cursor',
            'invalid_limit',
          ),
        },
      }),
      requireBroker(deps.store, deps.manifests, () => nowSeconds(deps)),
      async (c) => {
        const community = communityParam(c)
        const after = parseCursor(c.req.query('after'))
        const limit = parseLimit(c.req.query('limit'))
        const rows = await deps.store.listReports(community, after, limit)
        const page = envelopePage(
          'reports',
          rows,
          after,
          (r) => `{"seq":${r.seq},"receivedAt":${JSON.stringify(r.receivedAt)},"envelope":`,
        )
        c.header('Content-Type', 'application/json; charset=UTF-8')
        return c.body(page, 200)
      },
    )
    .get(
      '/:id',
      describeRoute({
        summary:
          'One stored report by its id, as stored: lets a complainant check with their receipt that the relay still holds exactly what they sent. Public: only the id, which only the complainant and the brokers know, finds it, and the envelope is ciphertext.',
        responses: {
          200: {
            description: 'The envelope, as its canonical text',
            content: { 'application/json': { schema: resolver(StoredReportSchema) } },
          },
          ...errorResponses('invalid_community', 'invalid_case', 'unknown_case'),
        },
      }),
      async (c) => {
        const community = communityParam(c)
        const id = c.req.param('id') ?? ''
        if (!isCaseId(id)) throw new ProtocolError('invalid_case')
        const row = await deps.store.findReport(community, id)
        if (!row) throw new ProtocolError('unknown_case')
        c.header('Content-Type', 'application/json; charset=UTF-8')
        return c.body(`{"envelope":${row.envelopeText}}`, 200)
      },
    )
}
