import { boxPublicKey, keyIdOf, toBase64url } from '../../shared/crypto'
import { decodeField, type Manifest, readSignedManifest } from '../../shared/protocol'
import type { Store } from '../db/store'

/** A community's manifest in force, with what the relay checks envelopes against. */
export interface CurrentManifest {
  readonly manifest: Manifest
  /** base64url envelope key ids of the current brokers' encryption keys. */
  readonly brokerKeyIds: readonly string[]
}

/**
 * The current manifest of each community, parsed once and kept briefly. Several relay processes may
 * share a PostgreSQL database, so entries expire after a few seconds; a PUT in this process
 * refreshes its own entry at once.
 */
export interface ManifestCache {
  current(community: string): Promise<CurrentManifest | null>
  forget(community: string): void
}

export function createManifestCache(store: Store, ttlMs = 3000, now: () => number = Date.now): ManifestCache {
  const entries = new Map<string, { value: CurrentManifest | null; until: number }>()
  return {
    async current(community) {
      const hit = entries.get(community)
      if (hit && hit.until > now()) return hit.value
      const stored = await store.currentManifest(community)
      // Stored manifests were verified before they were written; reading them back cannot fail.
      const value = stored
        ? describe(readSignedManifest({ payload: stored.payload, signature: stored.signature }).manifest)
        : null
      entries.set(community, { value, until: now() + ttlMs })
      return value
    },
    forget(community) {
      entries.delete(community)
    },
  }
}

function describe(manifest: Manifest): CurrentManifest {
  const brokerKeyIds = manifest.brokers.map((b) => toBase64url(keyIdOf(boxPublicKey(decodeField(b.boxKey)))))
  return { manifest, brokerKeyIds }
}
