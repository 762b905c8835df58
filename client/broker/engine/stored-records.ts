import { fromUtf8, utf8 } from '../../../shared/crypto'
import { brokerDb, type PageRow } from './db'
import { type KeptReport, keptOf, reopenReport } from './open-report'
import type { EventRecord, ReportRecord } from './records'
import { openRecord, requireOpen, sealRecord, subscribe } from './vault'

/**
 * Browser only. The synced reports and case events of the open community: kept on the device a
 * relay page at a time, each page sealed at rest under the vault's store key, and held in memory
 * while the vault is open so a sync only adds what is new. The one place that knows the layout.
 */

type Kind = PageRow['kind']

interface Loaded {
  readonly community: string
  readonly reports: ReportRecord[]
  readonly byId: Map<string, ReportRecord>
  readonly events: EventRecord[]
}

let loaded: Loaded | null = null
let loading: Promise<Loaded> | null = null

// Nothing opened outlives the lock.
subscribe(() => {
  if (loaded && loaded.community !== requireOpenOrNull()) {
    loaded = null
    loading = null
  }
})

function requireOpenOrNull(): string | null {
  try {
    return requireOpen().community
  } catch {
    return null
  }
}

const pageKey = (community: string, kind: Kind, first: number) =>
  `${community}/${kind}/${String(first).padStart(15, '0')}`

const pageRows = (community: string, kind: Kind): Promise<PageRow[]> =>
  brokerDb().pages.where('[community+kind]').equals([community, kind]).sortBy('key')

const openPage = <T>(row: PageRow): T[] => JSON.parse(fromUtf8(openRecord(row.sealed))) as T[]

async function readEventPages(community: string): Promise<EventRecord[]> {
  return (await pageRows(community, 'events')).flatMap((row) => openPage<EventRecord>(row))
}

/** The envelopes in a kept page: the relay's page text, or (an earlier form) an array of them. */
function envelopesOf(kept: unknown): unknown[] {
  if (Array.isArray(kept)) return kept
  const reports = (kept as { reports?: unknown } | null)?.reports
  return Array.isArray(reports) ? reports.map((r) => (r as { envelope?: unknown } | null)?.envelope) : []
}

/** Report pages: each report opened again from its kept envelope with its kept content key. */
async function readReportPages(community: string): Promise<ReportRecord[]> {
  // Pages written before envelopes were kept (no `envelopes`) are superseded: their reports are
  // fetched again under the current cursor (sync.ts) and stored in this form.
  return (await pageRows(community, 'reports')).flatMap((row) => {
    if (row.envelopes === undefined) return []
    const kept = openPage<KeptReport>(row)
    const served = envelopesOf(JSON.parse(row.envelopes))
    return kept.map((k, i) => reopenReport(k, served[i]))
  })
}

/** Every synced record of the open community, read from the device once per unlock. */
export async function loadRecords(): Promise<Loaded> {
  const { community } = requireOpen()
  if (loaded?.community === community) return loaded
  if (!loading) {
    loading = (async () => {
      const [reports, events] = await Promise.all([readReportPages(community), readEventPages(community)])
      const next = { community, reports, byId: new Map(reports.map((r) => [r.id, r])), events }
      if (requireOpenOrNull() === community) loaded = next
      return next
    })().finally(() => {
      loading = null
    })
  }
  return loading
}

/**
 * Keep one page of newly synced records and move the cursor past it, in one transaction, so a
 * crash leaves either both or neither.
 */
export async function appendPage<T extends ReportRecord | EventRecord>(
  kind: Kind,
  records: readonly T[],
  cursor: { readonly name: string; readonly seq: number },
  /** Reports: the relay's page text holding their envelopes, in the order of `records`. */
  served?: string,
): Promise<void> {
  const { community } = requireOpen()
  const first = records[0]
  const last = records.at(-1)
  if (!first || !last) return
  const memory = await loadRecords()
  const db = brokerDb()
  const row: PageRow = {
    key: pageKey(community, kind, first.seq),
    community,
    kind,
    first: first.seq,
    last: last.seq,
    ...(kind === 'reports'
      ? {
          sealed: sealRecord(utf8(JSON.stringify((records as readonly ReportRecord[]).map(keptOf)))),
          envelopes: served ?? '[]',
        }
      : { sealed: sealRecord(utf8(JSON.stringify(records))) }),
  }
  await db.transaction('rw', db.pages, db.cursors, async () => {
    await db.pages.put(row)
    await db.cursors.put(cursor)
  })
  if (kind === 'reports') {
    for (const r of records as readonly ReportRecord[]) {
      memory.reports.push(r)
      memory.byId.set(r.id, r)
    }
  } else memory.events.push(...(records as readonly EventRecord[]))
}

export async function readReport(id: string): Promise<ReportRecord | null> {
  return (await loadRecords()).byId.get(id) ?? null
}

/** Replace reports already kept (opened later with a granted key): their pages are sealed again. */
export async function replaceReports(updated: readonly ReportRecord[]): Promise<void> {
  if (updated.length === 0) return
  const { community } = requireOpen()
  const memory = await loadRecords()
  const db = brokerDb()
  const rows = await db.pages.where('[community+kind]').equals([community, 'reports']).toArray()
  const changed: PageRow[] = []
  for (const row of rows) {
    const mine = updated.filter((r) => r.seq >= row.first && r.seq <= row.last)
    if (mine.length === 0) continue
    const bySeq = new Map(mine.map((r) => [r.seq, keptOf(r)]))
    const kept = openPage<KeptReport>(row).map((k) => bySeq.get(k.seq) ?? k)
    changed.push({ ...row, sealed: sealRecord(utf8(JSON.stringify(kept))) })
  }
  await db.pages.bulkPut(changed)
  for (const r of updated) {
    const at = memory.reports.findIndex((x) => x.id === r.id)
    if (at >= 0) memory.reports[at] = r
    memory.byId.set(r.id, r)
  }
}
