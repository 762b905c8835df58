import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import { CommunityListSchema } from '../../shared/protocol'
import type { RelayDeps } from './context'

/** How many communities `GET /communities` names; a relay with more is reached by link. */
export const MAX_LISTED_COMMUNITIES = 200

/**
 * The communities this relay serves, by id and name: public facts (every manifest is public), so the
 * app on `/` can open a single-community relay's form directly.
 */
export function communityListRoutes(deps: RelayDeps) {
  return new Hono().get(
    '/',
    describeRoute({
      summary: 'The communities this relay serves (at most 200), with their names',
      responses: {
        200: {
          description: 'Communities in id order',
          content: { 'application/json': { schema: resolver(CommunityListSchema) } },
        },
      },
    }),
    async (c) => {
      const ids = await deps.store.listCommunities(MAX_LISTED_COMMUNITIES)
      const communities = []
      for (const id of ids) {
        const current = await deps.manifests.current(id)
        if (current) communities.push({ id, name: current.manifest.name })
      }
      return c.json({ communities }, 200)
    },
  )
}
