import * as v from 'valibot'
import { sha256Async, toBase64url } from '../../shared/crypto'
import { ChunkReceiptSchema } from '../../shared/protocol'
import type { ChunkStore } from './chunk-store'
import type { AttachmentUpload, OutboxRow } from './db'
import { communityUrl, RelayRefusal, relayFetch } from './relay-api'
import { worthRetrying } from './worth-retrying'

/**
 * Browser only. Sends a stored report's attachments, chunk by chunk, in order. Each confirmed chunk
 * is counted on the report before the next is sent, so after a reload, a crash or a lost connection
 * the upload resumes at the first chunk the relay has not confirmed: at most the one chunk that was
 * in flight goes twice, and the relay answers a repeat with the same receipt.
 */

/** A stored report with a file that is neither complete nor refused. */
export const pendingAttachments = (row: OutboxRow): boolean =>
  row.state === 'stored' && (row.attachments ?? []).some(isPending)

const isPending = (a: AttachmentUpload): boolean => a.refusal === undefined && a.stored < a.chunks

export interface UploadDeps {
  readonly chunks: ChunkStore
  readonly update: (id: string, changes: Partial<OutboxRow>) => Promise<void>
  /** Tells the service worker not to keep the request (leave-no-trace mode). */
  readonly noQueueHeader: Readonly<Record<string, string>>
  /** When to try again after `attempts` failures in a row. */
  readonly retryAt: (attempts: number) => number
}

export async function uploadAttachments(row: OutboxRow, deps: UploadDeps): Promise<void> {
  const files = [...(row.attachments ?? [])]
  const save = (changes: Partial<OutboxRow> = {}) =>
    deps.update(row.id, { attachments: [...files], ...changes })
  for (const [i, start] of files.entries()) {
    let file = start
    while (isPending(file)) {
      const index = file.stored
      const chunk = await deps.chunks.get(file.file, index)
      if (!chunk) {
        // The browser evicted the data, or it was never written: say so rather than wait forever.
        files[i] = file = { ...file, refusal: 'missing_on_device' }
        await save()
        break
      }
      try {
        const response = await relayFetch(
          communityUrl(row.community, `/reports/${row.id}/attachments/${file.file}/chunks/${index}`),
          {
            method: 'PUT',
            headers: { 'content-type': 'application/octet-stream', ...deps.noQueueHeader },
            body: chunk.bytes as Uint8Array<ArrayBuffer>,
          },
        )
        const receipt = v.parse(ChunkReceiptSchema, await response.json())
        const hash = toBase64url(await sha256Async(chunk.bytes))
        // As with the report: the relay's promise must be about these exact bytes.
        if (receipt.file !== file.file || receipt.index !== index || receipt.hash !== hash) {
          files[i] = file = { ...file, refusal: 'receipt_mismatch' }
          await save()
          break
        }
        files[i] = file = { ...file, stored: index + 1 }
        await save({ attachmentsAttempts: 0 })
        await deps.chunks.remove(file.file, index)
      } catch (error) {
        if (error instanceof RelayRefusal) {
          files[i] = file = { ...file, refusal: error.code }
          await save()
          break
        }
        if (!worthRetrying(error)) throw error
        const attempts = (row.attachmentsAttempts ?? 0) + 1
        await save({ attachmentsAttempts: attempts, attachmentsRetryAt: deps.retryAt(attempts) })
        return
      }
    }
  }
}
