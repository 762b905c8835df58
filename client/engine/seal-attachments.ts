import {
  attachmentChunkCount,
  attachmentPaddedLength,
  type FileKey,
  newAttachmentKey,
  sealAttachmentChunks,
  sha256Async,
  toBase64url,
} from '../../shared/crypto'
import { type AttachmentRef, type Cleaning, encodeChunk, type StrippedMetadata } from '../../shared/protocol'
import type { AttachmentUpload, ChunkRow } from './db'

/** A file as the compose screen hands it over: already cleaned of metadata on this device. */
export interface EvidenceFile {
  readonly bytes: Uint8Array
  readonly type: string
  /** The name inside the sealed report: neutral unless the person chose to keep the original. */
  readonly name: string
  readonly cleaning: Cleaning
  readonly removed: readonly StrippedMetadata[]
}

export interface PreparedAttachment {
  readonly file: EvidenceFile
  readonly ref: AttachmentRef
  readonly key: FileKey
}

/** The bytes a set of files takes at the relay once padded: what the community's limit counts. */
export const paddedTotal = (sizes: readonly number[]): number =>
  sizes.reduce((sum, size) => sum + attachmentPaddedLength(size), 0)

/** Give each file its id, key and hash: what the sealed report will say about it. */
export async function prepareAttachments(files: readonly EvidenceFile[]): Promise<PreparedAttachment[]> {
  return Promise.all(
    files.map(async (file) => {
      const { fileId, key } = newAttachmentKey()
      const ref: AttachmentRef = {
        id: fileId,
        key: toBase64url(key),
        sha256: toBase64url(await sha256Async(file.bytes)),
        size: file.bytes.length,
        type: file.type,
        name: file.name,
        cleaning: file.cleaning,
        ...(file.removed.length > 0 ? { removed: [...file.removed] } : {}),
      }
      return { file, ref, key }
    }),
  )
}

/**
 * Seal every chunk of every file for the report `report`, ready to keep until sent. Yields to the
 * event loop between chunks so a 25 MiB upload does not freeze the page while it is sealed.
 */
export async function sealAttachmentRows(
  prepared: readonly PreparedAttachment[],
  community: string,
  report: string,
): Promise<ChunkRow[]> {
  const rows: ChunkRow[] = []
  for (const { file, ref, key } of prepared) {
    for (const chunk of sealAttachmentChunks(file.bytes, community, ref.id, key)) {
      rows.push({
        file: ref.id,
        index: chunk.index,
        report,
        bytes: encodeChunk({ fileId: ref.id, ...chunk }),
      })
      if (chunk.index % 8 === 7) await new Promise((resolve) => setTimeout(resolve, 0))
    }
  }
  return rows
}

/**
 * What this device tracks per file while it uploads. It shows the name the report carries (neutral
 * unless kept), so an original file name is never written to the device by sending.
 */
export const uploadOf = (prepared: PreparedAttachment): AttachmentUpload => ({
  file: prepared.ref.id,
  name: prepared.ref.name,
  type: prepared.ref.type,
  size: prepared.ref.size,
  chunks: attachmentChunkCount(prepared.ref.size),
  stored: 0,
})
