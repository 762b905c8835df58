import * as v from 'valibot'
import { type TreeHead, verifyTreeHead } from '../../shared/log'
import { TransparencySchema } from '../../shared/protocol'
import { communityUrl, relayJson } from './relay-api'
import { loadCommunityTrust } from './trust'

/**
 * Browser only. The facts of a community's public transparency page, with the head checked
 * against the log key in the manifest this device pinned (never the relay's word for it).
 */
export interface TransparencyView {
  readonly community: string
  /** The community's name from its pinned manifest, when this device trusts one. */
  readonly name: string | null
  /**
   * `verified`: signed by the log key the community recorded; `bad`: not; `no_log_key`: the
   * community has not recorded one; `untrusted`: this device has no trusted manifest to check by.
   */
  readonly headCheck: 'verified' | 'bad' | 'no_log_key' | 'untrusted'
  /** The head, as verified (only when `headCheck` is `verified`). */
  readonly head: TreeHead | null
  readonly reportsByMonth: readonly { readonly month: string; readonly reports: number }[]
}

/** Throws RelayUnreachable or RelayRefusal (unknown_community) as the relay answers. */
export async function loadTransparency(community: string): Promise<TransparencyView> {
  const [trust, answer] = await Promise.all([
    loadCommunityTrust(community),
    relayJson(communityUrl(community, '/transparency')),
  ])
  const data = v.parse(TransparencySchema, answer)
  const manifest = trust.state === 'trusted' ? trust.manifest : null
  const head = manifest?.logKey ? verifyTreeHead(data.head, manifest.logKey, community) : null
  return {
    community,
    name: manifest?.name ?? null,
    headCheck: !manifest ? 'untrusted' : !manifest.logKey ? 'no_log_key' : head ? 'verified' : 'bad',
    head,
    reportsByMonth: data.reportsByMonth,
  }
}
