import nacl from 'tweetnacl'
import { bytesEqual, lengthPrefixed, toBase64url, u32be } from './bytes'
import { NONCE_BYTES } from './envelope'
import { CryptoError, CryptoErrorCode } from './errors'
import { domainHash, sha256Async } from './hash'
import { randomBytes } from './random'

/**
 * Attachments: each file is encrypted under a key of its own, in chunks, so a 25 MiB screenshot
 * folder can be sent piece by piece over a bad connection and resumed after a reload. The file key,
 * the file's id, size and SHA-256 travel inside the sealed report; the relay only ever holds chunks.
 *
 * Chunking follows the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015): every chunk's
 * nonce is derived from the community, the file id, the chunk's index and a last-chunk flag, so a
 * chunk opens only at its own place in its own file, and a file cut short after a full chunk fails
 * (no chunk that opens as "last" is left). Nonces are deterministic, so re-sealing the same chunk
 * after a reload gives the same bytes and an upload retry is idempotent at the relay. The key is
 * fresh per file and never reused, which is what makes deterministic nonces safe.
 *
 * Layout of the chunk plaintexts (v1, must not change): the file's bytes followed by zeros up to
 * attachmentPaddedLength(size), cut into ATTACHMENT_CHUNK_BYTES pieces (the last one shorter).
 */

export const ATTACHMENT_CHUNK_BYTES = 256 * 1024
export const FILE_ID_BYTES = 16
export const FILE_KEY_BYTES = 32
const MAC_BYTES = 16
/** The largest file the protocol can carry; a community's own limit is lower (25 MiB by default). */
export const MAX_ATTACHMENT_BYTES = 128 * 1024 * 1024
/** Files below this are padded up to it: a one-line text file looks like a small screenshot. */
export const MIN_ATTACHMENT_PADDED_BYTES = 4096

export type FileKey = Uint8Array & { readonly __fileKey: true }

/** A fresh file: its random id (base64url) and key. */
export function newAttachmentKey(): { readonly fileId: string; readonly key: FileKey } {
  return { fileId: toBase64url(randomBytes(FILE_ID_BYTES)), key: randomBytes(FILE_KEY_BYTES) as FileKey }
}

export function fileKey(bytes: Uint8Array): FileKey {
  if (bytes.length !== FILE_KEY_BYTES)
    throw new CryptoError(CryptoErrorCode.invalidKey, 'A file key is 32 bytes')
  return bytes as FileKey
}

/**
 * The padded length of a file of `size` bytes: Padmé (Nikitin et al., "Reducing Metadata Leakage
 * from Encrypted Files and Communication with PURBs", PETS 2019). It keeps the top bits of the
 * length and zeroes the rest, so the stored size leaks O(log log size) bits for at most 12 % of
 * padding — power-of-two buckets would cost up to 100 % on a 25 MiB upload.
 */
export function attachmentPaddedLength(size: number): number {
  if (!Number.isSafeInteger(size) || size < 0 || size > MAX_ATTACHMENT_BYTES) {
    throw new CryptoError(CryptoErrorCode.tooLarge, `A file holds 0 to ${MAX_ATTACHMENT_BYTES} bytes`)
  }
  if (size <= MIN_ATTACHMENT_PADDED_BYTES) return MIN_ATTACHMENT_PADDED_BYTES
  const e = Math.floor(Math.log2(size))
  const s = Math.floor(Math.log2(e)) + 1
  const lastBits = e - s
  const mask = 2 ** lastBits - 1
  return Math.floor((size + mask) / 2 ** lastBits) * 2 ** lastBits
}

/** How many chunks a file of `size` bytes is sent in. */
export const attachmentChunkCount = (size: number): number =>
  Math.ceil(attachmentPaddedLength(size) / ATTACHMENT_CHUNK_BYTES)

/** The ciphertext length of chunk `index` of a file of `size` bytes. */
export function attachmentChunkLength(size: number, index: number): number {
  const padded = attachmentPaddedLength(size)
  const count = Math.ceil(padded / ATTACHMENT_CHUNK_BYTES)
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new CryptoError(CryptoErrorCode.badChunk, 'No such chunk in this file', index)
  }
  const plain = index < count - 1 ? ATTACHMENT_CHUNK_BYTES : padded - ATTACHMENT_CHUNK_BYTES * (count - 1)
  return plain + MAC_BYTES
}

/** Where a chunk belongs: bound into its nonce, so a chunk opens nowhere else. */
export interface ChunkPlace {
  readonly community: string
  readonly fileId: string
  readonly index: number
  readonly last: boolean
}

