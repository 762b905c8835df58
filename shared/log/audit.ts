import * as v from 'valibot'
import { bytesEqual, fromBase64url } from '../crypto'
import { LOG_KINDS, type LogKind, logLeafHash } from './leaf'
import { verifyConsistency } from './merkle'
import { MerkleTree } from './merkle-tree'
import { type SignedTreeHead, SignedTreeHeadSchema, verifyTreeHead } from './tree-head'

/**
 * A broker's audit of their community's log (issue #5): on every sync the device checks that the
 * relay's log only grew since the head it verified last, that the entries the relay lists make
 * exactly the signed root, and that what the relay delivered matches the log one for one — every
 * report and case event in the log was delivered, unchanged, in log order, and nothing delivered
 * is missing from it. Any failure is an alarm naming what is wrong; nothing is skipped in silence.
 *
 * Order matters: the caller fetches the head *before* syncing, so everything under it was
 * committed before the sync began and must have been delivered by the time the audit runs.
 * Whatever was delivered beyond the head is checked at the next sync, whose head must cover it.
 *
 * Replies and attachment chunks are leaves of the log too, and count in the tree the audit
 * rebuilds, but are not matched one for one here: a broker does not fetch every mailbox, and
 * chunks are not delivered by the sync. Chunks are checked when their file is opened: each must
 * authenticate under the file key, at its place, and the file must match the SHA-256 the report names.
 */

/** One leaf as the relay lists it: the kind and the envelope hash (base64url SHA-256, 3.8). */
export interface LogEntry {
  readonly kind: LogKind
  readonly hash: string
}

/** What a device keeps after an audit that passed: the head and every entry under it. */
export interface VerifiedLog {
  /** The last head verified, as signed (so it can be shown and compared later). */
  readonly head: SignedTreeHead
  readonly entries: readonly LogEntry[]
  /** How many reports and case events had been delivered at that audit: the next head must cover them. */
  readonly delivered: { readonly reports: number; readonly events: number }
}

/** The envelope hashes a device has received, by kind. */
export interface Delivered {
  /** Reports by their relay sequence number (1, 2, 3, … with no gaps in an honest relay). */
  readonly reports: ReadonlyMap<number, string | undefined>
  /** Case events in the order the relay served them (its sequence). */
  readonly events: readonly (string | undefined)[]
}

type EnvelopeKind = 'report' | 'case-event'

export type LogAlarm =
  /** The head is malformed, or not signed by the log key the community recorded. */
  | { readonly code: 'bad_head' }
  /** The manifest names another log key than the one this device verified the log with. */
  | { readonly code: 'log_key_changed' }
  /** The log is smaller than one this device verified: entries were taken out. */
  | { readonly code: 'rolled_back'; readonly kept: number; readonly now: number }
  /** The log no longer extends the one this device verified: history was rewritten. */
  | { readonly code: 'not_consistent'; readonly kept: number; readonly now: number }
  /** The entries the relay lists do not make the root it signed. */
  | { readonly code: 'entries_mismatch'; readonly now: number }
  /** Position `position` (report number, or nth case event) is in the log but was not delivered. */
  | { readonly code: 'missing'; readonly kind: EnvelopeKind; readonly position: number }
  /** What was delivered at `position` is not what the log recorded there (changed, or swapped). */
  | { readonly code: 'altered'; readonly kind: EnvelopeKind; readonly position: number }
  /** Delivered at an earlier sync, and still not in the log. */
  | { readonly code: 'not_logged'; readonly kind: EnvelopeKind; readonly position: number }

export type AuditResult =
  | { readonly ok: true; readonly log: VerifiedLog }
  /** `more`: alarms left out of the list (a long run of them says one thing, many times). */
  | { readonly ok: false; readonly alarms: readonly LogAlarm[]; readonly more: number }

/** Where the audit reads the relay's log: answers are untrusted JSON, checked here. */
export interface LogSource {
  consistency(from: number, to: number): Promise<unknown>
  /** Entries from index `from`, at most up to `to` (the relay may answer fewer; never none). */
  leaves(from: number, to: number): Promise<unknown>
}

const MAX_ALARMS = 20

const ProofAnswer = v.object({ proof: v.array(v.string()) })
const LeavesAnswer = v.object({
  from: v.number(),
  leaves: v.array(v.object({ kind: v.picklist(LOG_KINDS), hash: v.pipe(v.string(), v.length(43)) })),
})

/** Thrown when the relay's answers cannot be read at all (the caller shows it as a failed check). */
export class LogUnreadable extends Error {
  constructor(what: string) {
    super(`The relay's log could not be read: ${what}`)
    this.name = 'LogUnreadable'
  }
}

const decodeHashes = (hashes: readonly string[]): Uint8Array[] | null => {
  const out: Uint8Array[] = []
  for (const h of hashes) {
    const bytes = fromBase64url(h)
    if (bytes?.length !== 32) return null
    out.push(bytes)
  }
  return out
}

const leafOf = (entry: LogEntry): Uint8Array | null => {
  try {
    return logLeafHash(entry.kind, entry.hash)
  } catch {
    return null
  }
}

