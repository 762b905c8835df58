import { useEffect, useState } from 'react'
import { loadEngine } from '../app/engine'
import type { CommunityTrust } from '../engine'
import { setExitUrl } from '../safety/quick-exit'

export type TrustView = { readonly state: 'loading' } | CommunityTrust

/** Browser only. What this device trusts for the community, loaded after the first paint. */
export function useCommunityTrust(community: string): TrustView {
  const [trust, setTrust] = useState<TrustView>({ state: 'loading' })
  useEffect(() => {
    let live = true
    setTrust({ state: 'loading' })
    void (async () => {
      const engine = await loadEngine()
      const next = await engine.trust(community)
      if (!live) return
      if (next.state === 'trusted') setExitUrl(next.manifest.exitUrl)
      if (next.state === 'changed') setExitUrl(next.pinned.exitUrl)
      setTrust(next)
    })().catch(() => {
      if (live) setTrust({ state: 'unreachable' })
    })
    return () => {
      live = false
    }
  }, [community])
  return trust
}
