import { API_PREFIX } from '../../shared/protocol'

/**
 * Browser only. The relay's address is the page's own origin: the app and its relay are one site,
 * so the strict CSP (`connect-src 'self'`) holds and nothing goes anywhere else.
 */
export const communityUrl = (community: string, rest: string): string =>
  `${API_PREFIX}/communities/${encodeURIComponent(community)}${rest}`

/** A relay answer that is not 2xx, with the machine code from shared/protocol's catalogue. */
export class RelayRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`The relay refused the request (${status} ${code})`)
    this.name = 'RelayRefusal'
  }
}

/** No answer at all: offline, DNS, reset, or the relay is down. The request may be retried. */
export class RelayUnreachable extends Error {
  constructor(cause: unknown) {
    super('The relay could not be reached', { cause })
    this.name = 'RelayUnreachable'
  }
}

async function codeOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { code?: unknown } }
    return typeof body.error?.code === 'string' ? body.error.code : 'unknown'
  } catch {
    return 'unknown'
  }
}

/** fetch that sorts every outcome into an answer, a typed refusal, or unreachable. */
export async function relayFetch(url: string, init?: RequestInit): Promise<Response> {
  let response: Response
  try {
    response = await fetch(url, { cache: 'no-store', credentials: 'omit', ...init })
  } catch (error) {
    throw new RelayUnreachable(error)
  }
  // A 5xx or a gateway's HTML error page is the relay being unwell, not a verdict on the request.
  if (response.status >= 500) throw new RelayUnreachable(new Error(`HTTP ${response.status}`))
  if (!response.ok) throw new RelayRefusal(response.status, await codeOf(response))
  return response
}

export async function relayJson(url: string, init?: RequestInit): Promise<unknown> {
  const response = await relayFetch(url, init)
  try {
    return await response.json()
  } catch (error) {
    throw new RelayUnreachable(error)
  }
}
