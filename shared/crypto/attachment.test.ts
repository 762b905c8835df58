import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ATTACHMENT_CHUNK_BYTES,
  type AttachmentSecret,
  attachmentChunkCount,
  attachmentChunkLength,
  attachmentPaddedLength,
  MAX_ATTACHMENT_BYTES,
  MIN_ATTACHMENT_PADDED_BYTES,
  newAttachmentKey,
  openAttachment,
  sealAttachmentChunk,
  sealAttachmentChunks,
} from './attachment'
import { bytesEqual } from './bytes'
import { CryptoError, CryptoErrorCode } from './errors'
import { sha256 } from './hash'
import { pseudoRandomBytes } from './test-bytes'

const community = 'wiki-example'

// Sizes around the chunk boundaries matter most; random sizes up to 1.5 MiB cover the rest.
const size = fc.oneof(
  fc.integer({ min: 0, max: 5000 }),
  fc
    .integer({ min: 1, max: 6 })
    .chain((n) => fc.integer({ min: -3, max: 3 }).map((d) => Math.max(0, n * ATTACHMENT_CHUNK_BYTES + d))),
  fc.integer({ min: 0, max: 1.5 * 1024 * 1024 }),
)

function sealFile(file: Uint8Array, where = community) {
  const { fileId, key } = newAttachmentKey()
  const chunks = [...sealAttachmentChunks(file, where, fileId, key)]
  const secret: AttachmentSecret = { fileId, key, size: file.length, sha256: sha256(file) }
  return { secret, chunks: chunks.map((c) => c.ciphertext), meta: chunks }
}

async function refusal(promise: Promise<unknown>): Promise<CryptoError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof CryptoError) return error
    throw new Error(`untyped failure: ${String(error)}`)
  }
  throw new Error('opened although it must not')
}

describe('attachment padding (Padmé)', () => {
  it('never shrinks a file, costs at most 12 % above the minimum, and is a fixed point', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_ATTACHMENT_BYTES }), (n) => {
        const padded = attachmentPaddedLength(n)
        expect(padded).toBeGreaterThanOrEqual(Math.max(n, MIN_ATTACHMENT_PADDED_BYTES))
        if (n > MIN_ATTACHMENT_PADDED_BYTES) expect(padded / n).toBeLessThanOrEqual(1.12)
        expect(attachmentPaddedLength(Math.min(padded, MAX_ATTACHMENT_BYTES))).toBe(padded)
      }),
      { numRuns: 2000 },
    )
  })

  it('leaves far fewer distinct sizes than bytes: 10 MiB..11 MiB falls in a handful of buckets', () => {
    const buckets = new Set<number>()
    for (let n = 10 * 2 ** 20; n <= 11 * 2 ** 20; n += 997) buckets.add(attachmentPaddedLength(n))
    expect(buckets.size).toBeLessThanOrEqual(8)
  })

  it('refuses sizes outside 0..MAX_ATTACHMENT_BYTES with a typed error', () => {
    for (const bad of [-1, 1.5, MAX_ATTACHMENT_BYTES + 1, Number.NaN]) {
      expect(() => attachmentPaddedLength(bad)).toThrow(CryptoError)
    }
  })
})

