import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import {
  ATTACHMENT_CHUNK_BYTES,
  attachmentPaddedLength,
  bytesEqual,
  fileKey,
  newAttachmentKey,
  openAttachment,
  sealAttachmentChunks,
  sha256,
  toBase64url,
} from '../crypto'
import {
  type AttachmentRef,
  AttachmentRefSchema,
  AttachmentRefsSchema,
  CHUNK_HEADER_BYTES,
  encodeChunk,
  isPossibleChunkLength,
  MAX_CHUNK_CIPHERTEXT_BYTES,
  parseChunk,
} from './attachment.schema'
import { ProtocolError } from './errors'
import { attachmentLimitOf } from './manifest'
import { decodeReport, encodeReport, type ReportV1 } from './report.schema'
import { DEFAULT_ATTACHMENT_LIMIT_BYTES } from './report-kinds'

const community = 'wiki-example'

function sealed(size: number) {
  const file = Uint8Array.from({ length: size }, (_, i) => (i * 31 + 7) & 255)
  const { fileId, key } = newAttachmentKey()
  return [...sealAttachmentChunks(file, community, fileId, key)].map((c) => encodeChunk({ fileId, ...c }))
}

describe('attachment chunk envelope v1', () => {
  it('parses what it encodes, for every chunk of files of many sizes', () => {
    for (const size of [0, 1, 4096, 4097, ATTACHMENT_CHUNK_BYTES, ATTACHMENT_CHUNK_BYTES + 1, 700_001]) {
      const chunks = sealed(size)
      chunks.forEach((bytes, index) => {
        const chunk = parseChunk(bytes)
        expect(chunk.index).toBe(index)
        expect(chunk.last).toBe(index === chunks.length - 1)
        expect(bytesEqual(encodeChunk(chunk), bytes)).toBe(true)
      })
    }
  })

  it('refuses any byte string that is not a chunk with a ProtocolError, never anything else', () => {
    const valid = sealed(10_000)[0] as Uint8Array
    const mutated = fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }).map(({ at, value }) => {
        const copy = valid.slice(0, CHUNK_HEADER_BYTES + 64)
        copy[at % copy.length] = value
        return copy
      }),
      fc.nat({ max: valid.length }).map((n) => valid.subarray(0, n)),
    )
    fc.assert(
      fc.property(mutated, (bytes) => {
        try {
          parseChunk(bytes)
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError)
          return
        }
        // Whatever parses must re-encode to itself: no two byte strings mean the same chunk.
        expect(bytesEqual(encodeChunk(parseChunk(bytes)), bytes)).toBe(true)
      }),
      { numRuns: 3000 },
    )
  })

  it('names why a chunk is refused', () => {
    const valid = sealed(300_000)
    const first = valid[0] as Uint8Array
    const code = (bytes: Uint8Array) => {
      try {
        parseChunk(bytes)
        return 'accepted'
      } catch (error) {
        return (error as ProtocolError).code
      }
    }
    const withByte = (at: number, value: number) => {
      const copy = first.slice()
      copy[at] = value
      return copy
    }
    expect(code(withByte(0, 0x58))).toBe('invalid_chunk') // magic
    expect(code(withByte(4, 2))).toBe('unsupported_version')
    expect(code(withByte(5, 2))).toBe('invalid_chunk') // unknown flag
    const last = (valid[1] as Uint8Array).slice()
    last[5] = 0
    expect(code(last)).toBe('unpadded_ciphertext') // a short chunk must be the last one
    expect(code(first.subarray(0, first.length - 1))).toBe('unpadded_ciphertext')
    expect(code(withByte(6, 0xff))).toBe('invalid_chunk') // index beyond any file
    expect(code(new Uint8Array(10))).toBe('invalid_chunk')
  })

  it('allows exactly the chunk lengths a padded file has', () => {
    expect(isPossibleChunkLength(0, false, MAX_CHUNK_CIPHERTEXT_BYTES)).toBe(true)
    expect(isPossibleChunkLength(0, false, MAX_CHUNK_CIPHERTEXT_BYTES - 1)).toBe(false)
    expect(isPossibleChunkLength(0, true, 4096 + 16)).toBe(true)
    expect(isPossibleChunkLength(0, true, 4095 + 16)).toBe(false)
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 30 * 1024 * 1024 }), (size) => {
        const padded = attachmentPaddedLength(size)
        const lastIndex = Math.ceil(padded / ATTACHMENT_CHUNK_BYTES) - 1
        const lastLength = padded - lastIndex * ATTACHMENT_CHUNK_BYTES + 16
        expect(isPossibleChunkLength(lastIndex, true, lastLength)).toBe(true)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('attachment frozen vectors (v1): every build must still read what v1 wrote', () => {
  // A 300,000-byte file under a fixed key: two chunks. The hashes pin the chunk layout, the nonce
  // derivation and the padding; the file hash pins what the report would say.
  const file = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 31 + 7) & 255)
  const key = fileKey(new Uint8Array(32).fill(9))
  const fileId = toBase64url(new Uint8Array(16).fill(5))
  const expected = [
    { index: 0, last: false, bytes: 262186, hash: 'Me4LFAeFPkfxffoZfY7mHHsBQUVDw19ByyUC-pdqalE' },
    { index: 1, last: true, bytes: 41002, hash: 'AIXNeYSUhKhPjUDRJojn-4JKA3i05Rjm5aC1ur9jXqg' },
  ]

  it('seals to the frozen chunks and opens them to the file', async () => {
    expect(fileId).toBe('BQUFBQUFBQUFBQUFBQUFBQ')
    const chunks = [...sealAttachmentChunks(file, community, fileId, key)].map((c) =>
      encodeChunk({ fileId, ...c }),
    )
    expect(
      chunks.map((bytes, index) => ({
        index,
        last: parseChunk(bytes).last,
        bytes: bytes.length,
        hash: toBase64url(sha256(bytes)),
      })),
    ).toEqual(expected)
    const secret = { fileId, key, size: file.length, sha256: sha256(file) }
    expect(toBase64url(secret.sha256)).toBe('G7GC9kmnif2hdBKkg56dXdULQGgIm8M0ZV945tt5c3A')
    const opened = await openAttachment(
      chunks.map((c) => parseChunk(c).ciphertext),
      community,
      secret,
    )
    expect(bytesEqual(opened, file)).toBe(true)
  })
})

