import * as v from 'valibot'
import { RelayUnreachable } from './relay-api'

/**
 * A send that failed for a reason that may pass: no answer, or an answer that was not what the
 * relay sends (a proxy's error page, a cut-off body). Anything else is a bug and is thrown on.
 */
export const worthRetrying = (error: unknown): boolean =>
  error instanceof RelayUnreachable || error instanceof v.ValiError || error instanceof SyntaxError
