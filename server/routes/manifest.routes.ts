import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import {
  ManifestHistorySchema,
  ProtocolError,
  readSignedManifest,
  SignedManifestSchema,
  verifyManifestUpdate,
} from '../../shared/protocol'
import { setupTokenHashOf } from '../auth/setup-token'
import { readJsonBody } from '../http/json-body'
import { communityParam } from './community-param'
import type { RelayDeps } from './context'
import { errorResponses } from './openapi-docs'

const MAX_MANIFEST_BODY = 96 * 1024

export function manifestRoutes(deps: RelayDeps) {
  return new Hono()
    .get(
      '/',
      describeRoute({
        summary: 'The community manifest currently in force',
        responses: {
          200: {
            description: 'Signed manifest',
            content: { 'application/json': { schema: resolver(SignedManifestSchema) } },
          },
          ...errorResponses('invalid_community', 'unknown_community'),
        },
      }),
      async (c) => {
        const stored = await deps.store.currentManifest(communityParam(c))
        if (!stored) throw new ProtocolError('unknown_community')
        return c.json({ payload: stored.payload, signature: stored.signature }, 200)
      },
    )
    .put(
      '/',
      describeRoute({
        summary:
          'Publish a new manifest, signed by the current community root (the first one creates the community)',
        description:
          'Creating a community spends a one-time setup token: `Authorization: HeardSetup <token>`, the token ' +
          'from a setup link the relay printed (`<origin>/setup#<token>`). Updates need no token. See docs/protocol.md.',
        parameters: [
          {
            name: 'authorization',
            in: 'header',
            required: false,
            description: '`HeardSetup <token>` (43 chars of base64url); only when creating the community.',
            schema: { type: 'string', pattern: '^HeardSetup [A-Za-z0-9_-]{43}$' },
          },
        ],
        requestBody: { content: { 'application/json': { schema: resolver(SignedManifestSchema) } } },
        responses: {
          200: { description: 'Stored; the community existed' },
          201: { description: 'Stored; the community was created' },
          ...errorResponses(
            'invalid_json',
            'invalid_body',
            'manifest_invalid',
            'unsupported_version',
            'community_mismatch',
            'bad_signature',
            'manifest_not_chained',
            'stale_manifest',
            'manifest_changed',
            'setup_token_required',
            'setup_token_invalid',
            'invalid_community',
            'invalid_encoding',
            'unsupported_media_type',
            'body_too_large',
          ),
        },
      }),
      async (c) => {
        const community = communityParam(c)
        const stored = await deps.store.currentManifest(community)
        // Creating a community needs a setup token, looked at before the body is read; an update is
        // signed by the community root and needs none (a token sent with one is ignored, not spent).
        const setupTokenHash =
          stored === null && deps.communitySetup === 'token'
            ? setupTokenHashOf(c.req.header('authorization'))
            : undefined
        const body = await readJsonBody(c, MAX_MANIFEST_BODY)
        const current = stored
          ? readSignedManifest({ payload: stored.payload, signature: stored.signature }).manifest
          : null
        const manifest = verifyManifestUpdate(body, current, community)
        const signed = body as { payload: string; signature: string }
        const outcome = await deps.store.appendManifest(
          community,
          { seq: manifest.seq, payload: signed.payload, signature: signed.signature },
          stored?.seq ?? null,
          deps.now().toISOString(),
          setupTokenHash,
        )
        if (outcome === 'conflict') throw new ProtocolError('manifest_changed')
        if (outcome === 'setup_token_invalid') throw new ProtocolError('setup_token_invalid')
        deps.manifests.forget(community)
        return c.json({ community, seq: manifest.seq }, current ? 200 : 201)
      },
    )
}

/**
 * Every manifest after a sequence number, oldest first. A client that pinned an older manifest
 * walks this chain to the current one (each link signed by the root before it) — including across
 * a root rotation it never saw.
 */
export function manifestHistoryRoutes(deps: RelayDeps) {
  return new Hono().get(
    '/',
    describeRoute({
      summary: 'The manifest chain after a sequence number, oldest first',
      parameters: [{ name: 'after', in: 'query', schema: { type: 'string', pattern: '^[0-9]+$' } }],
      responses: {
        200: {
          description: 'Signed manifests in sequence order (at most 100)',
          content: { 'application/json': { schema: resolver(ManifestHistorySchema) } },
        },
        ...errorResponses('invalid_community', 'unknown_community', 'invalid_cursor'),
      },
    }),
    async (c) => {
      const community = communityParam(c)
      const after = c.req.query('after') ?? '0'
      if (!/^\d{1,15}$/.test(after)) throw new ProtocolError('invalid_cursor')
      if (!(await deps.store.currentManifest(community))) throw new ProtocolError('unknown_community')
      const manifests = await deps.store.listManifests(community, Number(after), 100)
      return c.json({ manifests }, 200)
    },
  )
}
