import type { Context } from 'hono'
import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import {
  EnvelopeKind,
  EnvelopeV1Schema,
  isMailboxId,
  MAX_PAGE_SIZE,
  MailboxPageSchema,
  MailboxReceiptResponseSchema,
  ProtocolError,
} from '../../shared/protocol'
import { mailboxCaller } from '../auth/mailbox-auth'
import { parseJsonBytes, readJsonBodyBytes } from '../http/json-body'
import { communityParam } from './community-param'
import { coarseTime, type RelayDeps } from './context'
import { errorResponses } from './openapi-docs'
import { envelopePage, parseCursor, parseLimit } from './paging'
import { answerWrite, checkEnvelope } from './sealed-envelope'

function mailboxParam(c: Context): string {
  const mailbox = c.req.param('mailbox') ?? ''
  if (!isMailboxId(mailbox)) throw new ProtocolError('invalid_mailbox')
  return mailbox
}

/** The community and mailbox of the URL, and who is asking (see server/auth/mailbox-auth.ts). */
async function mailboxRequest(c: Context, deps: RelayDeps) {
  const community = communityParam(c)
  const mailbox = mailboxParam(c)
  const caller = await mailboxCaller({
    store: deps.store,
    manifests: deps.manifests,
    authorization: c.req.header('authorization'),
    community,
    mailbox,
    method: c.req.method,
    now: deps.now(),
  })
  return { community, mailbox, caller }
}

const AUTH_ERRORS = [
  'invalid_community',
  'invalid_mailbox',
  'mailbox_auth_required',
  'mailbox_key_mismatch',
  'request_time_skew',
  'bad_signature',
  'unauthorized',
  'session_expired',
  'not_a_broker',
] as const

const AUTH_DESCRIPTION =
  'Authorization: `Bearer <token>` (a broker session of the community) or ' +
  '`HeardMailbox key=<b64 Ed25519 public key>, time=<ISO 8601 UTC>, sig=<b64 signature>` (the mailbox owner; see docs/protocol.md).'

/**
 * A follow-up mailbox: `reply` envelopes between a community's brokers and one complainant, who is
 * known only by the public key the mailbox id is derived from. The relay checks who may read and
 * post, and stores ciphertext; it cannot tell what a message says or whom else it concerns.
 */
export function mailboxRoutes(deps: RelayDeps) {
  return new Hono()
    .post(
      '/',
      describeRoute({
        summary: `Post a sealed reply to a follow-up mailbox. Idempotent by envelope id. ${AUTH_DESCRIPTION}`,
        requestBody: { content: { 'application/json': { schema: resolver(EnvelopeV1Schema) } } },
        responses: {
          200: {
            description: 'Already stored: the original receipt',
            content: { 'application/json': { schema: resolver(MailboxReceiptResponseSchema) } },
          },
          201: {
            description: 'Stored and committed',
            content: { 'application/json': { schema: resolver(MailboxReceiptResponseSchema) } },
          },
          ...errorResponses(
            ...AUTH_ERRORS,
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
            'id_conflict',
            'body_too_large',
            'unsupported_media_type',
            'unavailable',
          ),
        },
      }),
      async (c) => {
        const { community, mailbox, caller } = await mailboxRequest(c, deps)
        const bytes = await readJsonBodyBytes(c, deps.maxReportBytes)
        // The owner's signature covers the exact bytes: checked before anything is parsed.
        if (caller.sender === 'complainant') caller.checkBody(bytes)
        const checked = await checkEnvelope(parseJsonBytes(bytes), community, EnvelopeKind.reply)
        if (!(await deps.manifests.current(community))) throw new ProtocolError('unknown_community')
        const outcome = await deps.store.insertMailboxMessage({
          community,
          mailbox,
          id: checked.envelope.id,
          hash: checked.hash,
          head: checked.head,
          ct: checked.ct,
          sender: caller.sender,
          receivedAt: coarseTime(deps.now()),
        })
        return answerWrite(c, outcome)
      },
    )
    .get(
      '/',
      describeRoute({
        summary: `A follow-up mailbox's messages after a cursor, oldest first. ${AUTH_DESCRIPTION}`,
        parameters: [
          { name: 'after', in: 'query', schema: { type: 'string', pattern: '^[0-9]+$' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE } },
        ],
        responses: {
          200: {
            description: 'A page of messages',
            content: { 'application/json': { schema: resolver(MailboxPageSchema) } },
          },
          ...errorResponses(...AUTH_ERRORS, 'unknown_community', 'invalid_cursor', 'invalid_limit'),
        },
      }),
      async (c) => {
        const { community, mailbox, caller } = await mailboxRequest(c, deps)
        // A GET has no body: the owner signed the hash of zero bytes.
        if (caller.sender === 'complainant') caller.checkBody(new Uint8Array())
        const after = parseCursor(c.req.query('after'))
        const limit = parseLimit(c.req.query('limit'))
        if (!(await deps.manifests.current(community))) throw new ProtocolError('unknown_community')
        const rows = await deps.store.listMailboxMessages(community, mailbox, after, limit)
        const page = envelopePage(
          'messages',
          rows,
          after,
          (r) =>
            `{"seq":${r.seq},"receivedAt":${JSON.stringify(r.receivedAt)},"sender":${JSON.stringify(r.sender)},"envelope":`,
        )
        c.header('Content-Type', 'application/json; charset=UTF-8')
        return c.body(page, 200)
      },
    )
}