export async function auditLog(input: {
  readonly community: string
  /** The log key the community's manifest records (base64url). */
  readonly logKey: string
  readonly kept: VerifiedLog | null
  /** The head as fetched before the sync (untrusted). */
  readonly head: unknown
  readonly source: LogSource
  /**
   * What the sync delivered. A promise lets the audit fetch the log and rebuild its tree while
   * the sync is still running, and compare once the sync is done.
   */
  readonly delivered: Delivered | PromiseLike<Delivered>
}): Promise<AuditResult> {
  const { kept } = input
  const fail = (alarms: LogAlarm[]): AuditResult => ({
    ok: false,
    alarms: alarms.slice(0, MAX_ALARMS),
    more: Math.max(0, alarms.length - MAX_ALARMS),
  })
  const verified = verifyTreeHead(input.head, input.logKey, input.community)
  if (!verified) return fail([{ code: 'bad_head' }])
  const head = v.parse(SignedTreeHeadSchema, input.head)
  const keptSize = kept?.head.size ?? 0
  if (head.size < keptSize) return fail([{ code: 'rolled_back', kept: keptSize, now: head.size }])

  const newRoot = fromBase64url(head.root) as Uint8Array
  if (kept && keptSize > 0) {
    const answer = v.safeParse(ProofAnswer, await input.source.consistency(keptSize, head.size))
    if (!answer.success) throw new LogUnreadable('consistency proof')
    const proof = decodeHashes(answer.output.proof)
    const oldRoot = fromBase64url(kept.head.root) as Uint8Array
    if (!proof || !verifyConsistency(keptSize, head.size, oldRoot, newRoot, proof)) {
      return fail([{ code: 'not_consistent', kept: keptSize, now: head.size }])
    }
  }

  // Rebuild the tree from the kept entries and the new ones: the relay's list must make its root.
  const entries: LogEntry[] = [...(kept?.entries ?? [])]
  while (entries.length < head.size) {
    const answer = v.safeParse(LeavesAnswer, await input.source.leaves(entries.length, head.size))
    if (!answer.success || answer.output.from !== entries.length || answer.output.leaves.length === 0) {
      throw new LogUnreadable('log entries')
    }
    for (const leaf of answer.output.leaves.slice(0, head.size - entries.length)) entries.push(leaf)
  }
  const tree = new MerkleTree()
  for (const entry of entries) {
    const leaf = leafOf(entry)
    if (!leaf) return fail([{ code: 'entries_mismatch', now: head.size }])
    tree.append(leaf)
  }
  if (!bytesEqual(tree.root(), newRoot)) return fail([{ code: 'entries_mismatch', now: head.size }])

  const delivered = await input.delivered
  const alarms = [
    ...compareReports(entries, delivered.reports, kept?.delivered.reports ?? 0),
    ...compareEvents(entries, delivered.events, kept?.delivered.events ?? 0),
  ]
  if (alarms.length > 0) return fail(alarms)
  return {
    ok: true,
    log: {
      head,
      entries,
      delivered: { reports: maxKey(delivered.reports), events: delivered.events.length },
    },
  }
}

const maxKey = (map: ReadonlyMap<number, unknown>): number => {
  let max = 0
  for (const key of map.keys()) if (key > max) max = key
  return max
}

/** Reports: the nth report leaf is report number n (the relay numbers reports with no gaps). */
function compareReports(
  entries: readonly LogEntry[],
  delivered: ReadonlyMap<number, string | undefined>,
  deliveredBefore: number,
): LogAlarm[] {
  const logged = entries.filter((e) => e.kind === 'report').map((e) => e.hash)
  const alarms: LogAlarm[] = []
  logged.forEach((hash, i) => {
    const position = i + 1
    if (!delivered.has(position)) alarms.push({ code: 'missing', kind: 'report', position })
    else if (delivered.get(position) !== hash) alarms.push({ code: 'altered', kind: 'report', position })
  })
  for (let position = logged.length + 1; position <= deliveredBefore; position++) {
    if (delivered.has(position)) alarms.push({ code: 'not_logged', kind: 'report', position })
  }
  return alarms
}

/**
 * Case events: the relay's sequence has gaps across communities, so they compare by order alone,
 * walking both lists so one event taken out is one alarm, not one for every event after it.
 */
function compareEvents(
  entries: readonly LogEntry[],
  delivered: readonly (string | undefined)[],
  deliveredBefore: number,
): LogAlarm[] {
  const logged = entries.filter((e) => e.kind === 'case-event').map((e) => e.hash)
  const inLog = new Set(logged)
  const wasDelivered = new Set(delivered)
  const alarms: LogAlarm[] = []
  let i = 0
  let j = 0
  while (i < logged.length) {
    const hash = logged[i] as string
    if (j < delivered.length && delivered[j] === hash) {
      i++
      j++
    } else if (!wasDelivered.has(hash)) {
      alarms.push({ code: 'missing', kind: 'case-event', position: ++i })
    } else if (j < delivered.length && !inLog.has(delivered[j] as string)) {
      alarms.push({ code: 'not_logged', kind: 'case-event', position: ++j })
    } else {
      alarms.push({ code: 'altered', kind: 'case-event', position: ++i })
      j++
    }
  }
  // What came after the head is checked next time, unless it was delivered before this head.
  for (; j < Math.min(deliveredBefore, delivered.length); j++) {
    alarms.push({ code: 'not_logged', kind: 'case-event', position: j + 1 })
  }
  return alarms
}
