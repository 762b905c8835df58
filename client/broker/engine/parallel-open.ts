import { boxSecretKey, type ContentKeyOpener, contentKeyOpener } from '../../../shared/crypto'
import { rememberSearchText } from './fold-text'
import { openReport, type SyncedItem } from './open-report'
import type { OpenReply, OpenRequest } from './open-worker-messages'
import type { ReportRecord } from './records'
import { requireOpen, subscribe } from './vault'

/**
 * Browser only. Open a page of synced reports on two cores: part in open-worker.ts, the rest on
 * the page, at the same time. Where a worker cannot start (or fails), everything opens on the page:
 * the same records, only slower. The worker and the key it holds end when the vault locks.
 */

/**
 * Reports are handed out in chunks: the worker takes them from the front of a page, the page from
 * the back, until they meet, so each core does what it has time for, whatever else it is doing.
 */
const CHUNK = 25
/** Chunks the worker holds at once, so it never waits for the page to send the next. */
const WORKER_IN_FLIGHT = 4

let worker: Worker | null = null
let workerFailed = false
let nextId = 1
const waiting = new Map<number, { resolve: (r: ReportRecord[]) => void; reject: (e: Error) => void }>()

subscribe(() => {
  let open = true
  try {
    requireOpen()
  } catch {
    open = false
  }
  if (!open) stopWorker()
})

function stopWorker(): void {
  worker?.terminate()
  worker = null
  for (const { reject } of waiting.values()) reject(new Error('The vault locked'))
  waiting.clear()
}

function startWorker(secretKey: Uint8Array): Worker | null {
  if (worker) return worker
  if (workerFailed || typeof Worker === 'undefined') return null
  try {
    worker = new Worker(new URL('./open-worker.ts', import.meta.url), { type: 'module' })
  } catch {
    workerFailed = true
    return null
  }
  worker.onmessage = (event: MessageEvent<OpenReply>) => {
    const reply = event.data
    const pending = waiting.get(reply.id)
    waiting.delete(reply.id)
    if (reply.type === 'opened') {
      reply.records.forEach((record, i) => {
        const text = reply.searchTexts[i]
        if (record.report && typeof text === 'string') rememberSearchText(record.report, text)
      })
      pending?.resolve(reply.records)
    } else pending?.reject(new Error(reply.message))
  }
  worker.onerror = () => {
    // A worker that cannot load (or dies) is not tried again this session; its share opens here.
    workerFailed = true
    stopWorker()
  }
  post({ type: 'key', secretKey })
  return worker
}

function post(message: OpenRequest): void {
  worker?.postMessage(message)
}

function inWorker(items: readonly SyncedItem[]): Promise<ReportRecord[]> {
  return new Promise((resolve, reject) => {
    // Stopped since the chunk was handed out (the vault locked): settle now, never wait forever.
    if (!worker) return reject(new Error('No worker'))
    const id = nextId++
    waiting.set(id, { resolve, reject })
    post({ type: 'open', id, items })
  })
}

/** What opens one sync's pages: made once per sync, with this broker's key. */
export async function pageOpener(): Promise<(items: readonly SyncedItem[]) => Promise<ReportRecord[]>> {
  const { secrets } = requireOpen()
  const secretKey = boxSecretKey(secrets.box)
  const openKey: ContentKeyOpener = await contentKeyOpener(secretKey)
  const here = (items: readonly SyncedItem[]) => Promise.all(items.map((item) => openReport(item, openKey)))
  return async (items) => {
    if (items.length <= CHUNK || !startWorker(secretKey)) return here(items)
    const records: ReportRecord[] = new Array(items.length)
    let front = 0 // the next chunk the worker is given starts here
    let back = items.length // the page has opened everything from here on
    const toWorker = async (): Promise<void> => {
      while (front < back) {
        const from = front
        const to = Math.min(from + CHUNK, back)
        front = to
        const chunk = items.slice(from, to)
        // Whatever the worker fails to open is opened here instead: never a record lost to it.
        const opened = await inWorker(chunk).catch(() => here(chunk))
        for (let i = 0; i < opened.length; i++) records[from + i] = opened[i] as ReportRecord
      }
    }
    const onPage = async (): Promise<void> => {
      while (front < back) {
        // Opening here never leaves the microtask queue on its own (Chromium answers X25519 at
        // once), so the worker's finished chunks would wait unseen until the whole page is done.
        await yieldToEventLoop()
        const to = back
        const from = Math.max(front, to - CHUNK)
        back = from
        const opened = await here(items.slice(from, to))
        for (let i = 0; i < opened.length; i++) records[from + i] = opened[i] as ReportRecord
      }
    }
    await Promise.all([...Array.from({ length: WORKER_IN_FLIGHT }, toWorker), onPage()])
    return records
  }
}

/** Let queued tasks (the worker's replies) run before going on. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => resolve()
    channel.port2.postMessage(null)
  })
}