describe('sealed attachments', () => {
  it('open to the same bytes, with chunk lengths the size predicts', async () => {
    await fc.assert(
      fc.asyncProperty(size, fc.integer(), async (n, seed) => {
        const file = pseudoRandomBytes(n, seed)
        const { secret, chunks, meta } = sealFile(file)
        expect(chunks.length).toBe(attachmentChunkCount(n))
        chunks.forEach((c, i) => {
          expect(c.length).toBe(attachmentChunkLength(n, i))
          expect(meta[i]?.last).toBe(i === chunks.length - 1)
        })
        const total = chunks.reduce((sum, c) => sum + c.length - 16, 0)
        expect(total).toBe(attachmentPaddedLength(n))
        // bytesEqual, not toEqual: deep equality of megabyte arrays is what would take the time.
        expect(bytesEqual(await openAttachment(chunks, community, secret), file)).toBe(true)
      }),
      { numRuns: 60 },
    )
  })

  it('re-seals any one chunk to the same bytes (a resumed upload is an idempotent retry)', () => {
    const file = pseudoRandomBytes(3 * ATTACHMENT_CHUNK_BYTES + 17, 7)
    const { fileId, key } = newAttachmentKey()
    const all = [...sealAttachmentChunks(file, community, fileId, key)]
    all.forEach((c) => {
      expect(bytesEqual(sealAttachmentChunk(file, community, fileId, key, c.index), c.ciphertext)).toBe(true)
    })
    expect(() => sealAttachmentChunk(file, community, fileId, key, all.length)).toThrow(CryptoError)
  })

  it('refuses any single flipped bit in any chunk', async () => {
    const file = pseudoRandomBytes(2 * ATTACHMENT_CHUNK_BYTES + 100, 3)
    const { secret, chunks } = sealFile(file)
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: chunks.length - 1 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        async (which, at, bit) => {
          const damaged = chunks.map((c) => c.slice())
          const chunk = damaged[which] as Uint8Array
          chunk[at % chunk.length] = (chunk[at % chunk.length] as number) ^ (1 << bit)
          const error = await refusal(openAttachment(damaged, community, secret))
          expect(error.code).toBe(CryptoErrorCode.chunkFailed)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('refuses swapped, reordered, dropped, duplicated and foreign chunks, saying why', async () => {
    const file = pseudoRandomBytes(4 * ATTACHMENT_CHUNK_BYTES + 5000, 11)
    const { secret, chunks } = sealFile(file)
    const other = sealFile(pseudoRandomBytes(file.length, 12))
    const [a, b, c, d, e] = chunks as [Uint8Array, Uint8Array, Uint8Array, Uint8Array, Uint8Array]
    const cases: [string, Uint8Array[], CryptoErrorCode][] = [
      ['swapped', [b, a, c, d, e], CryptoErrorCode.chunkFailed],
      ['reordered', [a, c, b, d, e], CryptoErrorCode.chunkFailed],
      ['last one dropped', [a, b, c, d], CryptoErrorCode.attachmentIncomplete],
      ['middle one dropped', [a, b, d, e], CryptoErrorCode.attachmentIncomplete],
      ['one repeated', [a, b, b, d, e], CryptoErrorCode.chunkFailed],
      ['one extra', [a, b, c, d, e, e], CryptoErrorCode.badChunk],
      ['from another file', [a, b, other.chunks[2] as Uint8Array, d, e], CryptoErrorCode.chunkFailed],
      // A full chunk moved to the end fails on its length before anything is decrypted.
      ['full chunk as the last', [a, b, c, d, d], CryptoErrorCode.badChunk],
    ]
    for (const [what, list, code] of cases) {
      const error = await refusal(openAttachment(list, community, secret))
      expect(error.code, what).toBe(code)
      expect(error.message.length, what).toBeGreaterThan(0)
    }
  })

  it('refuses a file cut short at a chunk boundary: no chunk opens as the last one', async () => {
    const file = pseudoRandomBytes(3 * ATTACHMENT_CHUNK_BYTES, 5)
    const { secret, chunks } = sealFile(file)
    // The relay drops the last chunk and the size claim cannot be changed (it is sealed in the
    // report); even a device that trusted a shorter claim finds no chunk that opens as the last.
    expect((await refusal(openAttachment(chunks.slice(0, 2), community, secret))).code).toBe(
      CryptoErrorCode.attachmentIncomplete,
    )
    const shorter = { ...secret, size: 2 * ATTACHMENT_CHUNK_BYTES - 1000 }
    const error = await refusal(openAttachment(chunks.slice(0, 2), community, shorter))
    expect([CryptoErrorCode.chunkFailed, CryptoErrorCode.badChunk]).toContain(error.code)
  })

  it('refuses the right chunks in another community, under another key, or against another hash', async () => {
    const file = pseudoRandomBytes(70_000, 9)
    const { secret, chunks } = sealFile(file)
    expect((await refusal(openAttachment(chunks, 'other-community', secret))).code).toBe(
      CryptoErrorCode.chunkFailed,
    )
    const wrongKey = { ...secret, key: newAttachmentKey().key }
    expect((await refusal(openAttachment(chunks, community, wrongKey))).code).toBe(
      CryptoErrorCode.chunkFailed,
    )
    const wrongHash = { ...secret, sha256: sha256(new Uint8Array([1])) }
    expect((await refusal(openAttachment(chunks, community, wrongHash))).code).toBe(
      CryptoErrorCode.attachmentHashMismatch,
    )
    // A smaller size claim inside the same padded length finds non-zero "padding".
    const smaller = { ...secret, size: file.length - 10 }
    expect((await refusal(openAttachment(chunks, community, smaller))).code).toBe(CryptoErrorCode.badPadding)
  })
})
