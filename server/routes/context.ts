import type { CommunityLogs } from '../communities/community-logs'
import type { ManifestCache } from '../communities/manifest-cache'
import type { InsertOutcome, NewReport, Store } from '../db/store'

/** What every router is given: storage, the manifest cache, a clock, limits. Tests pass their own. */
export interface RelayDeps {
  readonly store: Store
  readonly manifests: ManifestCache
  readonly now: () => Date
  readonly maxReportBytes: number
  /** The most attachment chunk bytes one community may hold (ATTACHMENT_QUOTA_BYTES). */
  readonly attachmentQuotaBytes: number
  /** Group-committed report insert (see batch-writer.ts). */
  readonly insertReport: (report: NewReport) => Promise<InsertOutcome>
  readonly relaySecret: Uint8Array
  /** How a new community may be created: with a setup token (production), or freely (tests). */
  readonly communitySetup: 'token' | 'open'
  /** The communities' transparency logs: heads, proofs, the log key. */
  readonly logs: CommunityLogs
}

export const nowSeconds = (deps: RelayDeps): number => Math.floor(deps.now().getTime() / 1000)

/** Arrival times are stored to the hour only: finer timing would help link a report to a person. */
export function coarseTime(date: Date): string {
  const hour = 3_600_000
  return new Date(Math.floor(date.getTime() / hour) * hour).toISOString()
}
