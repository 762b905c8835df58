import type { Context } from 'hono'
import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import { sha256Async, toBase64url } from '../../shared/crypto'
import { logLeafHash } from '../../shared/log'
import {
  attachmentLimitOf,
  CHUNK_HEADER_BYTES,
  ChunkReceiptSchema,
  isCaseId,
  isFileId,
  MAX_CHUNK_ENVELOPE_BYTES,
  MAX_CHUNK_INDEX,
  ProtocolError,
  parseChunk,
  StoredChunksSchema,
} from '../../shared/protocol'
import { type BrokerVariables, requireBroker } from '../auth/broker-session'
import type { ChunkInsertOutcome } from '../db/store'
import { readOctetBody } from '../http/json-body'
import { communityParam } from './community-param'
import { coarseTime, nowSeconds, type RelayDeps } from './context'
import { errorResponses } from './openapi-docs'

/** The report of the URL: a case id (16 bytes of canonical base64url). */
function reportParam(c: Context): string {
  const id = c.req.param('id') ?? ''
  if (!isCaseId(id)) throw new ProtocolError('invalid_case')
  return id
}

function fileParam(c: Context): string {
  const file = c.req.param('file') ?? ''
  if (!isFileId(file)) throw new ProtocolError('invalid_file')
  return file
}

/** Decimal digits only, no leading zero (but "0" itself), within the largest file's chunk count. */
function indexParam(c: Context): number {
  const text = c.req.param('index') ?? ''
  if (!/^(?:0|[1-9][0-9]{0,9})$/.test(text)) throw new ProtocolError('invalid_chunk_index')
  const index = Number(text)
  if (index > MAX_CHUNK_INDEX) throw new ProtocolError('invalid_chunk_index')
  return index
}

const SESSION_ERRORS = ['unauthorized', 'session_expired', 'not_a_broker'] as const

/** The refusals of the storing transaction, as wire codes. */
const REFUSALS = {
  unknown_community: 'unknown_community',
  unknown_case: 'unknown_case',
  file_in_other_report: 'file_in_other_report',
  conflict: 'chunk_conflict',
  out_of_range: 'chunk_out_of_range',
  limit_exceeded: 'attachment_limit_exceeded',
  storage_full: 'storage_full',
} as const satisfies Record<Exclude<ChunkInsertOutcome['kind'], 'stored' | 'duplicate'>, string>

/**
 * Attachments (docs/protocol.md 7.12): a report's files, each sent after the report as chunk
 * envelopes sealed under the file's own key. The relay reads only the chunk header (file id,
 * index, last flag) to place it, and stores the envelope exactly as sent, in the database, with a
 * log leaf; the key that opens it exists only inside the sealed report.
 */
