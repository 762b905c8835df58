import { randomBytes, toBase64url } from '../../shared/crypto'
import {
  isSetupToken,
  ProtocolError,
  SETUP_AUTH_SCHEME,
  SETUP_PATH,
  SETUP_TOKEN_BYTES,
} from '../../shared/protocol'
import type { Store } from '../db/store'
import { tokenHashOf } from './broker-session'

/**
 * One-time setup links, so no stranger can claim a fresh relay: creating a community spends a
 * token the operator received (printed at start, or by `npm run setup-link`). Only the token's
 * hash is stored, as for sessions.
 */

/**
 * The stored hash of the token in an `Authorization: HeardSetup <token>` header. Throws
 * setup_token_required when there is no header of that scheme, setup_token_invalid when the token
 * is malformed (whether a well-formed one is known and unspent is decided where it is spent).
 */
export function setupTokenHashOf(authorization: string | undefined): string {
  const [scheme, token, ...rest] = (authorization ?? '').split(' ')
  if (scheme !== SETUP_AUTH_SCHEME) throw new ProtocolError('setup_token_required')
  if (token === undefined || rest.length > 0 || !isSetupToken(token)) {
    throw new ProtocolError('setup_token_invalid')
  }
  return tokenHashOf(token)
}

/**
 * Mint a setup token (32 random bytes, base64url), store its hash, and return the token. With
 * `supersedeUnspent`, every older unspent token is marked spent (with no community) first.
 */
export async function mintSetupToken(
  store: Store,
  now: Date,
  options: { supersedeUnspent?: boolean } = {},
): Promise<string> {
  const token = toBase64url(randomBytes(SETUP_TOKEN_BYTES))
  await store.mintSetupToken(tokenHashOf(token), now.toISOString(), options)
  return token
}

/**
 * The link to print: `<origin>/setup#<token>`. The token is in the fragment, which browsers never
 * send, so it reaches no server log and no Referer header.
 */
export const setupLink = (origin: string, token: string): string => `${origin}${SETUP_PATH}#${token}`

/** `http://host:port`, an IPv6 address in brackets. */
export const httpOrigin = (host: string, port: number): string =>
  `http://${host.includes(':') ? `[${host}]` : host}:${port}`
