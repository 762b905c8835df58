import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import { ProtocolError, TransparencySchema } from '../../shared/protocol'
import { communityParam } from './community-param'
import type { RelayDeps } from './context'
import { errorResponses } from './openapi-docs'

/**
 * A community's public transparency page (issue #5): the log's current signed head and how many
 * reports the relay holds, by month. Nothing else: no times finer than a month, no kinds of
 * entries, nothing about any one report.
 */
export function transparencyRoutes(deps: RelayDeps) {
  return new Hono().get(
    '/',
    describeRoute({
      summary: "The log's signed head and the reports held by month of arrival (public)",
      responses: {
        200: {
          description: '`{head, reportsByMonth}`',
          content: { 'application/json': { schema: resolver(TransparencySchema) } },
        },
        ...errorResponses('invalid_community', 'unknown_community'),
      },
    }),
    async (c) => {
      const community = communityParam(c)
      if (!(await deps.manifests.current(community))) throw new ProtocolError('unknown_community')
      const [head, reportsByMonth] = await Promise.all([
        deps.logs.head(community),
        deps.store.countReportsByMonth(community),
      ])
      return c.json({ head, reportsByMonth }, 200)
    },
  )
}
