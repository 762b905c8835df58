import { fromUtf8, utf8 } from '../../../shared/crypto'
import { brokerDb } from './db'
import type { EventRecord, ReportRecord } from './records'
import { openRecord, requireOpen, sealRecord } from './vault'

/**
 * Browser only. The synced reports and case events of the open community, as this device keeps
 * them: each record sealed at rest under the vault's store key. The one place that knows the layout.
 */

type Table = 'reports' | 'events'

async function readAll<T>(table: Table): Promise<T[]> {
  const { community } = requireOpen()
  const rows = await brokerDb()[table].where('community').equals(community).sortBy('seq')
  return rows.map((row) => JSON.parse(fromUtf8(openRecord(row.sealed))) as T)
}

export const readReports = (): Promise<ReportRecord[]> => readAll<ReportRecord>('reports')
export const readEvents = (): Promise<EventRecord[]> => readAll<EventRecord>('events')

export async function readReport(id: string): Promise<ReportRecord | null> {
  const { community } = requireOpen()
  const row = await brokerDb().reports.get(id)
  if (!row || row.community !== community) return null
  return JSON.parse(fromUtf8(openRecord(row.sealed))) as ReportRecord
}

/** Rows to store for `records` of the open community (written by the caller, in its transaction). */
export function sealedRows<T extends { readonly id: string; readonly seq: number }>(records: readonly T[]) {
  const { community } = requireOpen()
  return records.map((r) => ({
    id: r.id,
    community,
    seq: r.seq,
    sealed: sealRecord(utf8(JSON.stringify(r))),
  }))
}
