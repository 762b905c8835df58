import { useSyncExternalStore } from 'react'
import { parseRoute, type Route } from './route'

/** Browser only. The current route, following back/forward navigation. */
export function useRoute(): Route {
  const pathname = useSyncExternalStore(subscribe, () => window.location.pathname)
  return parseRoute(pathname)
}

/**
 * Move within the app without adding a history entry: after a quick exit, Back must not lead to
 * an earlier Heard screen.
 */
export function navigate(path: string): void {
  window.history.replaceState(null, '', path)
  window.dispatchEvent(new PopStateEvent('popstate'))
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange)
  return () => window.removeEventListener('popstate', onChange)
}
