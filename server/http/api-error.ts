import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ERRORS, type ErrorBody, type ErrorCode, errorBody, ProtocolError } from '../../shared/protocol'

/** The one way the relay answers with an error: JSON `{ error: { code, message } }` and the code's status. */
export const errorResponse = (c: Context, code: ErrorCode, issues?: ErrorBody['error']['issues']) =>
  c.json(errorBody(code, issues), ERRORS[code].status as ContentfulStatusCode)

/** Turn anything thrown in a handler into a typed answer; unknown failures become 500 without details. */
export function answerError(c: Context, error: unknown, onUnexpected: (error: unknown) => void) {
  if (error instanceof ProtocolError) return errorResponse(c, error.code, error.issues)
  if (isStorageUnavailable(error)) {
    onUnexpected(error)
    return errorResponse(c, 'unavailable')
  }
  onUnexpected(error)
  return errorResponse(c, 'internal')
}

/** Disk full, database locked or unreachable: the client should keep its copy and retry. */
function isStorageUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code
  return (
    typeof code === 'string' &&
    /^(SQLITE_(FULL|BUSY|LOCKED|IOERR|CANTOPEN)|ECONNREFUSED|ECONNRESET|CONNECTION_|53|57P|08)/.test(code)
  )
}
