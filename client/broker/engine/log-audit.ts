import { auditLog, type LogAlarm, LogUnreadable } from '../../../shared/log'
import { brokerDb, type LogRow } from './db'
import { trustedManifest } from './manifest'
import { communityUrl, relayJson } from './relay'
import { authorized } from './session'
import { loadRecords } from './stored-records'
import { requireOpen } from './vault'

/**
 * Browser only. The broker console's audit of the community's transparency log on every sync
 * (shared/log/audit.ts): the head is fetched before the sync, the audit runs after it, and what it
 * finds is kept, so an alarm stays on screen until an audit passes again.
 */

export type LogStatus =
  /** Verified: the log holds `size` entries and matches everything this device received. */
  | { readonly state: 'verified'; readonly size: number; readonly checkedAt: string }
  /** Something is wrong: each alarm names what. */
  | {
      readonly state: 'alarm'
      readonly alarms: readonly LogAlarm[]
      readonly more: number
      readonly at: string
    }
  /** The relay's log could not be read (a broken answer): not a verdict, but not a pass. */
  | { readonly state: 'unreadable'; readonly checkedAt: string }
  /** The manifest records no log key: nothing can be checked until the admin records one. */
  | { readonly state: 'no_log_key' }
  /** No audit has run on this device yet. */
  | { readonly state: 'unchecked' }

export const statusOf = (row: LogRow | undefined): LogStatus => {
  if (!row) return { state: 'unchecked' }
  if (row.alarm) return { state: 'alarm', ...row.alarm }
  if (row.unreadable || !row.verified) return { state: 'unreadable', checkedAt: row.checkedAt }
  return { state: 'verified', size: row.verified.head.size, checkedAt: row.checkedAt }
}

export async function logStatus(): Promise<LogStatus> {
  const { community } = requireOpen()
  const manifest = await trustedManifest().catch(() => null)
  const row = await brokerDb().logs.get(community)
  if (!row && manifest && !manifest.logKey) return { state: 'no_log_key' }
  return statusOf(row)
}

/** A head fetched before the sync, to audit after it; null when the manifest records no log key. */
export interface PendingAudit {
  readonly logKey: string
  readonly head: unknown
}

export async function beginAudit(): Promise<PendingAudit | null> {
  const { community } = requireOpen()
  const manifest = await trustedManifest()
  const kept = await brokerDb().logs.get(community)
  // Once a key was verified, a manifest without it (an older one, served again) must not turn
  // the audit off: the kept key stays in force.
  const logKey = manifest.logKey ?? kept?.logKey
  if (!logKey) return null
  return { logKey, head: await relayJson(communityUrl(community, '/log/head')) }
}

/**
 * Audit the log under the head fetched before the sync. It starts at once, so the log's entries
 * are fetched and its tree rebuilt while the sync runs; `synced` settles when the sync is done,
 * and only then is what it delivered compared with the log.
 */
export async function auditAfter(pending: PendingAudit, synced: Promise<unknown>): Promise<LogStatus> {
  const { community } = requireOpen()
  const db = brokerDb()
  const kept = await db.logs.get(community)
  const checkedAt = new Date().toISOString()
  if (kept && kept.logKey !== pending.logKey) {
    const alarm = { alarms: [{ code: 'log_key_changed' } as const], more: 0, at: checkedAt }
    await db.logs.put({ ...kept, alarm, checkedAt })
    return statusOf(await db.logs.get(community))
  }
  const delivered = synced.then(async () => {
    const records = await loadRecords()
    return {
      reports: new Map(records.reports.map((r) => [r.seq, r.hash])),
      events: records.events.map((e) => e.hash),
    }
  })
  // A sync that fails is the caller's to report; the audit may fail first and never await this.
  delivered.catch(() => undefined)
  const headers = await authorized()
  const url = (rest: string) => communityUrl(community, rest)
  let result: Awaited<ReturnType<typeof auditLog>>
  try {
    result = await auditLog({
      community,
      logKey: pending.logKey,
      kept: kept?.verified ?? null,
      head: pending.head,
      delivered,
      source: {
        consistency: (from, to) => relayJson(url(`/log/consistency?from=${from}&to=${to}`)),
        leaves: (from, to) => relayJson(url(`/log/leaves?from=${from}&to=${to}`), { headers }),
      },
    })
  } catch (error) {
    if (!(error instanceof LogUnreadable)) throw error
    await db.logs.put({
      community,
      logKey: pending.logKey,
      verified: kept?.verified ?? null,
      ...(kept?.alarm ? { alarm: kept.alarm } : {}),
      unreadable: true,
      checkedAt,
    })
    return { state: 'unreadable', checkedAt }
  }
  const row: LogRow = result.ok
    ? { community, logKey: pending.logKey, verified: result.log, checkedAt }
    : {
        community,
        logKey: pending.logKey,
        verified: kept?.verified ?? null,
        alarm: { alarms: result.alarms, more: result.more, at: checkedAt },
        checkedAt,
      }
  await db.logs.put(row)
  return statusOf(row)
}
