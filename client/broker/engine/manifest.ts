import { type Manifest, type SignedManifest, verifyManifestUpdate } from '../../../shared/protocol'
import { brokerDb } from './db'
import { communityUrl, relayJson } from './relay'
import { adopt, requireOpen } from './vault'

/**
 * Browser only. The community's current manifest, accepted only if it is signed by the root key
 * this broker's device holds: from setup, or pinned the first time a manifest listing this broker
 * arrived after joining (the admin reads the root's fingerprint words to them out of band).
 */
export async function trustedManifest(): Promise<Manifest> {
  const { community, identity, secrets } = requireOpen()
  const signed = (await relayJson(communityUrl(community, '/manifest'))) as SignedManifest
  const manifest = verifyManifestUpdate(signed, null, community)
  if (identity.rootKey) {
    if (manifest.root !== identity.rootKey)
      throw new Error('The relay serves a manifest under another community key')
    return manifest
  }
  if (manifest.brokers.some((b) => b.signKey === identity.signKey)) {
    const pinned = { ...identity, rootKey: manifest.root }
    await brokerDb().identities.put(pinned)
    adopt(pinned, secrets)
  }
  return manifest
}

/** Whether this broker is in the current manifest (a joiner waits until the admin adds them). */
export async function membership(): Promise<{ member: boolean; manifest: Manifest }> {
  const manifest = await trustedManifest()
  const { identity } = requireOpen()
  return { member: manifest.brokers.some((b) => b.signKey === identity.signKey), manifest }
}
