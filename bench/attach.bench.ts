import { loadavg } from 'node:os'
import ExifReader from 'exifreader'
import jpeg from 'jpeg-js'
import type { Page } from 'playwright-core'
import type * as SendModule from '../client/engine/seal-attachments'
import type * as EvidenceModule from '../client/evidence/clean-file'
import { DEFAULT_MAX_PIXELS } from '../client/evidence/strip-image'
import {
  CANARY,
  concat,
  contains,
  exifTiff,
  iptcApp13Payload,
  plainJpeg,
  xmpPacket,
} from '../client/evidence/test/fixtures'
import { launchBrowser, newContext } from '../e2e/browser'
import { bundleScript } from '../e2e/bundle-script'
import type * as CryptoModule from '../shared/crypto'
import { CHUNK_HEADER_BYTES, CHUNK_MAGIC } from '../shared/protocol'
import { intEnv } from './children'
import { fmt, median, seeded } from './common'

/**
 * `npm run bench:attach`: what attaching evidence costs on the device, in Debian's Chromium, against
 * issue #8's two budgets. Not part of npm test; prints PASS/FAIL per budget and exits 1 on FAIL.
 *
 * 1. Seal-and-chunk, budget ≥ 20 MiB/s. A file of BENCH_FILE_MIB (20) MiB of random bytes, made in
 *    the page with crypto.getRandomValues, goes through exactly what the app runs at send time, from
 *    client/engine/seal-attachments.ts: `prepareAttachments` (a fresh file key, and SHA-256 of the
 *    whole file with shared/crypto `sha256Async`, which is WebCrypto in a browser), then
 *    `sealAttachmentRows` (every 256 KiB chunk sealed with `sealAttachmentChunks` and encoded as a
 *    chunk envelope with `encodeChunk`, yielding to the event loop every 8 chunks as the app does).
 *    Throughput is the file's size over the wall time of both, timed in the page. The reference
 *    floor, in the same page and the same rounds: shared/crypto `sealChunk` (tweetnacl's
 *    `secretbox` under a nonce derived per chunk) over the same bytes in 256 KiB pieces, with no
 *    hash, no padding copy, no encoding and no yields. (bench/ may not import tweetnacl itself:
 *    scripts/architecture.ts keeps crypto primitives inside shared/crypto; sealChunk adds one
 *    SHA-256 of ~60 bytes per chunk to the raw secretbox.) After the warm-up round its chunks are
 *    checked: the right count, the envelope header, and `openAttachment` gives back the file.
 * 2. Strip, budget ≤ 1.5 s. A BENCH_JPEG_WIDTH × BENCH_JPEG_HEIGHT (4000 × 3000, 12 megapixels)
 *    JPEG made in Node with jpeg-js at BENCH_JPEG_QUALITY (90) from seeded, photo-like pixels
 *    (gradients, texture and noise: about 4 MB, the size of a phone's 12-megapixel photo), carrying
 *    what a phone writes, built with the cleaner's test fixtures: Exif with Orientation 6, GPS, make,
 *    model, dates, serial and a 160 × 120 thumbnail; XMP; IPTC; a comment. Timed in the page:
 *    `cleanFile` (client/evidence/clean-file.ts) on it, from the Blob to the cleaned bytes (inspect
 *    the metadata, decode upright, redraw, encode as JPEG at 0.92, inspect the output again). The
 *    first output is checked in Node so the bench cannot time a no-op: a JPEG, re-encoded, turned
 *    upright (3000 × 4000), with no Exif, GPS or canary text left.
 *
 * Both: one warm-up round, then BENCH_ROUNDS (5, at least 5) rounds; the median is what counts.
 * Each part's code is bundled on its own (e2e/bundle-script.ts, as e2e/evidence-strip.e2e.ts does)
 * and runs in a blank page on http://localhost/ (a secure context, for WebCrypto) that Playwright
 * answers itself; every other request is refused.
 */

