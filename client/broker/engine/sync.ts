import * as v from 'valibot'
import { boxSecretKey, utf8 } from '../../../shared/crypto'
import { decodeSignedCaseEvent, openEnvelopeBytes, ReportsPageSchema } from '../../../shared/protocol'
import { brokerDb } from './db'
import { applyGrants, grantedKeyFor, type PendingGrant, readGrant } from './grants'
import { codeOf, openReport } from './open-report'
import type { EventRecord, ReportRecord } from './records'
import { communityUrl, relayJson } from './relay'
import { authorized } from './session'
import { sealedRows } from './stored-records'
import { requireOpen } from './vault'

/**
 * Browser only. Fetch what is new since the last sync, open it with this broker's key on this
 * device, and keep it sealed at rest under the store key. Incremental: cursors per community.
 */

const PAGE = 500

async function cursor(name: string): Promise<number> {
  return (await brokerDb().cursors.get(name))?.seq ?? 0
}

export interface SyncResult {
  readonly reports: number
  readonly events: number
}

export async function syncReports(): Promise<number> {
  const { community } = requireOpen()
  const db = brokerDb()
  const name = `${community}/reports`
  let after = await cursor(name)
  let count = 0
  for (;;) {
    const page = v.parse(
      ReportsPageSchema,
      await relayJson(communityUrl(community, `/reports?after=${after}&limit=${PAGE}`), {
        headers: await authorized(),
      }),
    )
    if (page.reports.length === 0) break
    const records: ReportRecord[] = []
    for (const item of page.reports) {
      const envelope = JSON.stringify(item.envelope)
      let record = await openReport({ seq: item.seq, receivedAt: item.receivedAt, envelope })
      if (record.unreadable === 'not_a_recipient') {
        // A colleague may have granted access before this device saw the report.
        const granted = await grantedKeyFor(record.id)
        if (granted) record = await openReport({ ...record }, granted)
      }
      records.push(record)
    }
    await db.transaction('rw', db.reports, db.cursors, async () => {
      await db.reports.bulkPut(sealedRows(records))
      await db.cursors.put({ name, seq: Number(page.next) })
    })
    count += records.length
    after = Number(page.next)
  }
  return count
}

interface EventsPage {
  readonly events: readonly { seq: number; case: string; receivedAt: string; envelope: unknown }[]
  readonly next: string
}

export async function syncEvents(): Promise<number> {
  const { community, secrets } = requireOpen()
  const db = brokerDb()
  const name = `${community}/events`
  let after = await cursor(name)
  let count = 0
  for (;;) {
    const page = (await relayJson(communityUrl(community, `/events?after=${after}&limit=${PAGE}`), {
      headers: await authorized(),
    })) as EventsPage
    if (page.events.length === 0) break
    const records: EventRecord[] = []
    const grants: PendingGrant[] = []
    for (const item of page.events) {
      const envelope = JSON.stringify(item.envelope)
      const id = (item.envelope as { id: string }).id
      const base = { id, seq: item.seq, case: item.case, receivedAt: item.receivedAt }
      try {
        const signed = decodeSignedCaseEvent(
          await openEnvelopeBytes(utf8(envelope), boxSecretKey(secrets.box)),
        )
        records.push({ ...base, signed })
        const grant = readGrant(signed, item.case)
        if (grant) grants.push(grant)
      } catch (error) {
        records.push({ ...base, signed: null, unreadable: codeOf(error) })
      }
    }
    await db.transaction('rw', db.events, db.cursors, async () => {
      await db.events.bulkPut(sealedRows(records))
      await db.cursors.put({ name, seq: Number(page.next) })
    })
    if (grants.length > 0) await applyGrants(grants)
    count += records.length
    after = Number(page.next)
  }
  return count
}

export async function sync(): Promise<SyncResult> {
  const reports = await syncReports()
  const events = await syncEvents()
  return { reports, events }
}
