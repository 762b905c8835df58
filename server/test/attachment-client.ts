import {
  type BoxPublicKey,
  newAttachmentKey,
  seal,
  sealAttachmentChunks,
  sha256,
  toBase64url,
} from '../../shared/crypto'
import {
  API_PREFIX,
  type AttachmentRef,
  type ChunkReceipt,
  EnvelopeKind,
  type EnvelopeV1Json,
  encodeChunk,
  encodeReport,
  envelopeToJson,
} from '../../shared/protocol'
import type { RelayFetch } from './mailbox-client'

/**
 * Attachments driven the way the app does it, over HTTP (docs/protocol.md 7.12): seal a file into
 * chunk envelopes, send the report that names it, then PUT each chunk. For integration tests (pass
 * the relay app's `request` as `fetch`) and tests of a running relay (the global fetch).
 */

/** A file sealed for a community: its reference (for inside the report) and its chunk envelopes. */
export interface SealedFile {
  readonly ref: AttachmentRef
  /** The chunk envelopes, in index order, each exactly what the app PUTs. */
  readonly chunks: readonly Uint8Array[]
}

export function sealFile(
  community: string,
  file: Uint8Array,
  options: { type?: string; name?: string } = {},
): SealedFile {
  const { fileId, key } = newAttachmentKey()
  const chunks = [...sealAttachmentChunks(file, community, fileId, key)].map((c) =>
    encodeChunk({ fileId, ...c }),
  )
  return {
    ref: {
      id: fileId,
      key: toBase64url(key),
      sha256: toBase64url(sha256(file)),
      size: file.length,
      type: options.type ?? 'text/plain',
      name: options.name ?? 'evidence-1.txt',
      cleaning: 'nothing-to-remove',
    },
    chunks,
  }
}

/** A report envelope whose plaintext is a ReportV1 naming `attachments`, sealed to `recipients`. */
export async function sealReportWithAttachments(input: {
  community: string
  recipients: readonly BoxPublicKey[]
  text: string
  attachments: readonly AttachmentRef[]
}): Promise<EnvelopeV1Json> {
  const plaintext = encodeReport({ v: 1, text: input.text, attachments: [...input.attachments] })
  const sealed = await seal(plaintext, input.recipients, {
    version: 1,
    kind: EnvelopeKind.report,
    community: input.community,
  })
  return envelopeToJson(sealed)
}

export const attachmentsUrl = (baseUrl: string, community: string, report: string): string =>
  `${baseUrl}${API_PREFIX}/communities/${community}/reports/${report}/attachments`

export const chunkUrl = (
  baseUrl: string,
  community: string,
  report: string,
  file: string,
  index: number | string,
): string => `${attachmentsUrl(baseUrl, community, report)}/${file}/chunks/${index}`

/** The PUT of one chunk envelope, as the app sends it. */
export const chunkPut = (bytes: Uint8Array, headers: Record<string, string> = {}): RequestInit => ({
  method: 'PUT',
  headers: { 'content-type': 'application/octet-stream', ...headers },
  body: bytes as Uint8Array<ArrayBuffer>,
})

/** PUT every chunk of a file, in order; throws on an answer other than 201 (or 200 for a retry). */
export async function putFile(input: {
  baseUrl: string
  fetch?: RelayFetch
  community: string
  report: string
  file: SealedFile
}): Promise<ChunkReceipt[]> {
  const fetcher = input.fetch ?? fetch
  const receipts: ChunkReceipt[] = []
  for (const [index, bytes] of input.file.chunks.entries()) {
    const res = await fetcher(
      chunkUrl(input.baseUrl, input.community, input.report, input.file.ref.id, index),
      chunkPut(bytes),
    )
    if (res.status !== 201 && res.status !== 200) {
      throw new Error(`chunk ${index} refused: ${res.status} ${await res.text()}`)
    }
    receipts.push((await res.json()) as ChunkReceipt)
  }
  return receipts
}

/** Read a file's chunk envelopes back as a broker; throws on anything but 200. */
export async function readFileChunks(input: {
  baseUrl: string
  fetch?: RelayFetch
  community: string
  report: string
  file: string
  count: number
  token: string
}): Promise<Uint8Array[]> {
  const fetcher = input.fetch ?? fetch
  const out: Uint8Array[] = []
  for (let index = 0; index < input.count; index++) {
    const res = await fetcher(chunkUrl(input.baseUrl, input.community, input.report, input.file, index), {
      headers: { authorization: `Bearer ${input.token}` },
    })
    if (res.status !== 200) throw new Error(`chunk ${index} not read: ${res.status} ${await res.text()}`)
    out.push(new Uint8Array(await res.arrayBuffer()))
  }
  return out
}