const MiB = 1024 * 1024
const FILE_BYTES = intEnv('BENCH_FILE_MIB', 20) * MiB
const ROUNDS = Math.max(5, intEnv('BENCH_ROUNDS', 5))
const WIDTH = intEnv('BENCH_JPEG_WIDTH', 4000)
const HEIGHT = intEnv('BENCH_JPEG_HEIGHT', 3000)
const QUALITY = intEnv('BENCH_JPEG_QUALITY', 90)
/** "Rotate 90° clockwise to display": a phone held upright. The cleaned image comes out portrait. */
const ORIENTATION = 6
const SEAL_BUDGET_MIB_S = 20
const STRIP_BUDGET_S = 1.5
/**
 * The blank page, answered by Playwright itself: nothing is served and nothing leaves the machine.
 * Not about:blank, because WebCrypto (sha256Async) exists only in a secure context, as on the relay.
 */
const BLANK_PAGE = 'http://localhost/'
const COMMUNITY = 'bench-community'
const REPORT = 'bench-report'

interface BenchWindow {
  HeardEvidence: typeof EvidenceModule
  HeardSend: typeof SendModule
  HeardCrypto: typeof CryptoModule
  benchFile: Uint8Array
  benchJpeg: Uint8Array
  benchCleaned?: Uint8Array
}

interface SealRound {
  readonly totalMs: number
  readonly hashMs: number
  readonly sealMs: number
  readonly floorMs: number
}

/** One round of the app's send-time work and one of the floor; `check` also verifies the chunks. */
const sealRound = (page: Page, check: boolean): Promise<SealRound> =>
  page.evaluate(
    async ({ community, report, check, headerBytes, magic }) => {
      const w = window as unknown as BenchWindow
      const { prepareAttachments, sealAttachmentRows } = w.HeardSend
      const c = w.HeardCrypto
      const bytes = w.benchFile
      const file = {
        bytes,
        type: 'application/octet-stream',
        name: 'file-1.bin',
        cleaning: 'nothing-to-remove' as const,
        removed: [],
      }
      const t0 = performance.now()
      const prepared = await prepareAttachments([file])
      const t1 = performance.now()
      const rows = await sealAttachmentRows(prepared, community, report)
      const t2 = performance.now()

      if (check) {
        const [one] = prepared
        if (!one) throw new Error('nothing prepared')
        const count = c.attachmentChunkCount(bytes.length)
        if (rows.length !== count) throw new Error(`${rows.length} chunks where ${count} were expected`)
        rows.forEach((row, i) => {
          const head = new TextDecoder().decode(row.bytes.subarray(0, 4))
          if (row.index !== i || row.file !== one.ref.id || head !== magic)
            throw new Error(`chunk ${i} is not a chunk envelope`)
        })
        const sha256 = c.fromBase64url(one.ref.sha256)
        if (!sha256) throw new Error('no hash')
        const opened = await c.openAttachment(
          rows.map((row) => row.bytes.subarray(headerBytes)),
          community,
          { fileId: one.ref.id, key: one.key, size: one.ref.size, sha256 },
        )
        if (!c.bytesEqual(opened, bytes)) throw new Error('the chunks opened to other bytes')
      }

      // The floor: sealChunk over the same bytes in 256 KiB pieces, nothing else.
      const { fileId, key } = c.newAttachmentKey()
      const size = c.ATTACHMENT_CHUNK_BYTES
      const count = Math.ceil(bytes.length / size)
      let sealed = 0
      const t3 = performance.now()
      for (let index = 0; index < count; index++) {
        const piece = bytes.subarray(index * size, Math.min((index + 1) * size, bytes.length))
        sealed += c.sealChunk(piece, { community, fileId, index, last: index === count - 1 }, key).length
      }
      const floorMs = performance.now() - t3
      if (sealed !== bytes.length + 16 * count) throw new Error('the floor sealed other bytes')
      return { totalMs: t2 - t0, hashMs: t1 - t0, sealMs: t2 - t1, floorMs }
    },
    { community: COMMUNITY, report: REPORT, check, headerBytes: CHUNK_HEADER_BYTES, magic: CHUNK_MAGIC },
  )

