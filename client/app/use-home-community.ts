import { useEffect, useState } from 'react'

/**
 * Browser only. `/` opens the relay's community when it has exactly one. The answer is remembered
 * (the community id only) so `/` still opens the form offline.
 */
export type HomeCommunity =
  | { readonly state: 'loading' }
  | { readonly state: 'one'; readonly community: string }
  | { readonly state: 'many'; readonly communities: readonly { id: string; name: string }[] }
  | { readonly state: 'none' }
  | { readonly state: 'unreachable' }

const REMEMBERED = 'heard.home-community'

export function useHomeCommunity(enabled: boolean): HomeCommunity {
  const [home, setHome] = useState<HomeCommunity>(() => {
    const remembered = enabled ? window.localStorage.getItem(REMEMBERED) : null
    return remembered ? { state: 'one', community: remembered } : { state: 'loading' }
  })
  useEffect(() => {
    if (!enabled) return
    let live = true
    void (async () => {
      try {
        if (!navigator.onLine) throw new Error('offline')
        const response = await fetch('/api/v1/communities', { cache: 'no-store', credentials: 'omit' })
        if (!response.ok) throw new Error(`HTTP ${response.status}`)
        const { communities } = (await response.json()) as { communities: { id: string; name: string }[] }
        if (!live) return
        const [only] = communities
        if (communities.length === 1 && only) {
          window.localStorage.setItem(REMEMBERED, only.id)
          setHome({ state: 'one', community: only.id })
        } else {
          window.localStorage.removeItem(REMEMBERED)
          setHome(communities.length === 0 ? { state: 'none' } : { state: 'many', communities })
        }
      } catch {
        if (live) setHome((current) => (current.state === 'one' ? current : { state: 'unreachable' }))
      }
    })()
    return () => {
      live = false
    }
  }, [enabled])
  return home
}
