import * as v from 'valibot'
import { boxSecretKey, open } from '../../../shared/crypto'
import {
  decodeSignedCaseEvent,
  envelopeFromJson,
  envelopeHash,
  parseEnvelopeJson,
  ReportsPageSchema,
} from '../../../shared/protocol'
import { brokerDb } from './db'
import { applyGrants, grantedKeyFor, type PendingGrant, readGrant } from './grants'
import { auditAfter, beginAudit, type LogStatus } from './log-audit'
import { codeOf, openReport, type SyncedItem } from './open-report'
import { pageOpener } from './parallel-open'
import type { EventRecord, ReportRecord } from './records'
import { communityUrl, RelayRefusal, RelayUnreachable, relayFetch } from './relay'
import { authorized, forgetSession } from './session'
import { appendPage } from './stored-records'
import { requireOpen } from './vault'

/**
 * Browser only. Fetch what is new since the last sync, open it with this broker's key on this
 * device, and keep it sealed at rest under the store key, a relay page at a time. Incremental:
 * cursors per community. The next page is already on its way while one is being opened.
 */

const PAGE = 500

export interface SyncResult {
  readonly reports: number
  readonly events: number
  /** What the audit of the community's log found after this sync. */
  readonly log: LogStatus
}

// Cursor names carry the storage layout: a new layout starts again from the first record.
const cursorName = (community: string, kind: 'reports' | 'events') =>
  kind === 'reports' ? `${community}/reports/pages-with-envelopes` : `${community}/events/pages`

interface FetchedPage<Item> {
  readonly items: readonly Item[]
  readonly next: number
  /** The page's JSON text as the relay sent it. */
  readonly text: string
}

/** Stores an opened page and moves the cursor past it. */
type Store = () => Promise<void>

/**
 * Walk a paged relay route from the stored cursor until it answers an empty page, handing each
 * page to `open`, which opens it and returns how to store it. A page can be short before the end
 * (the relay also stops near 4 MiB), so only an empty page ends the walk.
 */
async function walk<Item>(
  kind: 'reports' | 'events',
  fetchPage: (after: number) => Promise<FetchedPage<Item>>,
  open: (page: FetchedPage<Item>, cursor: { name: string; seq: number }) => Promise<Store>,
): Promise<number> {
  const { community } = requireOpen()
  const name = cursorName(community, kind)
  const after = (await brokerDb().cursors.get(name))?.seq ?? 0
  // A page starts opening as soon as it arrives, even while the one before is still being opened,
  // so no core waits between pages.
  const fetchAndOpen = async (from: number) => {
    const page = await fetchPage(from)
    const opening = page.items.length > 0 ? open(page, { name, seq: page.next }) : null
    // Awaited below, unless the walk stops first: then its failure is not the one to report.
    opening?.catch(() => undefined)
    return { page, opening }
  }
  let count = 0
  let pending = fetchAndOpen(after)
  let stored: Promise<void> = Promise.resolve()
  let failed: { error: unknown } | undefined
  for (;;) {
    const { page, opening } = await pending
    if (!opening) break
    pending = fetchAndOpen(page.next)
    // A failed prefetch or write is seen (and thrown) when awaited on the next turn, not here.
    pending.catch(() => undefined)
    const store = await opening
    // Writes run one after another, in page order, while later pages are opened; after a failed
    // write none follows (the cursor stays at the last page written) and the walk stops.
    stored = stored.then(store)
    stored.catch((error: unknown) => {
      failed ??= { error }
    })
    if (failed) throw failed.error
    count += page.items.length
  }
  await stored
  return count
}

export async function syncReports(): Promise<number> {
  const { community } = requireOpen()
  const openItems = await pageOpener()
  return walk(
    'reports',
    async (after) => {
      const text = await relayText(communityUrl(community, `/reports?after=${after}&limit=${PAGE}`), {
        headers: await authorized(),
      })
      const page = v.parse(ReportsPageSchema, parseJson(text))
      return { items: page.reports, next: Number(page.next), text }
    },
    async ({ items, text }, cursor) => {
      const opened = await openItems(items)
      const records: ReportRecord[] = await Promise.all(
        opened.map(async (record, i) => {
          if (record.unreadable !== 'not_a_recipient') return record
          // A colleague may have granted access before this device saw the report.
          const granted = await grantedKeyFor(record.id)
          return granted ? openReport(items[i] as SyncedItem, notMine, granted) : record
        }),
      )
      // The page is kept as the relay sent it: ciphertext already, and no cost to re-serialise.
      return () => appendPage('reports', records, cursor, text)
    },
  )
}

/** A granted key opens the report; this broker's own key is known not to. */
const notMine = () => Promise.reject(new Error('not sealed to this key'))

interface EventsPage {
  readonly events: readonly { seq: number; case: string; receivedAt: string; envelope: unknown }[]
  readonly next: string
}

export async function syncEvents(): Promise<number> {
  const { community, secrets } = requireOpen()
  const secretKey = boxSecretKey(secrets.box)
  return walk(
    'events',
    async (after) => {
      const text = await relayText(communityUrl(community, `/events?after=${after}&limit=${PAGE}`), {
        headers: await authorized(),
      })
      const page = parseJson(text) as EventsPage
      return { items: page.events, next: Number(page.next), text }
    },
    async ({ items }, cursor) => {
      const grants: PendingGrant[] = []
      const records: EventRecord[] = await Promise.all(
        items.map(async (item): Promise<EventRecord> => {
          const id = String((item.envelope as { id?: unknown } | null)?.id ?? '')
          const base = { id, seq: item.seq, case: item.case, receivedAt: item.receivedAt }
          let hash: string | undefined
          try {
            const json = parseEnvelopeJson(item.envelope)
            hash = await envelopeHash(json)
            const signed = decodeSignedCaseEvent(await open(envelopeFromJson(json), secretKey))
            const grant = readGrant(signed, item.case)
            if (grant) grants.push(grant)
            return { ...base, hash, signed }
          } catch (error) {
            return { ...base, ...(hash ? { hash } : {}), signed: null, unreadable: codeOf(error) }
          }
        }),
      )
      return async () => {
        await appendPage('events', records, cursor)
        if (grants.length > 0) await applyGrants(grants)
      }
    },
  )
}

/**
 * Sync, then audit the log against what arrived. The head is fetched first: everything under it
 * was committed before the sync began, so the sync must have delivered all of it.
 */
export async function sync(): Promise<SyncResult> {
  try {
    return await syncOnce()
  } catch (error) {
    // The relay forgot the session (restarted on a restored database, say): log in again, once.
    if (!(error instanceof RelayRefusal) || error.code !== 'session_expired') throw error
    forgetSession()
    return syncOnce()
  }
}

async function syncOnce(): Promise<SyncResult> {
  const pending = await beginAudit()
  const syncing = (async () => ({ reports: await syncReports(), events: await syncEvents() }))()
  const audit = pending ? auditAfter(pending, syncing) : null
  // A sync that fails is reported as such; the audit waiting on it is then dropped.
  audit?.catch(() => undefined)
  const { reports, events } = await syncing
  const log: LogStatus = audit ? await audit : { state: 'no_log_key' }
  return { reports, events, log }
}

async function relayText(url: string, init: RequestInit): Promise<string> {
  const response = await relayFetch(url, init)
  try {
    return await response.text()
  } catch (error) {
    throw new RelayUnreachable(error)
  }
}

/** A body that is not JSON is a broken answer, like a dropped connection: the sync stops and says so. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new RelayUnreachable(error)
  }
}