export function attachmentRoutes(deps: RelayDeps) {
  const broker = requireBroker(deps.store, deps.manifests, () => nowSeconds(deps))
  return new Hono<{ Variables: BrokerVariables }>()
    .put(
      '/:file/chunks/:index',
      describeRoute({
        summary:
          'Store one attachment chunk of a stored report: the chunk envelope (v1) exactly as sealed. ' +
          'Idempotent: the same chunk again returns the original receipt.',
        requestBody: {
          content: {
            'application/octet-stream': {
              schema: { type: 'string', format: 'binary', maxLength: MAX_CHUNK_ENVELOPE_BYTES },
            },
          },
        },
        responses: {
          200: {
            description: 'Already stored: the original receipt',
            content: { 'application/json': { schema: resolver(ChunkReceiptSchema) } },
          },
          201: {
            description: 'Stored and committed',
            content: { 'application/json': { schema: resolver(ChunkReceiptSchema) } },
          },
          ...errorResponses(
            'invalid_community',
            'invalid_case',
            'invalid_file',
            'invalid_chunk_index',
            'unsupported_chunk_media_type',
            'body_too_large',
            'invalid_chunk',
            'unsupported_version',
            'unpadded_ciphertext',
            'chunk_mismatch',
            'unknown_community',
            'unknown_case',
            'attachment_limit_exceeded',
            'file_in_other_report',
            'chunk_conflict',
            'chunk_out_of_range',
            'storage_full',
            'unavailable',
          ),
        },
      }),
      async (c) => {
        const community = communityParam(c)
        const report = reportParam(c)
        const file = fileParam(c)
        const index = indexParam(c)
        const envelope = await readOctetBody(c, MAX_CHUNK_ENVELOPE_BYTES)
        const chunk = parseChunk(envelope)
        if (chunk.fileId !== file || chunk.index !== index) throw new ProtocolError('chunk_mismatch')
        const current = await deps.manifests.current(community)
        if (!current) throw new ProtocolError('unknown_community')
        const limit = attachmentLimitOf(current.manifest)
        if (limit === 0) {
          // Attachments are off: still say first whether the report exists, as the order promises.
          if (!(await deps.store.findReport(community, report))) throw new ProtocolError('unknown_case')
          throw new ProtocolError('attachment_limit_exceeded')
        }
        const hash = toBase64url(await sha256Async(envelope))
        const outcome = await deps.store.insertChunk({
          community,
          report,
          file,
          index,
          last: chunk.last,
          hash,
          envelope,
          bytes: envelope.byteLength - CHUNK_HEADER_BYTES,
          receivedAt: coarseTime(deps.now()),
          reportLimitBytes: limit,
          quotaBytes: deps.attachmentQuotaBytes,
        })
        if (outcome.kind !== 'stored' && outcome.kind !== 'duplicate') {
          throw new ProtocolError(REFUSALS[outcome.kind])
        }
        // The receipt proves the chunk is a leaf of the community's log under a signed head.
        const log = await deps.logs.inclusion(community, toBase64url(logLeafHash('attachment-chunk', hash)))
        return c.json({ ...outcome.receipt, ...(log ? { log } : {}) }, outcome.kind === 'stored' ? 201 : 200)
      },
    )
    .get(
      '/',
      describeRoute({
        summary:
          "Every chunk stored for a report, ordered by file then index (metadata only). Brokers only (bearer session): a report's files are opened with keys from inside it.",
        responses: {
          200: {
            description: 'The stored chunks',
            content: { 'application/json': { schema: resolver(StoredChunksSchema) } },
          },
          ...errorResponses('invalid_community', 'invalid_case', ...SESSION_ERRORS, 'unknown_case'),
        },
      }),
      async (c, next) => {
        // The URL is checked before the session, so a malformed id never costs a lookup.
        communityParam(c)
        reportParam(c)
        await next()
      },
      broker,
      async (c) => {
        const community = communityParam(c)
        const report = reportParam(c)
        const chunks = await deps.store.listChunks(community, report)
        if (chunks.length === 0 && !(await deps.store.findReport(community, report))) {
          throw new ProtocolError('unknown_case')
        }
        return c.json({ chunks }, 200)
      },
    )
    .get(
      '/:file/chunks/:index',
      describeRoute({
        summary: 'One stored chunk envelope of a report, byte for byte as it was sent. Brokers only.',
        responses: {
          200: {
            description: 'The chunk envelope (v1)',
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          },
          ...errorResponses(
            'invalid_community',
            'invalid_case',
            'invalid_file',
            'invalid_chunk_index',
            ...SESSION_ERRORS,
            'unknown_chunk',
          ),
        },
      }),
      async (c, next) => {
        communityParam(c)
        reportParam(c)
        fileParam(c)
        indexParam(c)
        await next()
      },
      broker,
      async (c) => {
        const bytes = await deps.store.readChunk(
          communityParam(c),
          reportParam(c),
          fileParam(c),
          indexParam(c),
        )
        if (!bytes) throw new ProtocolError('unknown_chunk')
        return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/octet-stream' })
      },
    )
}
