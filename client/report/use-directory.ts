import { useEffect, useState } from 'react'
import { loadEngine } from '../app/engine'
import type { DirectoryView } from '../engine'

export type DirectoryState = { readonly state: 'loading' } | DirectoryView

/**
 * Browser only. The community's referral directory, verified against `root` (the pinned manifest's
 * root key; null while trust is loading). Synced once per screen; offline it is the copy on the
 * device. Nothing about the person is sent: matching happens here, in `match`.
 */
export function useDirectory(community: string, root: string | null): DirectoryState {
  const [view, setView] = useState<DirectoryState>({ state: 'loading' })
  useEffect(() => {
    if (root === null) return
    let live = true
    void (async () => {
      const engine = await loadEngine()
      const next = await engine.loadDirectory(community, root)
      if (live) setView(next)
    })().catch(() => {
      if (live) setView({ state: 'unavailable', reason: 'offline', refused: null })
    })
    return () => {
      live = false
    }
  }, [community, root])
  return view
}
