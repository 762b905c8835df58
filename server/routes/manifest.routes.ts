import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import {
  ProtocolError,
  readSignedManifest,
  SignedManifestSchema,
  verifyManifestUpdate,
} from '../../shared/protocol'
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
            'body_too_large',
          ),
        },
      }),
      async (c) => {
        const community = communityParam(c)
        const body = await readJsonBody(c, MAX_MANIFEST_BODY)
        const stored = await deps.store.currentManifest(community)
        const current = stored
          ? readSignedManifest({ payload: stored.payload, signature: stored.signature }).manifest
          : null
        const manifest = verifyManifestUpdate(body, current, community)
        const signed = body as { payload: string; signature: string }
        const outcome = await deps.store.appendManifest(
          community,
          { seq: manifest.seq, payload: signed.payload, signature: signed.signature },
          deps.now().toISOString(),
        )
        if (outcome === 'conflict') throw new ProtocolError('stale_manifest')
        deps.manifests.forget(community)
        return c.json({ community, seq: manifest.seq }, current ? 200 : 201)
      },
    )
}
