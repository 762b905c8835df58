import * as v from 'valibot'
import {
  type Manifest,
  ManifestHistorySchema,
  ProtocolError,
  readSignedManifest,
  type SignedManifest,
  verifyManifestUpdate,
} from '../../shared/protocol'
import { heardDb, type Pin } from './db'
import { communityUrl, RelayRefusal, RelayUnreachable, relayJson } from './relay-api'

/**
 * Browser only. Trust on first use: the first manifest this device sees for a community is pinned;
 * later ones are accepted only if each link of the chain is signed by the key of the one before.
 * The relay serves the manifests, so the relay alone can never change whom reports are sealed to.
 */

export type TrustProblem =
  /** The relay's manifest is not signed by the key this device pinned (or by anyone). */
  | 'not_chained'
  /** The relay serves an older manifest than the one pinned here. */
  | 'rolled_back'
  /** The relay serves a different manifest with the same number as the pinned one. */
  | 'forked'
  /** The relay's manifest is malformed. */
  | 'invalid'

export type CommunityTrust =
  | {
      readonly state: 'trusted'
      readonly manifest: Manifest
      readonly pinnedAt: string
      readonly fresh: boolean
    }
  /** The pinned manifest stays in force; sending stops until a person looks into it. */
  | { readonly state: 'changed'; readonly problem: TrustProblem; readonly pinned: Manifest }
  | { readonly state: 'unknown_community' }
  /** First visit, and the relay's manifest does not verify: nothing to trust, nothing is sent. */
  | { readonly state: 'invalid' }
  /** Never seen, and the relay cannot be reached now. */
  | { readonly state: 'unreachable' }

const manifestOf = (pin: Pin): Manifest =>
  readSignedManifest({ payload: pin.payload, signature: pin.signature }).manifest

async function fetchCurrent(community: string): Promise<SignedManifest | null> {
  try {
    return (await relayJson(communityUrl(community, '/manifest'))) as SignedManifest
  } catch (error) {
    if (error instanceof RelayRefusal && error.code === 'unknown_community') return null
    throw error
  }
}

async function pin(community: string, signed: SignedManifest, manifest: Manifest): Promise<Pin> {
  const row: Pin = {
    community,
    seq: manifest.seq,
    payload: signed.payload,
    signature: signed.signature,
    pinnedAt: new Date().toISOString(),
  }
  await heardDb().pins.put(row)
  return row
}

function problemOf(error: unknown): TrustProblem {
  if (!(error instanceof ProtocolError)) return 'invalid'
  if (error.code === 'stale_manifest') return 'rolled_back'
  if (error.code === 'manifest_not_chained' || error.code === 'bad_signature') return 'not_chained'
  return 'invalid'
}

/** Walk the chain from the pinned manifest to `current`, verifying every link. */
async function followChain(
  community: string,
  pinned: Manifest,
): Promise<{ signed: SignedManifest; manifest: Manifest }> {
  let trusted = pinned
  let last: { signed: SignedManifest; manifest: Manifest } | null = null
  for (let page = 0; page < 100; page++) {
    const history = v.parse(
      ManifestHistorySchema,
      await relayJson(communityUrl(community, `/manifests?after=${trusted.seq}`)),
    )
    if (history.manifests.length === 0) break
    for (const link of history.manifests) {
      const signed = { payload: link.payload, signature: link.signature }
      trusted = verifyManifestUpdate(signed, trusted, community)
      last = { signed, manifest: trusted }
    }
  }
  if (!last) throw new ProtocolError('manifest_not_chained')
  return last
}

/**
 * What this device trusts for `community` now: verify and pin on first visit, follow the signed
 * chain on later visits, and fall back to the pin when offline.
 */
export async function loadCommunityTrust(community: string): Promise<CommunityTrust> {
  const pinned = await heardDb().pins.get(community)
  let current: SignedManifest | null
  try {
    if (!navigator.onLine) throw new RelayUnreachable(new Error('offline'))
    current = await fetchCurrent(community)
  } catch (error) {
    if (!(error instanceof RelayUnreachable) && !(error instanceof RelayRefusal)) throw error
    if (pinned)
      return { state: 'trusted', manifest: manifestOf(pinned), pinnedAt: pinned.pinnedAt, fresh: false }
    return { state: 'unreachable' }
  }
  if (!pinned) {
    if (!current) return { state: 'unknown_community' }
    try {
      const manifest = verifyManifestUpdate(current, null, community)
      const row = await pin(community, current, manifest)
      return { state: 'trusted', manifest, pinnedAt: row.pinnedAt, fresh: true }
    } catch {
      return { state: 'invalid' }
    }
  }
  const pinnedManifest = manifestOf(pinned)
  if (!current) return { state: 'changed', problem: 'rolled_back', pinned: pinnedManifest }
  if (current.payload === pinned.payload && current.signature === pinned.signature) {
    return { state: 'trusted', manifest: pinnedManifest, pinnedAt: pinned.pinnedAt, fresh: true }
  }
  let served: Manifest
  try {
    served = readSignedManifest(current).manifest
  } catch {
    return { state: 'changed', problem: 'invalid', pinned: pinnedManifest }
  }
  if (served.seq < pinnedManifest.seq)
    return { state: 'changed', problem: 'rolled_back', pinned: pinnedManifest }
  if (served.seq === pinnedManifest.seq)
    return { state: 'changed', problem: 'forked', pinned: pinnedManifest }
  try {
    const next = await followChain(community, pinnedManifest)
    if (next.signed.payload !== current.payload) throw new ProtocolError('manifest_not_chained')
    const row = await pin(community, next.signed, next.manifest)
    return { state: 'trusted', manifest: next.manifest, pinnedAt: row.pinnedAt, fresh: true }
  } catch (error) {
    if (error instanceof RelayUnreachable) {
      return { state: 'trusted', manifest: pinnedManifest, pinnedAt: pinned.pinnedAt, fresh: false }
    }
    return { state: 'changed', problem: problemOf(error), pinned: pinnedManifest }
  }
}