function chunkNonce(place: ChunkPlace): Uint8Array {
  return domainHash(
    'heard/attachment-chunk/v1',
    lengthPrefixed(place.community),
    lengthPrefixed(place.fileId),
    u32be(place.index),
    new Uint8Array([place.last ? 1 : 0]),
  ).subarray(0, NONCE_BYTES)
}

/** Encrypt one chunk's plaintext (already cut and padded by sealAttachmentChunks). */
export function sealChunk(plaintext: Uint8Array, place: ChunkPlace, key: FileKey): Uint8Array {
  return nacl.secretbox(plaintext, chunkNonce(place), key)
}

/** Decrypt one chunk; a chunk moved to another index, file or community, or a flipped bit, fails. */
export function openChunk(ciphertext: Uint8Array, place: ChunkPlace, key: FileKey): Uint8Array {
  const plain = nacl.secretbox.open(ciphertext, chunkNonce(place), key)
  if (!plain) {
    throw new CryptoError(
      CryptoErrorCode.chunkFailed,
      `Chunk ${place.index + 1} failed authentication`,
      place.index,
    )
  }
  return plain
}

/** What the sealed report says about a file: enough to fetch, decrypt and check every chunk. */
export interface AttachmentSecret {
  readonly fileId: string
  readonly key: FileKey
  readonly size: number
  /** SHA-256 of the file's bytes (after metadata was stripped). */
  readonly sha256: Uint8Array
}

/**
 * Cut, pad and encrypt a file. Yields chunks one at a time so a 25 MiB file never needs its whole
 * ciphertext in memory at once, and the caller can store each chunk before making the next.
 */
export function* sealAttachmentChunks(
  file: Uint8Array,
  community: string,
  fileId: string,
  key: FileKey,
): Generator<{ readonly index: number; readonly last: boolean; readonly ciphertext: Uint8Array }> {
  const count = attachmentChunkCount(file.length)
  for (let index = 0; index < count; index++) {
    yield {
      index,
      last: index === count - 1,
      ciphertext: sealAttachmentChunk(file, community, fileId, key, index),
    }
  }
}

/** The ciphertext of one chunk of a file, computed on its own (a resumed upload re-makes only what is missing). */
export function sealAttachmentChunk(
  file: Uint8Array,
  community: string,
  fileId: string,
  key: FileKey,
  index: number,
): Uint8Array {
  attachmentChunkLength(file.length, index) // refuses an index outside the file
  const count = attachmentChunkCount(file.length)
  const padded = attachmentPaddedLength(file.length)
  const start = index * ATTACHMENT_CHUNK_BYTES
  const end = Math.min(start + ATTACHMENT_CHUNK_BYTES, padded)
  const plain = new Uint8Array(end - start)
  if (start < file.length) plain.set(file.subarray(start, Math.min(end, file.length)))
  const last = index === count - 1
  return sealChunk(plain, { community, fileId, index, last }, key)
}

/**
 * Decrypt and reassemble a whole file from its chunks, in index order, and check it against what
 * the sealed report promised: the number and sizes of the chunks, authentication of each, zero
 * padding, and the SHA-256 of the result. Every refusal is a CryptoError whose message says which
 * check failed, so a damaged attachment is explained and never shown as a silently wrong file.
 */
export async function openAttachment(
  chunks: readonly Uint8Array[],
  community: string,
  secret: AttachmentSecret,
): Promise<Uint8Array> {
  const count = attachmentChunkCount(secret.size)
  if (chunks.length < count) {
    throw new CryptoError(
      CryptoErrorCode.attachmentIncomplete,
      `${count - chunks.length} of ${count} chunks are missing`,
    )
  }
  if (chunks.length > count) {
    throw new CryptoError(
      CryptoErrorCode.badChunk,
      `The file has ${chunks.length} chunks where ${count} were sent`,
    )
  }
  const padded = new Uint8Array(attachmentPaddedLength(secret.size))
  for (let index = 0; index < count; index++) {
    const ciphertext = chunks[index] as Uint8Array
    if (ciphertext.length !== attachmentChunkLength(secret.size, index)) {
      throw new CryptoError(CryptoErrorCode.badChunk, `Chunk ${index + 1} has the wrong length`, index)
    }
    const place = { community, fileId: secret.fileId, index, last: index === count - 1 }
    padded.set(openChunk(ciphertext, place, secret.key), index * ATTACHMENT_CHUNK_BYTES)
  }
  for (let i = secret.size; i < padded.length; i++) {
    if (padded[i] !== 0) throw new CryptoError(CryptoErrorCode.badPadding, 'The padding is not zeros')
  }
  const file = padded.subarray(0, secret.size)
  if (!bytesEqual(await sha256Async(file), secret.sha256)) {
    throw new CryptoError(CryptoErrorCode.attachmentHashMismatch, 'The file does not match its hash')
  }
  return file
}
