import { type Manifest, readSignedManifest } from '../../shared/protocol'
import type { Store } from '../db/store'

/**
 * The current manifest of each community, parsed once and kept briefly. Several relay processes may
 * share a PostgreSQL database, so entries expire after a few seconds; a PUT in this process
 * refreshes its own entry at once.
 */
export interface ManifestCache {
  current(community: string): Promise<Manifest | null>
  forget(community: string): void
}

export function createManifestCache(store: Store, ttlMs = 3000, now: () => number = Date.now): ManifestCache {
  const entries = new Map<string, { manifest: Manifest | null; until: number }>()
  return {
    async current(community) {
      const hit = entries.get(community)
      if (hit && hit.until > now()) return hit.manifest
      const stored = await store.currentManifest(community)
      // Stored manifests were verified before they were written; reading them back cannot fail.
      const manifest = stored
        ? readSignedManifest({ payload: stored.payload, signature: stored.signature }).manifest
        : null
      entries.set(community, { manifest, until: now() + ttlMs })
      return manifest
    },
    forget(community) {
      entries.delete(community)
    },
  }
}
