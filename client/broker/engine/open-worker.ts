/// <reference lib="webworker" />
import { boxSecretKey, type ContentKeyOpener, contentKeyOpener } from '../../../shared/crypto'
import { searchTextOf } from './fold-text'
import { openReport, type SyncedItem } from './open-report'
import type { OpenReply, OpenRequest } from './open-worker-messages'

/**
 * A Web Worker that opens synced reports beside the main thread: a large sync spends most of its
 * time in key agreement and decryption, and a second core halves that while the page stays free.
 * It holds the broker's box key only while the console is unlocked: the page terminates it on lock.
 */

let openKey: Promise<ContentKeyOpener> | null = null

self.onmessage = async (event: MessageEvent<OpenRequest>) => {
  const request = event.data
  if (request.type === 'key') {
    openKey = contentKeyOpener(boxSecretKey(request.secretKey))
    return
  }
  let reply: OpenReply
  try {
    if (!openKey) throw new Error('no key')
    const opener = await openKey
    const records = await Promise.all(request.items.map((item: SyncedItem) => openReport(item, opener)))
    const searchTexts = records.map((r) => (r.report ? searchTextOf(r.report) : null))
    reply = { type: 'opened', id: request.id, records, searchTexts }
  } catch (error) {
    reply = { type: 'failed', id: request.id, message: String(error) }
  }
  self.postMessage(reply)
}
