import { resolver } from 'hono-openapi'
import * as v from 'valibot'
import { ERRORS, type ErrorCode } from '../../shared/protocol'

const ErrorBodySchema = v.object({
  error: v.object({
    code: v.string(),
    message: v.string(),
    issues: v.optional(v.array(v.object({ path: v.string(), rule: v.string() }))),
  }),
})

/** OpenAPI responses for the error codes a route can answer with, grouped by status. */
export function errorResponses(...codes: ErrorCode[]) {
  const byStatus: Record<
    number,
    { description: string; content: Record<string, { schema: ReturnType<typeof resolver> }> }
  > = {}
  for (const code of codes) {
    const { status } = ERRORS[code]
    const entry = byStatus[status]
    if (entry) entry.description += `, \`${code}\``
    else
      byStatus[status] = {
        description: `Error \`${code}\``,
        content: { 'application/json': { schema: resolver(ErrorBodySchema) } },
      }
  }
  return byStatus
}
