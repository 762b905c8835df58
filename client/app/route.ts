import { isCommunityId } from '../../shared/protocol/community-id'

/**
 * Platform-neutral. The app's few addresses, read from `location.pathname` (no router library):
 * `/` and `/c/<community>` show the shell; anything else is "not found".
 */
export type Route =
  | { readonly kind: 'home' }
  | { readonly kind: 'community'; readonly community: string; readonly valid: boolean }
  | { readonly kind: 'not-found' }

const COMMUNITY_PATH = /^\/c\/([^/]+)\/?$/

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '/index.html') return { kind: 'home' }
  const match = COMMUNITY_PATH.exec(pathname)
  if (!match?.[1]) return { kind: 'not-found' }
  let community: string
  try {
    community = decodeURIComponent(match[1])
  } catch {
    return { kind: 'not-found' }
  }
  return { kind: 'community', community, valid: isCommunityId(community) }
}
