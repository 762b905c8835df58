import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  bytesEqual,
  fileKey,
  fromBase64url,
  open,
  openAttachment,
  randomBytes,
  type SignKeyPair,
  sha256,
  toBase64url,
} from '../../shared/crypto'
import { logLeafHash, verifyInclusion, verifyTreeHead } from '../../shared/log'
import {
  CHUNK_HEADER_BYTES,
  type ChunkReceipt,
  ChunkReceiptSchema,
  decodeReport,
  type EnvelopeV1Json,
  ERRORS,
  type ErrorCode,
  encodeChunk,
  envelopeFromJson,
  isPossibleChunkLength,
  MAX_CHUNK_CIPHERTEXT_BYTES,
  MAX_CHUNK_ENVELOPE_BYTES,
  MAX_CHUNK_INDEX,
  parseChunk,
  StoredChunksSchema,
  signManifest,
} from '../../shared/protocol'
import { createApp, type RelayApp } from '../app'
import { silentLogger } from '../log'
import {
  attachmentsUrl,
  chunkPut,
  chunkUrl,
  putFile,
  type SealedFile,
  sealFile,
  sealReportWithAttachments,
} from './attachment-client'
import { type FakeCommunity, fakeCommunity, fakeReport, json } from './fixtures'
import { openBrokerSession } from './mailbox-client'
import { BACKENDS, type TestStore } from './stores'

/** The community with its manifest re-signed to carry an attachment limit per report. */
function withLimit(community: FakeCommunity, attachmentLimitBytes: number): FakeCommunity {
  const manifest = { ...community.manifest, attachmentLimitBytes }
  return { ...community, manifest, signed: signManifest(manifest, community.root.secretKey) }
}

/** Deterministic file contents. */
const contents = (size: number, seed = 7): Uint8Array =>
  Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed) & 255)

/** A chunk envelope with a well-formed header and random ciphertext of `length` bytes. */
const forged = (file: string, index: number, last: boolean, length: number): Uint8Array =>
  encodeChunk({ fileId: file, index, last, ciphertext: randomBytes(length) })

/** The shortest ciphertext a last chunk at `index` may have (a padded file end). */
function lastLength(index: number): number {
  for (let length = 32; length <= MAX_CHUNK_CIPHERTEXT_BYTES; length += 16) {
    if (isPossibleChunkLength(index, true, length)) return length
  }
  throw new Error(`no last chunk length at ${index}`)
}

const newFileId = (): string => toBase64url(randomBytes(16))

/**
 * Attachments over HTTP (docs/protocol.md 7.12) on both back ends: chunks stored in the database
 * after their report, read back byte for byte by brokers, every refusal typed and storing nothing.
 */
