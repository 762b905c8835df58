import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import * as v from 'valibot'
import { fromBase64url, toBase64url } from '../../shared/crypto'
import { SignedTreeHeadSchema } from '../../shared/log'
import { LogLeavesPageSchema, ProtocolError } from '../../shared/protocol'
import { type BrokerVariables, requireBroker } from '../auth/broker-session'
import { communityParam } from './community-param'
import { nowSeconds, type RelayDeps } from './context'
import { errorResponses } from './openapi-docs'

const ProofSchema = v.array(v.string())

/** Entries per answer of `/leaves`: 10,000 are about 600 KB of JSON. */
const MAX_LEAVES = 10_000

/** A size from the query: digits only, within the log (and at least `min`). */
function sizeParam(value: string | undefined, logSize: number, min: number): number {
  if (value === undefined || !/^\d{1,15}$/.test(value)) throw new ProtocolError('invalid_log_size')
  const size = Number(value)
  if (size < min || size > logSize) throw new ProtocolError('invalid_log_size')
  return size
}

/**
 * A community's transparency log (docs/protocol.md 7.10): signed heads, and the proofs that let a
 * broker check that the log only grew since the head they kept, and a complainant that their
 * report is still a leaf of it. Public: a head reveals only how many envelopes a community holds.
 */
export function logRoutes(deps: RelayDeps) {
  return new Hono<{ Variables: BrokerVariables }>()
    .get(
      '/head',
      describeRoute({
        summary: "The community log's current signed tree head",
        responses: {
          200: {
            description: 'Signed tree head',
            content: { 'application/json': { schema: resolver(SignedTreeHeadSchema) } },
          },
          ...errorResponses('invalid_community', 'unknown_community'),
        },
      }),
      async (c) => {
        const community = communityParam(c)
        if (!(await deps.manifests.current(community))) throw new ProtocolError('unknown_community')
        return c.json(await deps.logs.head(community), 200)
      },
    )
    .get(
      '/consistency',
      describeRoute({
        summary: 'A consistency proof between two sizes of the log (RFC 9162 2.1.4)',
        parameters: [
          { name: 'from', in: 'query', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } },
          { name: 'to', in: 'query', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } },
        ],
        responses: {
          200: {
            description: '`{from, to, proof}`: the proof as base64url hashes',
            content: {
              'application/json': {
                schema: resolver(v.object({ from: v.number(), to: v.number(), proof: ProofSchema })),
              },
            },
          },
          ...errorResponses('invalid_community', 'unknown_community', 'invalid_log_size'),
        },
      }),
      async (c) => {
        const community = communityParam(c)
        if (!(await deps.manifests.current(community))) throw new ProtocolError('unknown_community')
        const tree = await deps.logs.tree(community)
        const to = sizeParam(c.req.query('to'), tree.size, 0)
        const from = sizeParam(c.req.query('from'), to, 0)
        return c.json({ from, to, proof: tree.consistencyProof(from, to).map(toBase64url) }, 200)
      },
    )
    .get(
      '/inclusion',
      describeRoute({
        summary: 'An inclusion proof for a leaf in the log at a size (RFC 9162 2.1.3)',
        parameters: [
          {
            name: 'leaf',
            in: 'query',
            required: true,
            schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
          },
          { name: 'size', in: 'query', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } },
        ],
        responses: {
          200: {
            description: '`{index, size, proof}`: the proof as base64url hashes',
            content: {
              'application/json': {
                schema: resolver(v.object({ index: v.number(), size: v.number(), proof: ProofSchema })),
              },
            },
          },
          ...errorResponses(
            'invalid_community',
            'unknown_community',
            'invalid_leaf',
            'invalid_log_size',
            'unknown_leaf',
          ),
        },
      }),
      async (c) => {
        const community = communityParam(c)
        if (!(await deps.manifests.current(community))) throw new ProtocolError('unknown_community')
        const leaf = c.req.query('leaf') ?? ''
        if (leaf.length !== 43 || fromBase64url(leaf)?.length !== 32) throw new ProtocolError('invalid_leaf')
        const tree = await deps.logs.tree(community)
        const size = sizeParam(c.req.query('size'), tree.size, 1)
        const index = await deps.logs.indexOf(community, leaf)
        if (index === null || index >= size) throw new ProtocolError('unknown_leaf')
        return c.json({ index, size, proof: tree.inclusionProof(index, size).map(toBase64url) }, 200)
      },
    )
    .get(
      '/leaves',
      describeRoute({
        summary:
          "The log's entries (kind and envelope hash) from one index, in order: what a broker's device rebuilds the tree from and matches with what it synced. Brokers only: the kinds tell how much case work a community does.",
        parameters: [
          { name: 'from', in: 'query', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } },
          { name: 'to', in: 'query', required: true, schema: { type: 'string', pattern: '^[0-9]+$' } },
        ],
        responses: {
          200: {
            description: `Up to ${MAX_LEAVES} entries from \`from\`, fewer when \`to\` comes first`,
            content: { 'application/json': { schema: resolver(LogLeavesPageSchema) } },
          },
          ...errorResponses(
            'invalid_community',
            'unauthorized',
            'session_expired',
            'not_a_broker',
            'invalid_log_size',
          ),
        },
      }),
      requireBroker(deps.store, deps.manifests, () => nowSeconds(deps)),
      async (c) => {
        const community = communityParam(c)
        const size = await deps.store.logSize(community)
        const to = sizeParam(c.req.query('to'), size, 0)
        const from = sizeParam(c.req.query('from'), to, 0)
        const rows = await deps.store.listLogLeaves(community, from, Math.min(MAX_LEAVES, to - from))
        const leaves = rows.map((r) => ({ kind: r.kind, hash: r.hash }))
        return c.json({ from, leaves }, 200)
      },
    )
}

/** The relay's log public key: the key every community's tree heads are signed with. */
export function logKeyRoutes(deps: RelayDeps) {
  return new Hono().get(
    '/',
    describeRoute({
      summary: "The relay's log key (Ed25519, base64url), which signs every tree head",
      responses: { 200: { description: '`{key}`' } },
    }),
    async (c) => c.json({ key: await deps.logs.publicKey() }, 200),
  )
}
