import * as v from 'valibot'
import { attachmentChunkCount, CryptoError, fileKey, openAttachment } from '../../../shared/crypto'
import {
  type AttachmentRef,
  decodeField,
  ProtocolError,
  parseChunk,
  StoredChunksSchema,
} from '../../../shared/protocol'
import { communityUrl, relayFetch, relayJson } from './relay'
import { authorized } from './session'
import { requireOpen } from './vault'

/**
 * Browser only. A case's attachments, fetched and decrypted on demand on this device: the file key
 * and hash come from inside the sealed report, the chunks from the relay. Anything that does not
 * check out is an AttachmentDamaged naming the reason, never a silently wrong file.
 */

export type AttachmentProblem =
  /** Later chunks have not reached the relay yet: the complainant's device may still be sending. */
  | { readonly kind: 'incomplete'; readonly have: number; readonly total: number }
  /** A chunk before the last one that arrived is missing: the relay lost or withheld it. */
  | { readonly kind: 'missing'; readonly part: number }
  /** A chunk that does not open in its place: altered, swapped, reordered or from another file. */
  | { readonly kind: 'altered'; readonly part: number }
  /** Every chunk opened but the file is not the one the report names, or its padding was changed. */
  | { readonly kind: 'mismatch' }

export class AttachmentDamaged extends Error {
  constructor(readonly problem: AttachmentProblem) {
    super(`attachment damaged: ${problem.kind}`)
    this.name = 'AttachmentDamaged'
  }
}

export async function openCaseAttachment(caseId: string, ref: AttachmentRef): Promise<Uint8Array> {
  const { community } = requireOpen()
  const base = `/reports/${caseId}/attachments`
  const listed = v.parse(
    StoredChunksSchema,
    await relayJson(communityUrl(community, base), { headers: await authorized() }),
  )
  const total = attachmentChunkCount(ref.size)
  const present = new Set(listed.chunks.filter((c) => c.file === ref.id).map((c) => c.index))
  const highest = Math.max(-1, ...present)
  for (let index = 0; index < Math.min(highest, total); index++) {
    if (!present.has(index)) throw new AttachmentDamaged({ kind: 'missing', part: index + 1 })
  }
  if (highest < total - 1) throw new AttachmentDamaged({ kind: 'incomplete', have: present.size, total })
  const ciphertexts: Uint8Array[] = []
  for (let index = 0; index < total; index++) {
    const response = await relayFetch(communityUrl(community, `${base}/${ref.id}/chunks/${index}`), {
      headers: await authorized(),
    })
    let chunk: ReturnType<typeof parseChunk>
    try {
      chunk = parseChunk(new Uint8Array(await response.arrayBuffer()))
    } catch (error) {
      if (error instanceof ProtocolError) throw new AttachmentDamaged({ kind: 'altered', part: index + 1 })
      throw error
    }
    // The header is only a label; the nonce binding in openAttachment is what proves the place.
    if (chunk.fileId !== ref.id || chunk.index !== index) {
      throw new AttachmentDamaged({ kind: 'altered', part: index + 1 })
    }
    ciphertexts.push(chunk.ciphertext)
  }
  try {
    return await openAttachment(ciphertexts, community, {
      fileId: ref.id,
      key: fileKey(decodeField(ref.key)),
      size: ref.size,
      sha256: decodeField(ref.sha256),
    })
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error
    if (error.code === 'chunk_failed' || error.code === 'bad_chunk') {
      throw new AttachmentDamaged({ kind: 'altered', part: (error.chunk ?? 0) + 1 })
    }
    throw new AttachmentDamaged({ kind: 'mismatch' })
  }
}
