import * as v from 'valibot'
import {
  ATTACHMENT_CHUNK_BYTES,
  attachmentPaddedLength,
  FILE_ID_BYTES,
  FILE_KEY_BYTES,
  fromBase64url,
  MAX_ATTACHMENT_BYTES,
  toBase64url,
  u32be,
  utf8,
} from '../crypto'
import { ReceiptLogSchema } from './api.schema'
import { CLEANING, STRIPPED_METADATA } from './attachment-kinds'
import { ProtocolError } from './errors'
import { b64, displayText } from './fields'

/**
 * Attachments on the wire (docs/protocol.md 7.12). A file travels as chunks, each a small binary
 * envelope of kind "attachment chunk"; what the file is (its key, size, hash, type and the
 * metadata stripped from it) travels only inside the sealed report, as an AttachmentRef.
 *
 * Chunk envelope v1, binary (must not change):
 *   magic "HRDC" (4) | version u8 = 1 | flags u8 (bit 0: last chunk) | index u32 BE | file id (16) | ciphertext
 * The ciphertext is shared/crypto sealChunk output: the community, file id, index and last flag are
 * bound into its nonce, so the header cannot be edited without the chunk failing to open.
 */
export const CHUNK_MAGIC = 'HRDC'
export const CHUNK_VERSION = 1
export const CHUNK_HEADER_BYTES = 4 + 1 + 1 + 4 + FILE_ID_BYTES
/** The largest chunk ciphertext: a full chunk and its Poly1305 tag. */
export const MAX_CHUNK_CIPHERTEXT_BYTES = ATTACHMENT_CHUNK_BYTES + 16
export const MAX_CHUNK_ENVELOPE_BYTES = CHUNK_HEADER_BYTES + MAX_CHUNK_CIPHERTEXT_BYTES
/** Files one report may carry (the community's byte limit usually binds first). */
export const MAX_ATTACHMENTS_PER_REPORT = 20
/** The most chunks one file can have under the protocol's size cap. */
export const MAX_CHUNK_INDEX =
  Math.ceil(attachmentPaddedLength(MAX_ATTACHMENT_BYTES) / ATTACHMENT_CHUNK_BYTES) - 1

export interface AttachmentChunk {
  readonly fileId: string
  readonly index: number
  readonly last: boolean
  readonly ciphertext: Uint8Array
}

const MAGIC_BYTES = utf8(CHUNK_MAGIC)

export function encodeChunk(chunk: AttachmentChunk): Uint8Array {
  const id = fromBase64url(chunk.fileId)
  if (id?.length !== FILE_ID_BYTES) throw new ProtocolError('invalid_file')
  const out = new Uint8Array(CHUNK_HEADER_BYTES + chunk.ciphertext.length)
  out.set(MAGIC_BYTES, 0)
  out[4] = CHUNK_VERSION
  out[5] = chunk.last ? 1 : 0
  out.set(u32be(chunk.index), 6)
  out.set(id, 10)
  out.set(chunk.ciphertext, CHUNK_HEADER_BYTES)
  return out
}

/**
 * Untrusted bytes → a chunk envelope whose shape is possible: right magic and version, known flags,
 * an index in range, a ciphertext length a padded file can have at that place. Whether it opens is
 * for the broker's device to find out; the relay uses this to refuse garbage before storing it.
 */
export function parseChunk(bytes: Uint8Array): AttachmentChunk {
  if (bytes.length < CHUNK_HEADER_BYTES + 16 + 1) throw new ProtocolError('invalid_chunk')
  for (let i = 0; i < 4; i++) if (bytes[i] !== MAGIC_BYTES[i]) throw new ProtocolError('invalid_chunk')
  if (bytes[4] !== CHUNK_VERSION) throw new ProtocolError('unsupported_version')
  const flags = bytes[5] as number
  if (flags > 1) throw new ProtocolError('invalid_chunk')
  const index = new DataView(bytes.buffer, bytes.byteOffset + 6, 4).getUint32(0)
  if (index > MAX_CHUNK_INDEX) throw new ProtocolError('invalid_chunk')
  const ciphertext = bytes.subarray(CHUNK_HEADER_BYTES)
  const last = flags === 1
  if (!isPossibleChunkLength(index, last, ciphertext.length)) throw new ProtocolError('unpadded_ciphertext')
  return { fileId: toBase64url(bytes.subarray(10, CHUNK_HEADER_BYTES)), index, last, ciphertext }
}

