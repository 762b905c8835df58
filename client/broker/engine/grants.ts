import {
  boxPublicKey,
  boxSecretKey,
  type ContentKey,
  contentKey,
  contentKeyOpener,
  fromBase64url,
  fromUtf8,
  keyIdOf,
  toBase64url,
  utf8,
} from '../../../shared/crypto'
import {
  CASE_EVENT_LIMITS,
  decodeField,
  type Manifest,
  openGrantKeys,
  type SignedCaseEvent,
  sealGrantKeys,
  verifyCaseEvent,
} from '../../../shared/protocol'
import { recordChange } from './cases'
import { brokerDb } from './db'
import { trustedManifest } from './manifest'
import { contentKeyOf, openReport } from './open-report'
import type { ReportRecord } from './records'
import { loadRecords, readReport, replaceReports } from './stored-records'
import { openRecord, requireOpen, sealRecord } from './vault'

/**
 * Browser only. Grant history access: reports are sealed to the brokers of their day, so a broker
 * who joins later cannot open the earlier ones. A colleague who can hands over their content keys,
 * sealed to the newcomer alone, in a signed `grant` event that every broker sees in the case history.
 */

/** A grant addressed to this broker, read from a synced event but not yet verified. */
export interface PendingGrant {
  readonly signed: SignedCaseEvent
  readonly case: string
}

export function readGrant(signed: SignedCaseEvent, caseId: string): PendingGrant | null {
  const { identity } = requireOpen()
  try {
    const change = (JSON.parse(signed.event) as { change?: { type?: unknown; to?: unknown } }).change
    return change?.type === 'grant' && change.to === identity.boxKey ? { signed, case: caseId } : null
  } catch {
    return null
  }
}

interface GrantedKeyJson {
  readonly key: string
  readonly by: string
}

/**
 * Apply grants addressed to this broker: verified against the trusted manifest (anything else is
 * ignored here, and shown as rejected in the history), their keys kept sealed at rest for reports
 * still to arrive, and the reports already here opened. Returns how many were opened.
 */
export async function applyGrants(grants: readonly PendingGrant[]): Promise<number> {
  const manifest = await trustedManifest()
  const { community, secrets } = requireOpen()
  const db = brokerDb()
  let opened = 0
  for (const grant of grants) {
    const verdict = verifyCaseEvent(grant.signed, manifest)
    if (!verdict.ok || verdict.event.case !== grant.case || verdict.event.change.type !== 'grant') continue
    const by = verdict.event.author
    let keys: Map<string, ContentKey>
    try {
      keys = openGrantKeys(verdict.event.change, boxSecretKey(secrets.box))
    } catch {
      continue
    }
    await db.grantKeys.bulkPut(
      [...keys].map(([report, key]) => {
        const json: GrantedKeyJson = { key: toBase64url(key), by }
        return { community, report, sealed: sealRecord(utf8(JSON.stringify(json))) }
      }),
    )
    const reopened: ReportRecord[] = []
    const openKey = await contentKeyOpener(boxSecretKey(secrets.box))
    for (const [id, key] of keys) {
      const record = await readReport(id)
      if (!record || record.report || !record.envelope) continue
      const item = { seq: record.seq, receivedAt: record.receivedAt, envelope: record.envelope }
      const next = await openReport(item, openKey, { key, by })
      if (next.report) reopened.push(next)
    }
    await replaceReports(reopened)
    opened += reopened.length
  }
  return opened
}

/** The key a colleague granted for `report`, if any. */
export async function grantedKeyFor(report: string): Promise<{ key: ContentKey; by: string } | null> {
  const { community } = requireOpen()
  const row = await brokerDb().grantKeys.get([community, report])
  if (!row) return null
  const json = JSON.parse(fromUtf8(openRecord(row.sealed))) as GrantedKeyJson
  const bytes = fromBase64url(json.key)
  return bytes ? { key: contentKey(bytes), by: json.by } : null
}

/** Reports someone already granted to the broker with box key `to` (verified grants only). */
async function grantedTo(to: string, manifest: Manifest): Promise<Set<string>> {
  const granted = new Set<string>()
  for (const record of (await loadRecords()).events) {
    if (!record.signed) continue
    const verdict = verifyCaseEvent(record.signed, manifest)
    if (verdict.ok && verdict.event.change.type === 'grant' && verdict.event.change.to === to) {
      for (const id of verdict.event.change.reports) granted.add(id)
    }
  }
  return granted
}

/**
 * Give the broker with box key `to` access to every report this device can open that was not
 * sealed to them and not granted to them yet. Returns how many reports were granted.
 */
export async function grantHistory(to: string, manifest: Manifest): Promise<number> {
  const target = boxPublicKey(decodeField(to))
  const targetKeyId = toBase64url(keyIdOf(target))
  const already = await grantedTo(to, manifest)
  const todo: { id: string; key: ContentKey }[] = []
  for (const record of (await loadRecords()).reports) {
    const key = contentKeyOf(record)
    if (!record.report || !key || already.has(record.id) || record.sealedTo.includes(targetKeyId)) continue
    todo.push({ id: record.id, key })
  }
  for (let i = 0; i < todo.length; i += CASE_EVENT_LIMITS.grantReports) {
    const batch = todo.slice(i, i + CASE_EVENT_LIMITS.grantReports)
    const first = batch[0]
    if (!first) break
    await recordChange(
      first.id,
      {
        type: 'grant',
        to,
        reports: batch.map((r) => r.id),
        keys: sealGrantKeys(
          batch.map((r) => r.key),
          target,
        ),
      },
      manifest,
    )
  }
  return todo.length
}