describe('attachment references in the sealed report', () => {
  const ref: AttachmentRef = {
    id: toBase64url(new Uint8Array(16).fill(1)),
    key: toBase64url(new Uint8Array(32).fill(2)),
    sha256: toBase64url(new Uint8Array(32).fill(3)),
    size: 12_345,
    type: 'image/jpeg',
    name: 'image-1.jpg',
    cleaning: 'reencoded',
    removed: ['location', 'camera'],
  }

  it('round-trips through the report', () => {
    const report: ReportV1 = { v: 1, text: 'See the screenshot.', attachments: [ref] }
    expect(decodeReport(encodeReport(report))).toEqual(report)
  })

  it('refuses bad references: a listed-twice file, unknown metadata, a bad media type, too large', () => {
    const bad = [
      [ref, ref],
      [{ ...ref, removed: ['gps'] }],
      [{ ...ref, type: 'text/html; charset=utf-8' }],
      [{ ...ref, size: 2 ** 40 }],
      [{ ...ref, key: 'short' }],
      [{ ...ref, extra: 1 }],
    ]
    for (const refs of bad) expect(v.safeParse(AttachmentRefsSchema, refs).success).toBe(false)
    expect(v.safeParse(AttachmentRefSchema, ref).success).toBe(true)
  })

  it('defaults the per-report limit to 25 MiB', () => {
    expect(attachmentLimitOf({})).toBe(DEFAULT_ATTACHMENT_LIMIT_BYTES)
    expect(DEFAULT_ATTACHMENT_LIMIT_BYTES).toBe(25 * 1024 * 1024)
    expect(attachmentLimitOf({ attachmentLimitBytes: 0 })).toBe(0)
  })
})