/**
 * A chunk that is not last is always full. A last chunk must end the file at a padded length, so
 * the relay never stores a file whose size was not padded.
 */
export function isPossibleChunkLength(index: number, last: boolean, ciphertextLength: number): boolean {
  if (ciphertextLength > MAX_CHUNK_CIPHERTEXT_BYTES || ciphertextLength <= 16) return false
  if (!last) return ciphertextLength === MAX_CHUNK_CIPHERTEXT_BYTES
  const padded = index * ATTACHMENT_CHUNK_BYTES + ciphertextLength - 16
  if (padded > attachmentPaddedLength(MAX_ATTACHMENT_BYTES)) return false
  // Padmé lengths are fixed points: padding a padded length changes nothing.
  return attachmentPaddedLength(Math.min(padded, MAX_ATTACHMENT_BYTES)) === padded
}

/** A file id in a URL: 16 bytes as canonical base64url. */
export const isFileId = (text: string): boolean => fromBase64url(text)?.length === FILE_ID_BYTES

export { CLEANING, type Cleaning, STRIPPED_METADATA, type StrippedMetadata } from './attachment-kinds'

export const AttachmentRefSchema = v.strictObject({
  id: b64(FILE_ID_BYTES),
  key: b64(FILE_KEY_BYTES),
  /** SHA-256 of the file as sent (after cleaning). */
  sha256: b64(32),
  size: v.pipe(
    v.number('expected a number'),
    v.safeInteger('expected an integer'),
    v.minValue(0, 'negative'),
    v.maxValue(MAX_ATTACHMENT_BYTES, 'too large'),
  ),
  type: v.pipe(
    v.string('expected a string'),
    v.maxLength(100, 'too long'),
    v.regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, 'not a media type'),
  ),
  /** A neutral name ("image-1.jpg") unless the person chose to keep the original one. */
  name: displayText(255),
  cleaning: v.picklist(CLEANING, 'unknown cleaning'),
  removed: v.optional(
    v.pipe(
      v.array(v.picklist(STRIPPED_METADATA, 'unknown metadata kind'), 'expected an array'),
      v.maxLength(STRIPPED_METADATA.length, 'too many'),
    ),
  ),
})
export type AttachmentRef = v.InferOutput<typeof AttachmentRefSchema>

export const AttachmentRefsSchema = v.pipe(
  v.array(AttachmentRefSchema, 'expected an array'),
  v.maxLength(MAX_ATTACHMENTS_PER_REPORT, 'too many attachments'),
  v.check((refs) => new Set(refs.map((r) => r.id)).size === refs.length, 'an attachment is listed twice'),
)

/** A chunk the relay holds, as GET …/attachments lists it for brokers. */
export const StoredChunkSchema = v.strictObject({
  file: b64(FILE_ID_BYTES),
  index: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(MAX_CHUNK_INDEX)),
  last: v.boolean(),
  /** Ciphertext bytes (without the chunk header). */
  bytes: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(MAX_CHUNK_CIPHERTEXT_BYTES)),
  /** base64url SHA-256 of the whole chunk envelope: what the transparency log commits to. */
  hash: b64(32),
  receivedAt: v.string(),
})
export type StoredChunk = v.InferOutput<typeof StoredChunkSchema>

export const StoredChunksSchema = v.strictObject({
  chunks: v.array(StoredChunkSchema),
})

/** What a chunk PUT answers: where it is and whether this exact chunk was already there. */
export const ChunkReceiptSchema = v.strictObject({
  file: b64(FILE_ID_BYTES),
  index: v.number(),
  hash: b64(32),
  receivedAt: v.string(),
  /**
   * The chunk's leaf in the community's transparency log (kind `attachment-chunk`, over `hash`),
   * as a report receipt carries its own (docs/protocol.md 7.10, 7.12).
   */
  log: v.optional(ReceiptLogSchema),
})
export type ChunkReceipt = v.InferOutput<typeof ChunkReceiptSchema>