describe.each(BACKENDS)('attachments on $name', ({ open: openStore }) => {
  let ts: TestStore
  let app: RelayApp
  let clock = Date.parse('2026-12-05T10:30:00Z')
  const community = fakeCommunity('wiki-example', 2)
  const other = fakeCommunity('other-wiki', 1)
  const off = withLimit(fakeCommunity('no-attachments', 1), 0)
  const small = withLimit(fakeCommunity('small-limit', 1), 8192)
  const relay = { baseUrl: '', fetch: async (url: string, init?: RequestInit) => app.request(url, init) }
  let token: string
  let otherToken: string
  let logKey: string
  /** A report naming `bigFile`, and one naming nothing, in `community`. */
  let reportA: EnvelopeV1Json
  let reportB: string
  let offReport: string
  let smallReport: string
  const bigBytes = contents(600_000)
  const bigFile: SealedFile = sealFile(community.id, bigBytes, { type: 'image/png', name: 'image-1.png' })

  const put = (c: string, report: string, file: string, index: number | string, body: Uint8Array) =>
    app.request(chunkUrl('', c, report, file, index), chunkPut(body))
  const bearer = (t: string) => ({ headers: { authorization: `Bearer ${t}` } })
  const postReport = async (c: FakeCommunity, envelope?: EnvelopeV1Json): Promise<string> => {
    const sealed = envelope ?? (await fakeReport(c, 'a report'))
    const res = await app.request(`/api/v1/communities/${c.id}/reports`, json(sealed))
    expect(res.status).toBe(201)
    return sealed.id
  }
  const codeOf = async (res: Response) => ((await res.json()) as { error?: { code?: string } }).error?.code

  beforeAll(async () => {
    ts = await openStore()
    app = await createApp({
      store: ts.store,
      log: silentLogger,
      staticDir: null,
      now: () => new Date(clock),
      communitySetup: 'open',
    })
    for (const c of [community, other, off, small]) {
      const res = await app.request(`/api/v1/communities/${c.id}/manifest`, json(c.signed, 'PUT'))
      expect(res.status).toBe(201)
    }
    reportA = await sealReportWithAttachments({
      community: community.id,
      recipients: community.brokers.map((b) => b.box.publicKey),
      text: 'Screenshots attached.',
      attachments: [bigFile.ref],
    })
    await postReport(community, reportA)
    reportB = await postReport(community)
    offReport = await postReport(off)
    smallReport = await postReport(small)
    const login = (c: FakeCommunity) =>
      openBrokerSession({ ...relay, community: c.id, brokerSignKeyPair: c.brokers[0]?.sign as SignKeyPair })
    token = await login(community)
    otherToken = await login(other)
    logKey = ((await (await app.request('/api/v1/log-key')).json()) as { key: string }).key
  })
  afterAll(async () => ts?.close())

  it('stores a 3-chunk file after its report, with receipts in the log, and hands it back to a broker byte for byte', async () => {
    expect(bigFile.chunks).toHaveLength(3)
    const receipts: ChunkReceipt[] = []
    for (const [index, bytes] of bigFile.chunks.entries()) {
      const res = await put(community.id, reportA.id, bigFile.ref.id, index, bytes)
      expect(res.status).toBe(201)
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      const receipt = v.parse(ChunkReceiptSchema, await res.json())
      expect(receipt).toMatchObject({
        file: bigFile.ref.id,
        index,
        hash: toBase64url(sha256(bytes)),
        receivedAt: '2026-12-05T10:00:00.000Z', // coarsened to the hour
      })
      // The receipt proves the chunk is a leaf of the community's log under a signed head.
      const log = receipt.log
      if (!log) throw new Error('no log proof')
      const head = verifyTreeHead(log.head, logKey, community.id)
      if (!head) throw new Error('the receipt head does not verify')
      const proof = log.proof.map((h) => fromBase64url(h) ?? new Uint8Array())
      const leaf = logLeafHash('attachment-chunk', receipt.hash)
      expect(verifyInclusion(leaf, log.index, head.size, proof, fromBase64url(head.root) as Uint8Array)).toBe(
        true,
      )
      receipts.push(receipt)
    }
    const leaves = await ts.store.listLogLeaves(community.id, 0, 100)
    expect(leaves.map((l) => l.kind)).toEqual(['report', 'report', ...Array(3).fill('attachment-chunk')])
    expect(leaves.slice(2).map((l) => l.hash)).toEqual(receipts.map((r) => r.hash))
    expect(await ts.store.attachmentBytes(community.id)).toBe(
      bigFile.chunks.reduce((sum, c) => sum + c.length, 0),
    )

    // A broker lists the report's chunks and reads each one back exactly.
    const list = await app.request(attachmentsUrl('', community.id, reportA.id), bearer(token))
    expect(list.status).toBe(200)
    expect(list.headers.get('cache-control')).toBe('no-store')
    const { chunks } = v.parse(StoredChunksSchema, await list.json())
    expect(chunks).toEqual(
      bigFile.chunks.map((bytes, index) => ({
        file: bigFile.ref.id,
        index,
        last: index === 2,
        bytes: bytes.length - CHUNK_HEADER_BYTES,
        hash: toBase64url(sha256(bytes)),
        receivedAt: '2026-12-05T10:00:00.000Z',
      })),
    )
    const read: Uint8Array[] = []
    for (let index = 0; index < 3; index++) {
      const res = await app.request(
        chunkUrl('', community.id, reportA.id, bigFile.ref.id, index),
        bearer(token),
      )
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/octet-stream')
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      read.push(new Uint8Array(await res.arrayBuffer()))
    }
    for (const [i, bytes] of read.entries())
      expect(bytesEqual(bytes, bigFile.chunks[i] as Uint8Array)).toBe(true)

    // And opens the file with the key inside the report, as the broker app does.
    const stored = (await (
      await app.request(`/api/v1/communities/${community.id}/reports/${reportA.id}`)
    ).json()) as { envelope: EnvelopeV1Json }
    const plaintext = await open(
      envelopeFromJson(stored.envelope),
      community.brokers[1]?.box.secretKey as never,
    )
    const ref = decodeReport(plaintext).attachments?.[0]
    if (!ref) throw new Error('the report names no attachment')
    const file = await openAttachment(
      read.map((bytes) => parseChunk(bytes).ciphertext),
      community.id,
      {
        fileId: ref.id,
        key: fileKey(fromBase64url(ref.key) as Uint8Array),
        size: ref.size,
        sha256: fromBase64url(ref.sha256) as Uint8Array,
      },
    )
    expect(bytesEqual(file, bigBytes)).toBe(true)
  })

  it('answers a retry of a stored chunk, later, with the original receipt and changes nothing', async () => {
    const first = v.parse(
      ChunkReceiptSchema,
      await (await put(community.id, reportA.id, bigFile.ref.id, 1, bigFile.chunks[1] as Uint8Array)).json(),
    )
    clock += 3 * 3_600_000
    try {
      const before = await ts.snapshot()
      const retry = await put(community.id, reportA.id, bigFile.ref.id, 1, bigFile.chunks[1] as Uint8Array)
      expect(retry.status).toBe(200)
      const { log, ...receipt } = v.parse(ChunkReceiptSchema, await retry.json())
      const { log: firstLog, ...original } = first
      expect(receipt).toEqual(original)
      expect(receipt.receivedAt).toBe('2026-12-05T10:00:00.000Z')
      // The same place in the log, under a head signed now.
      expect(log?.index).toBe(firstLog?.index)
      expect(log?.proof).toEqual(firstLog?.proof)
      expect(await ts.snapshot()).toBe(before)
    } finally {
      clock -= 3 * 3_600_000
    }
  })

  it('lists no chunks for a report without attachments', async () => {
    const res = await app.request(attachmentsUrl('', community.id, reportB), bearer(token))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ chunks: [] })
  })

  it('takes chunks in any order, and a file cut off after a full chunk stays incomplete, never ended', async () => {
    const file = sealFile(community.id, contents(600_000, 3))
    const report = await postReport(community)
    for (const index of [2, 0]) {
      expect(
        (await put(community.id, report, file.ref.id, index, file.chunks[index] as Uint8Array)).status,
      ).toBe(201)
    }
    const listed = (await (
      await app.request(attachmentsUrl('', community.id, report), bearer(token))
    ).json()) as {
      chunks: { index: number; last: boolean }[]
    }
    expect(listed.chunks.map((c) => [c.index, c.last])).toEqual([
      [0, false],
      [2, true],
    ])
    expect((await putFile({ ...relay, community: community.id, report, file })).map((r) => r.index)).toEqual([
      0, 1, 2,
    ])
  })

  it('holds a report to its community limit: padded bytes up to the limit, not a byte more (413)', async () => {
    // The limit is 8,192 padded bytes: a 100-byte file takes 4,096, a 5,000-byte one 5,120.
    const one = sealFile(small.id, contents(100))
    const tooBig = sealFile(small.id, contents(5_000))
    const two = sealFile(small.id, contents(100, 9))
    const three = sealFile(small.id, contents(1, 9))
    await putFile({ ...relay, community: small.id, report: smallReport, file: one })
    let before = await ts.snapshot()
    let res = await put(small.id, smallReport, tooBig.ref.id, 0, tooBig.chunks[0] as Uint8Array)
    expect({ status: res.status, code: await codeOf(res) }).toEqual({
      status: 413,
      code: 'attachment_limit_exceeded',
    })
    expect(await ts.snapshot()).toBe(before)
    await putFile({ ...relay, community: small.id, report: smallReport, file: two })
    before = await ts.snapshot()
    res = await put(small.id, smallReport, three.ref.id, 0, three.chunks[0] as Uint8Array)
    expect({ status: res.status, code: await codeOf(res) }).toEqual({
      status: 413,
      code: 'attachment_limit_exceeded',
    })
    expect(await ts.snapshot()).toBe(before)
    // The limit is per report: another report of the community has its own.
    const fresh = await postReport(small)
    await putFile({ ...relay, community: small.id, report: fresh, file: three })
  })

  it('holds a community to the relay quota (507), counting every chunk envelope it stores', async () => {
    const quotaCommunity = fakeCommunity('quota-wiki', 1)
    const envelopeBytes = CHUNK_HEADER_BYTES + 4096 + 16
    const quotaApp = await createApp({
      store: ts.store,
      log: silentLogger,
      staticDir: null,
      communitySetup: 'open',
      attachmentQuotaBytes: 2 * envelopeBytes,
    })
    const quotaRelay = {
      baseUrl: '',
      fetch: async (url: string, init?: RequestInit) => quotaApp.request(url, init),
    }
    expect(
      (
        await quotaApp.request(
          `/api/v1/communities/${quotaCommunity.id}/manifest`,
          json(quotaCommunity.signed, 'PUT'),
        )
      ).status,
    ).toBe(201)
    const report = await fakeReport(quotaCommunity, 'r')
    expect(
      (await quotaApp.request(`/api/v1/communities/${quotaCommunity.id}/reports`, json(report))).status,
    ).toBe(201)
    const files = [1, 2, 3].map((seed) => sealFile(quotaCommunity.id, contents(10, seed)))
    for (const file of files.slice(0, 2)) {
      await putFile({ ...quotaRelay, community: quotaCommunity.id, report: report.id, file })
    }
    expect(await ts.store.attachmentBytes(quotaCommunity.id)).toBe(2 * envelopeBytes)
    const before = await ts.snapshot()
    const third = files[2] as SealedFile
    const res = await quotaApp.request(
      chunkUrl('', quotaCommunity.id, report.id, third.ref.id, 0),
      chunkPut(third.chunks[0] as Uint8Array),
    )
    expect(res.status).toBe(507)
    expect(await res.json()).toEqual({
      error: { code: 'storage_full', message: ERRORS.storage_full.message },
    })
    // A retry of what is stored still gets its receipt when the quota is reached.
    const first = files[0] as SealedFile
    const retry = await quotaApp.request(
      chunkUrl('', quotaCommunity.id, report.id, first.ref.id, 0),
      chunkPut(first.chunks[0] as Uint8Array),
    )
    expect(retry.status).toBe(200)
    expect(await ts.snapshot()).toBe(before)
    // The quota is per community: others on the relay are not affected.
    expect(await ts.store.attachmentBytes(community.id)).toBeGreaterThan(2 * envelopeBytes)
  })

  it('documents its three routes in the OpenAPI description', async () => {
    const spec = (await (await app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, Record<string, unknown>>
    }
    const chunkPath = '/communities/{community}/reports/{id}/attachments/{file}/chunks/{index}'
    expect(Object.keys(spec.paths[chunkPath] ?? {}).sort()).toEqual(['get', 'put'])
    expect(Object.keys(spec.paths['/communities/{community}/reports/{id}/attachments'] ?? {})).toEqual([
      'get',
    ])
  })

  describe('refuses with its documented code and changes nothing', () => {
    /** Stored before the cases run: a one-chunk file, and two 3-chunk files with one chunk each. */
    const tiny = sealFile(community.id, contents(100))
    const partial = sealFile(community.id, contents(600_000, 1))
    const ended = sealFile(community.id, contents(600_000, 2))
    const tinyChunk = () => tiny.chunks[0] as Uint8Array

    beforeAll(async () => {
      await putFile({ ...relay, community: community.id, report: reportB, file: tiny })
      expect(
        (await put(community.id, reportB, partial.ref.id, 1, partial.chunks[1] as Uint8Array)).status,
      ).toBe(201)
      expect((await put(community.id, reportB, ended.ref.id, 2, ended.chunks[2] as Uint8Array)).status).toBe(
        201,
      )
    })

    const putTiny = (
      url: { c?: string; report?: string; file?: string; index?: string | number },
      body = tinyChunk(),
    ) => put(url.c ?? community.id, url.report ?? reportB, url.file ?? tiny.ref.id, url.index ?? 0, body)
    const withByte = (at: number, value: number) => {
      const copy = tinyChunk().slice()
      copy[at] = value
      return copy
    }
    const typed = (type: string | null) =>
      app.request(chunkUrl('', community.id, reportB, tiny.ref.id, 0), {
        method: 'PUT',
        headers: type === null ? {} : { 'content-type': type },
        body: tinyChunk() as Uint8Array<ArrayBuffer>,
      })

    const cases: { name: string; code: ErrorCode; request: () => Response | Promise<Response> }[] = [
      { name: 'invalid community id', code: 'invalid_community', request: () => putTiny({ c: 'Not_Valid' }) },
      {
        name: 'report id that is no case id',
        code: 'invalid_case',
        request: () => putTiny({ report: 'abc' }),
      },
      {
        name: 'report id of 17 bytes',
        code: 'invalid_case',
        request: () => putTiny({ report: toBase64url(randomBytes(17)) }),
      },
      { name: 'file id too short', code: 'invalid_file', request: () => putTiny({ file: 'AAAA' }) },
      {
        name: 'file id not canonical base64url',
        code: 'invalid_file',
        request: () => putTiny({ file: `${tiny.ref.id.slice(0, 21)}B` }),
      },
      ...['01', '-1', '1.0', 'x', '1e3', '+1', '99999999999', String(MAX_CHUNK_INDEX + 1)].map((index) => ({
        name: `chunk index "${index}"`,
        code: 'invalid_chunk_index' as const,
        request: () =>
          app.request(
            `${attachmentsUrl('', community.id, reportB)}/${tiny.ref.id}/chunks/${index}`,
            chunkPut(tinyChunk()),
          ),
      })),
      {
        name: 'JSON content type',
        code: 'unsupported_chunk_media_type',
        request: () => typed('application/json'),
      },
      { name: 'text content type', code: 'unsupported_chunk_media_type', request: () => typed('text/plain') },
      { name: 'no content type', code: 'unsupported_chunk_media_type', request: () => typed(null) },
      {
        name: 'a look-alike content type',
        code: 'unsupported_chunk_media_type',
        request: () => typed('application/octet-streamx'),
      },
      {
        name: 'body one byte over the largest chunk',
        code: 'body_too_large',
        request: () => putTiny({}, new Uint8Array(MAX_CHUNK_ENVELOPE_BYTES + 1)),
      },
      {
        name: 'streamed body over the limit (no Content-Length)',
        code: 'body_too_large',
        request: () => {
          const piece = new Uint8Array(64 * 1024)
          let sent = 0
          const body = new ReadableStream<Uint8Array>({
            pull(controller) {
              if (sent++ < 6) controller.enqueue(piece)
              else controller.close()
            },
          })
          const init = {
            method: 'PUT',
            headers: { 'content-type': 'application/octet-stream' },
            body,
            duplex: 'half',
          }
          return app.request(chunkUrl('', community.id, reportB, tiny.ref.id, 0), init as RequestInit)
        },
      },
      { name: 'empty body', code: 'invalid_chunk', request: () => putTiny({}, new Uint8Array()) },
      {
        name: 'header only',
        code: 'invalid_chunk',
        request: () => putTiny({}, tinyChunk().slice(0, CHUNK_HEADER_BYTES + 16)),
      },
      { name: 'wrong magic', code: 'invalid_chunk', request: () => putTiny({}, withByte(3, 0x58)) },
      { name: 'unknown flags', code: 'invalid_chunk', request: () => putTiny({}, withByte(5, 3)) },
      {
        name: 'header index past the largest file',
        code: 'invalid_chunk',
        request: () => putTiny({}, withByte(6, 0xff)),
      },
      {
        name: 'chunk envelope version 2',
        code: 'unsupported_version',
        request: () => putTiny({}, withByte(4, 2)),
      },
      {
        name: 'last chunk of a length no padded file ends at',
        code: 'unpadded_ciphertext',
        request: () => putTiny({}, forged(tiny.ref.id, 0, true, 100)),
      },
      {
        name: 'chunk that is not last and not full',
        code: 'unpadded_ciphertext',
        request: () => putTiny({}, forged(tiny.ref.id, 0, false, 4112)),
      },
      {
        name: 'chunk of another file than the URL',
        code: 'chunk_mismatch',
        request: () => putTiny({ file: partial.ref.id }),
      },
      {
        name: 'chunk of another index than the URL',
        code: 'chunk_mismatch',
        request: () => putTiny({ index: 1 }),
      },
      {
        name: 'community without a manifest',
        code: 'unknown_community',
        request: () => putTiny({ c: 'nobody-here' }),
      },
      {
        name: 'report the community does not hold',
        code: 'unknown_case',
        request: () => putTiny({ report: toBase64url(randomBytes(16)) }),
      },
      {
        name: 'report of another community',
        code: 'unknown_case',
        request: () => putTiny({ c: other.id }),
      },
      {
        name: 'unknown report in a community with attachments off (the report is checked first)',
        code: 'unknown_case',
        request: () => putTiny({ c: off.id, report: toBase64url(randomBytes(16)) }),
      },
      {
        name: 'community with attachments off',
        code: 'attachment_limit_exceeded',
        request: () => putTiny({ c: off.id, report: offReport }),
      },
      {
        name: 'file whose chunks belong to another report',
        code: 'file_in_other_report',
        request: () => put(community.id, reportA.id, partial.ref.id, 0, partial.chunks[0] as Uint8Array),
      },
      {
        name: 'stored chunk under another report (even the same bytes)',
        code: 'file_in_other_report',
        request: () => putTiny({ report: reportA.id }),
      },
      {
        name: 'other bytes at a stored place',
        code: 'chunk_conflict',
        request: () => {
          const copy = tinyChunk().slice()
          copy[CHUNK_HEADER_BYTES + 5] = (copy[CHUNK_HEADER_BYTES + 5] as number) ^ 1
          return putTiny({}, copy)
        },
      },
      {
        name: 'chunk after the stored last chunk',
        code: 'chunk_out_of_range',
        request: () => putTiny({ index: 1 }, forged(tiny.ref.id, 1, false, MAX_CHUNK_CIPHERTEXT_BYTES)),
      },
      {
        name: 'last chunk before a stored chunk',
        code: 'chunk_out_of_range',
        request: () => putTiny({ file: partial.ref.id }, forged(partial.ref.id, 0, true, lastLength(0))),
      },
      {
        name: 'a second last chunk',
        code: 'chunk_out_of_range',
        request: () =>
          putTiny({ file: ended.ref.id, index: 1 }, forged(ended.ref.id, 1, true, lastLength(1))),
      },
      {
        name: 'list without a session',
        code: 'unauthorized',
        request: () => app.request(attachmentsUrl('', community.id, reportA.id)),
      },
      {
        name: 'chunk without a session',
        code: 'unauthorized',
        request: () => app.request(chunkUrl('', community.id, reportA.id, bigFile.ref.id, 0)),
      },
      {
        name: 'chunk with an unknown token',
        code: 'session_expired',
        request: () =>
          app.request(chunkUrl('', community.id, reportA.id, bigFile.ref.id, 0), bearer('x'.repeat(43))),
      },
      {
        name: "list with another community's session",
        code: 'session_expired',
        request: () => app.request(attachmentsUrl('', community.id, reportA.id), bearer(otherToken)),
      },
      {
        name: 'list of a report the community does not hold',
        code: 'unknown_case',
        request: () =>
          app.request(attachmentsUrl('', community.id, toBase64url(randomBytes(16))), bearer(token)),
      },
      {
        name: 'list with a bad report id',
        code: 'invalid_case',
        request: () => app.request(attachmentsUrl('', community.id, 'nope'), bearer(token)),
      },
      {
        name: 'read with a bad file id',
        code: 'invalid_file',
        request: () => app.request(chunkUrl('', community.id, reportA.id, 'nope', 0), bearer(token)),
      },
      {
        name: 'read with a bad index',
        code: 'invalid_chunk_index',
        request: () =>
          app.request(chunkUrl('', community.id, reportA.id, bigFile.ref.id, '007'), bearer(token)),
      },
      {
        name: 'read of an index not stored',
        code: 'unknown_chunk',
        request: () => app.request(chunkUrl('', community.id, reportB, partial.ref.id, 0), bearer(token)),
      },
      {
        name: 'read of a chunk through another report',
        code: 'unknown_chunk',
        request: () => app.request(chunkUrl('', community.id, reportB, bigFile.ref.id, 0), bearer(token)),
      },
      {
        name: 'read of a file id never sent',
        code: 'unknown_chunk',
        request: () => app.request(chunkUrl('', community.id, reportA.id, newFileId(), 0), bearer(token)),
      },
      {
        name: 'wrong method',
        code: 'method_not_allowed',
        request: () =>
          app.request(chunkUrl('', community.id, reportA.id, bigFile.ref.id, 0), { method: 'DELETE' }),
      },
    ]

    it('covers every attachment error code', () => {
      const codes = new Set(cases.map((c) => c.code))
      for (const code of [
        'invalid_community',
        'invalid_case',
        'invalid_file',
        'invalid_chunk_index',
        'unsupported_chunk_media_type',
        'body_too_large',
        'invalid_chunk',
        'unsupported_version',
        'unpadded_ciphertext',
        'chunk_mismatch',
        'unknown_community',
        'unknown_case',
        'attachment_limit_exceeded',
        'file_in_other_report',
        'chunk_conflict',
        'chunk_out_of_range',
        'unknown_chunk',
        'unauthorized',
        'session_expired',
      ] as const)
        expect(codes).toContain(code)
    })

    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, { code, request }) => {
      const before = await ts.snapshot()
      const res = await request()
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect({ status: res.status, code: body.error?.code }).toEqual({ status: ERRORS[code].status, code })
      expect(body.error.message).toBe(ERRORS[code].message)
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(await ts.snapshot()).toBe(before)
    })
  })
})