interface StripRound {
  readonly ms: number
  readonly type: string
  readonly cleaning: string
  readonly removed: readonly string[]
  readonly width?: number | undefined
  readonly height?: number | undefined
  readonly bytes: number
}

/** One cleanFile of the JPEG; `keep` leaves the output in the page for the checks. */
const stripRound = (page: Page, keep: boolean): Promise<StripRound> =>
  page.evaluate(async (keep) => {
    const w = window as unknown as BenchWindow
    const t0 = performance.now()
    const picked = new Blob([w.benchJpeg as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' })
    const out = await w.HeardEvidence.cleanFile(picked)
    const ms = performance.now() - t0
    if (keep) w.benchCleaned = out.bytes
    const { type, cleaning, removed, width, height } = out
    return { ms, type, cleaning, removed: [...removed], width, height, bytes: out.bytes.length }
  }, keep)

/** Seeded RGBA pixels with the texture of a photo: soft gradients, mid-frequency detail, sensor noise. */
function photoPixels(width: number, height: number): Uint8Array {
  const random = seeded(0xa77ac4)
  const data = new Uint8Array(width * height * 4)
  const wideX = Float64Array.from({ length: width }, (_, x) => Math.sin(x / 310))
  const detailX = Float64Array.from({ length: width }, (_, x) => Math.sin(x / 53))
  for (let y = 0; y < height; y++) {
    const wideY = Math.cos(y / 470)
    const detailY = Math.cos(y / 71)
    const tint = 30 * Math.sin(y / 200)
    for (let x = 0; x < width; x++) {
      const base = 128 + 60 * (wideX[x] as number) * wideY + 40 * (detailX[x] as number) * detailY
      const noise = (random() - 0.5) * 24
      const i = (y * width + x) * 4
      data[i] = base + noise + 20
      data[i + 1] = base * 0.8 + noise + 10 + tint
      data[i + 2] = 255 - base + noise
      data[i + 3] = 255
    }
  }
  return data
}

function segment(marker: number, payload: Uint8Array): Uint8Array {
  if (payload.length + 2 > 0xffff) throw new Error('a JPEG segment holds at most 65,533 bytes')
  return concat(Uint8Array.of(0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff), payload)
}

/** The photo, with a phone's metadata after SOI and the JFIF segment (fixtures.ts metadataJpeg, larger). */
function phoneJpeg(): Uint8Array {
  const plain = new Uint8Array(
    jpeg.encode({ width: WIDTH, height: HEIGHT, data: photoPixels(WIDTH, HEIGHT) }, QUALITY).data,
  )
  const latin1 = (text: string) => Uint8Array.from(text, (ch) => ch.charCodeAt(0) & 0xff)
  const exif = exifTiff({ thumbnail: plainJpeg(160, 120), orientation: ORIENTATION })
  const inserted = concat(
    segment(0xe1, concat(latin1('Exif\0\0'), exif)),
    segment(0xe1, concat(latin1('http://ns.adobe.com/xap/1.0/\0'), new TextEncoder().encode(xmpPacket()))),
    segment(0xed, iptcApp13Payload()),
    segment(0xfe, latin1(`Comment segment ${CANARY}`)),
  )
  const app0End = 4 + ((plain[4] ?? 0) << 8) + (plain[5] ?? 0)
  return concat(plain.subarray(0, app0End), inserted, plain.subarray(app0End))
}

const toArrayBuffer = (bytes: Uint8Array) =>
  bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer

/** Throws unless `cleaned` is a JPEG of the upright size with none of the metadata left. */
function checkCleaned(cleaned: Uint8Array, round: StripRound): void {
  // As strip-image.ts scales: only an image over DEFAULT_MAX_PIXELS (not 12 megapixels) shrinks.
  const scale = Math.min(1, Math.sqrt(DEFAULT_MAX_PIXELS / (WIDTH * HEIGHT)))
  const [w, h] = [Math.max(1, Math.floor(WIDTH * scale)), Math.max(1, Math.floor(HEIGHT * scale))]
  const [width, height] = ORIENTATION >= 5 ? [h, w] : [w, h]
  const fail = (what: string) => {
    throw new Error(`the cleaned image ${what}`)
  }
  if (round.cleaning !== 'reencoded' || round.type !== 'image/jpeg')
    fail(`was ${round.cleaning} ${round.type}`)
  if (!round.removed.includes('location')) fail('does not say its location was removed')
  if (cleaned[0] !== 0xff || cleaned[1] !== 0xd8 || cleaned[2] !== 0xff) fail('is not a JPEG')
  const tags = ExifReader.load(toArrayBuffer(cleaned), { expanded: true })
  const size = [tags.file?.['Image Width']?.value, tags.file?.['Image Height']?.value]
  if (size[0] !== width || size[1] !== height || round.width !== width || round.height !== height)
    fail(`is ${size.join(' × ')}, not ${width} × ${height}`)
  if (tags.gps || tags.exif || tags.xmp || tags.iptc) fail('still carries Exif, GPS, XMP or IPTC')
  if (contains(cleaned, CANARY)) fail('still holds the canary text')
}

const mibPerS = (bytes: number, ms: number) => bytes / MiB / (ms / 1000)
const list = (values: readonly number[], digits = 0) => values.map((v) => fmt(v, digits)).join(' / ')

async function main(): Promise<void> {
  console.log(`Bundling and launching Chromium; making the ${WIDTH} × ${HEIGHT} JPEG…`)
  const [evidence, send, cryptoScript, browser] = await Promise.all([
    bundleScript('client/evidence/clean-file.ts', 'HeardEvidence'),
    bundleScript('client/engine/seal-attachments.ts', 'HeardSend'),
    bundleScript('shared/crypto/index.ts', 'HeardCrypto'),
    launchBrowser(),
  ])
  const t = performance.now()
  const photo = phoneJpeg()
  const made = performance.now() - t
  const before = ExifReader.load(toArrayBuffer(photo), { expanded: true })
  if (!before.gps || !contains(photo, CANARY)) throw new Error('the test photo carries no GPS')
  let passed = true
  try {
    const context = await newContext(browser)
    const requests: string[] = []
    await context.route('**/*', (route) => {
      const url = route.request().url()
      if (url === BLANK_PAGE) return route.fulfill({ contentType: 'text/html', body: '<!doctype html>' })
      requests.push(url)
      return route.abort()
    })
    const page = await context.newPage()
    await page.goto(BLANK_PAGE)
    // tsx (esbuild) wraps named functions handed to page.evaluate in calls to its `__name` helper.
    await page.evaluate('globalThis.__name ??= (fn) => fn')
    for (const content of [evidence, send, cryptoScript]) await page.addScriptTag({ content })
    const [cores, load] = await Promise.all([
      page.evaluate(() => navigator.hardwareConcurrency),
      Promise.resolve(loadavg().map((n) => n.toFixed(2))),
    ])
    console.log(`Chromium ${browser.version()}, ${cores} cores, load average ${load.join(' / ')}`)

    // 1. Seal-and-chunk.
    await page.evaluate((size) => {
      const bytes = new Uint8Array(size)
      for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536))
      ;(window as unknown as BenchWindow).benchFile = bytes
    }, FILE_BYTES)
    const chunks = Math.ceil(FILE_BYTES / (256 * 1024))
    console.log(
      `\nSeal-and-chunk: a ${fmt(FILE_BYTES / MiB, 2)} MiB file of random bytes, ${chunks} chunks; 1 warm-up + ${ROUNDS} rounds, app then floor in each`,
    )
    const warm = await sealRound(page, true)
    console.log(
      `  warm-up: app ${fmt(warm.totalMs)} ms, floor ${fmt(warm.floorMs)} ms; chunks checked (count, header, openAttachment gives the file back)`,
    )
    const rounds: SealRound[] = []
    for (let i = 0; i < ROUNDS; i++) rounds.push(await sealRound(page, false))
    const total = median(rounds.map((r) => r.totalMs))
    const floor = median(rounds.map((r) => r.floorMs))
    const appRate = mibPerS(FILE_BYTES, total)
    const floorRate = mibPerS(FILE_BYTES, floor)
    console.log(
      `  app (prepareAttachments + sealAttachmentRows): median ${fmt(total)} ms = ${fmt(appRate, 1)} MiB/s` +
        ` (SHA-256 ${fmt(median(rounds.map((r) => r.hashMs)))} ms, seal + encode ${fmt(median(rounds.map((r) => r.sealMs)))} ms); rounds ${list(rounds.map((r) => r.totalMs))} ms`,
    )
    console.log(
      `  floor (sealChunk per 256 KiB piece): median ${fmt(floor)} ms = ${fmt(floorRate, 1)} MiB/s; rounds ${list(rounds.map((r) => r.floorMs))} ms; app at ${fmt(appRate / floorRate, 2)} of the floor's speed`,
    )
    const sealPass = appRate >= SEAL_BUDGET_MIB_S
    console.log(
      `${sealPass ? 'PASS' : 'FAIL'}: seal-and-chunk ${fmt(appRate, 1)} MiB/s, budget ≥ ${SEAL_BUDGET_MIB_S} MiB/s (ratio ${fmt(appRate / SEAL_BUDGET_MIB_S, 2)}, higher is better)`,
    )
    await page.evaluate(() => {
      ;(window as unknown as { benchFile?: Uint8Array }).benchFile = undefined
    })

    // 2. Strip.
    console.log(
      `\nStrip: a ${WIDTH} × ${HEIGHT} JPEG (${fmt((WIDTH * HEIGHT) / 1e6, 1)} megapixels, quality ${QUALITY}, ${fmt(photo.length / 1e6, 2)} MB, made in ${fmt(made)} ms) with Orientation ${ORIENTATION}, GPS, Exif, a thumbnail, XMP, IPTC and a comment; 1 warm-up + ${ROUNDS} rounds`,
    )
    await page.evaluate((data) => {
      ;(window as unknown as BenchWindow).benchJpeg = Uint8Array.from(atob(data), (ch) => ch.charCodeAt(0))
    }, Buffer.from(photo).toString('base64'))
    const first = await stripRound(page, true)
    const cleaned = new Uint8Array(
      Buffer.from(
        await page.evaluate(() => {
          const bytes = (window as unknown as BenchWindow).benchCleaned ?? new Uint8Array()
          let binary = ''
          for (let at = 0; at < bytes.length; at += 8192)
            binary += String.fromCharCode(...bytes.subarray(at, at + 8192))
          return btoa(binary)
        }),
        'base64',
      ),
    )
    checkCleaned(cleaned, first)
    console.log(
      `  warm-up: ${fmt(first.ms)} ms → ${first.type} ${first.width} × ${first.height}, ${fmt(first.bytes / 1e6, 2)} MB; removed ${first.removed.join(', ')}; checked (no Exif, GPS, XMP, IPTC or canary left)`,
    )
    const strips: StripRound[] = []
    for (let i = 0; i < ROUNDS; i++) {
      const round = await stripRound(page, false)
      if (round.cleaning !== 'reencoded' || round.width !== first.width || round.bytes !== first.bytes)
        throw new Error(`round ${i + 1} cleaned differently`)
      strips.push(round)
    }
    const strip = median(strips.map((r) => r.ms)) / 1000
    console.log(`  cleanFile: median ${fmt(strip, 3)} s; rounds ${list(strips.map((r) => r.ms))} ms`)
    const stripPass = strip <= STRIP_BUDGET_S
    console.log(
      `${stripPass ? 'PASS' : 'FAIL'}: strip ${fmt(strip, 3)} s, budget ≤ ${STRIP_BUDGET_S} s (ratio ${fmt(strip / STRIP_BUDGET_S, 2)}, lower is better)`,
    )
    if (requests.length > 0) throw new Error(`the page asked the network for ${requests.join(', ')}`)
    passed = sealPass && stripPass
  } finally {
    await browser.close()
  }
  process.exitCode = passed ? 0 : 1
}

await main()
