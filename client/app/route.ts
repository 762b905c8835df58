import { isCommunityId } from '../../shared/protocol/community-id'

/**
 * Platform-neutral. The app's few addresses, read from `location.pathname` (no router library):
 * `/` and `/c/<community>` open the report form, `/follow-up` and `/c/<community>/follow-up` the
 * follow-up screen, `…/transparency` the community's public log, `…/support` the directory of
 * support services; anything else is "not found".
 */
export type Page = 'report' | 'follow-up' | 'transparency' | 'support'

const PAGES: readonly Page[] = ['follow-up', 'transparency', 'support']
const isPage = (value: string | undefined): value is Page =>
  (PAGES as readonly (string | undefined)[]).includes(value)

export type Route =
  /** The broker console (`/broker`) and a fresh relay's one-time setup (`/setup#<token>`). */
  | { readonly kind: 'broker' }
  | { readonly kind: 'setup' }
  | { readonly kind: 'home'; readonly page: Page }
  | { readonly kind: 'community'; readonly community: string; readonly valid: boolean; readonly page: Page }
  | { readonly kind: 'not-found' }

const COMMUNITY_PATH = /^\/c\/([^/]+)(?:\/(follow-up|transparency|support))?\/?$/
const HOME_PATH = /^\/(follow-up|transparency|support)\/?$/

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '/index.html') return { kind: 'home', page: 'report' }
  const home = HOME_PATH.exec(pathname)?.[1]
  if (isPage(home)) return { kind: 'home', page: home }
  if (pathname === '/broker' || pathname === '/broker/') return { kind: 'broker' }
  if (pathname === '/setup' || pathname === '/setup/') return { kind: 'setup' }
  const match = COMMUNITY_PATH.exec(pathname)
  if (!match?.[1]) return { kind: 'not-found' }
  let community: string
  try {
    community = decodeURIComponent(match[1])
  } catch {
    return { kind: 'not-found' }
  }
  const page: Page = isPage(match[2]) ? match[2] : 'report'
  return { kind: 'community', community, valid: isCommunityId(community), page }
}

/** The address of a page, for the community the app was opened for (null: the relay's only one). */
export function pathOf(community: string | null, page: Page): string {
  const base = community === null ? '' : `/c/${encodeURIComponent(community)}`
  return page === 'report' ? base || '/' : `${base}/${page}`
}
