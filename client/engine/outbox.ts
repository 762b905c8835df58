import * as v from 'valibot'
import { sha256Async, toBase64url, utf8 } from '../../shared/crypto'
import { ReceiptResponseSchema } from '../../shared/protocol'
import { pendingAttachments, uploadAttachments } from './attachment-upload'
import type { ChunkStore } from './chunk-store'
import type { LogCheck, OutboxRow } from './db'
import type { OutboxStore } from './outbox-store'
import { communityUrl, RelayRefusal, relayFetch } from './relay-api'
import { worthRetrying } from './worth-retrying'

/**
 * Browser only. Sends queued reports: at once when online, again when the connection returns, and
 * on a growing delay in between. The envelope id is fixed when the report is sealed, so a retry of
 * a report the relay already holds gets the same receipt back and never makes a second row.
 */

const FIRST_RETRY_MS = 2_000
const LAST_RETRY_MS = 5 * 60_000
/** Tells the service worker not to keep a copy for Background Sync (leave-no-trace mode). */
export const NO_QUEUE_HEADER = 'x-heard-no-queue'

export const retryDelay = (attempts: number, random: number = Math.random()): number =>
  Math.round(Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1)) * (0.75 + random / 2))

export interface Outbox {
  enqueue(
    row: Pick<OutboxRow, 'id' | 'community' | 'envelopeText' | 'mailbox' | 'draftId' | 'attachments'>,
  ): Promise<void>
  list(community: string): Promise<OutboxRow[]>
  get(id: string): Promise<OutboxRow | undefined>
  /** Try every report that is due now. */
  flush(): Promise<void>
  /** Keep what a check of a stored report's place in the log found. */
  noteCheck(id: string, logCheck: LogCheck): Promise<void>
  subscribe(listener: () => void): () => void
}

export interface OutboxOptions {
  readonly noTrace: boolean
  /** Where sealed attachment chunks wait until the relay holds them. */
  readonly chunks: ChunkStore
  /** Runs once the relay's receipt is stored (e.g. to delete the draft the report came from). */
  readonly onStored?: (row: OutboxRow) => Promise<void>
  /** Checks a stored report's receipt against the community's log key (held.ts). */
  readonly checkReceipt?: (row: OutboxRow) => Promise<LogCheck>
}

export function createOutbox(store: OutboxStore, options: OutboxOptions): Outbox {
  const listeners = new Set<() => void>()
  let flushing: Promise<void> | null = null
  let again = false
  let timer: number | undefined
  const changed = () => {
    for (const listener of listeners) listener()
  }

  async function update(id: string, changes: Partial<OutboxRow>): Promise<void> {
    await store.update(id, changes)
    changed()
  }

  async function sendOne(row: OutboxRow): Promise<void> {
    await update(row.id, { state: 'sending' })
    try {
      const response = await relayFetch(communityUrl(row.community, '/reports'), {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(options.noTrace ? { [NO_QUEUE_HEADER]: '1' } : {}),
        },
        body: row.envelopeText,
      })
      const { receipt } = v.parse(ReceiptResponseSchema, await response.json())
      const hash = toBase64url(await sha256Async(utf8(row.envelopeText)))
      // The relay's promise must be about these exact bytes, or it is no receipt for this report.
      if (receipt.id !== row.id || receipt.hash !== hash || receipt.community !== row.community) {
        await update(row.id, { state: 'refused', refusal: 'receipt_mismatch' })
        return
      }
      const stored: OutboxRow = { ...row, state: 'stored', receipt }
      const logCheck = await options.checkReceipt?.(stored)
      await update(row.id, { state: 'stored', receipt, ...(logCheck ? { logCheck } : {}) })
      await options.onStored?.(row)
    } catch (error) {
      if (error instanceof RelayRefusal) {
        await update(row.id, { state: 'refused', refusal: error.code })
        return
      }
      if (!worthRetrying(error)) throw error
      const attempts = row.attempts + 1
      await update(row.id, { state: 'waiting', attempts, nextAttemptAt: Date.now() + retryDelay(attempts) })
    }
  }

  function schedule(rows: readonly OutboxRow[]): void {
    window.clearTimeout(timer)
    const next = Math.min(
      ...rows.filter((r) => r.state === 'waiting').map((r) => r.nextAttemptAt),
      ...rows.filter(pendingAttachments).map((r) => r.attachmentsRetryAt ?? 0),
    )
    if (Number.isFinite(next)) timer = window.setTimeout(() => void flush(), Math.max(0, next - Date.now()))
  }

  async function runFlush(): Promise<void> {
    do {
      again = false
      // Offline by the browser's own account: wait for its "online" event rather than fail again.
      if (!navigator.onLine) return
      const now = Date.now()
      const rows = await store.all()
      for (const row of rows) {
        // "sending" after a reload means the tab closed mid-request: it is simply due again.
        if ((row.state === 'waiting' && row.nextAttemptAt <= now) || row.state === 'sending')
          await sendOne(row)
      }
      // Attachments go after every report: the words never wait for the files.
      for (const row of await store.all()) {
        if (pendingAttachments(row) && (row.attachmentsRetryAt ?? 0) <= Date.now()) {
          await uploadAttachments(row, {
            chunks: options.chunks,
            update,
            noQueueHeader: options.noTrace ? { [NO_QUEUE_HEADER]: '1' } : {},
            retryAt: (attempts) => Date.now() + retryDelay(attempts),
          })
        }
      }
      schedule(await store.all())
    } while (again)
  }

  function flush(): Promise<void> {
    if (flushing) {
      again = true
      return flushing
    }
    flushing = runFlush().finally(() => {
      flushing = null
    })
    return flushing
  }

  window.addEventListener('online', () => {
    // The connection is back: everything waiting is due now, whatever its backoff said.
    void (async () => {
      for (const row of await store.all()) {
        if (row.state === 'waiting') await store.update(row.id, { nextAttemptAt: 0 })
        if (pendingAttachments(row)) await store.update(row.id, { attachmentsRetryAt: 0 })
      }
      await flush()
    })()
  })
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void flush()
  })

  return {
    async enqueue(row) {
      await store.put({
        ...row,
        createdAt: new Date().toISOString(),
        state: 'waiting',
        attempts: 0,
        nextAttemptAt: 0,
      })
      changed()
      // Queued is the promise; sending follows on its own and reports progress through subscribe().
      void flush()
    },
    async list(community) {
      return (await store.all())
        .filter((r) => r.community === community)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    },
    get: (id) => store.get(id),
    flush,
    noteCheck: (id, logCheck) => update(id, { logCheck }),
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
