import { Hono } from 'hono'
import { describeRoute, resolver } from 'hono-openapi'
import { HealthSchema } from '../../shared/protocol'
import { RELAY_VERSION } from '../version'

export function healthRoutes() {
  return new Hono().get(
    '/',
    describeRoute({
      summary: 'Liveness',
      responses: {
        200: {
          description: 'The relay is up',
          content: { 'application/json': { schema: resolver(HealthSchema) } },
        },
      },
    }),
    (c) => c.json({ status: 'ok' as const, version: RELAY_VERSION }, 200),
  )
}
