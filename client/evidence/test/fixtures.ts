import { deflateSync } from 'node:zlib'
import jpeg from 'jpeg-js'

/**
 * Node only (tests). Image files made at run time that carry every kind of metadata the cleaner
 * must find and remove, each holding CANARY, so a test can say "no trace" by searching the bytes.
 * Made here rather than committed: the bytes are readable in review, and no binary can go stale.
 */

/** Unique enough that finding it anywhere in an output means the cleaner let it through. */
export const CANARY = 'HrdCanary7q3x'

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

export function contains(haystack: Uint8Array, text: string): boolean {
  return Buffer.from(haystack).includes(Buffer.from(text, 'latin1'))
}

const u16be = (n: number) => Uint8Array.of(n >> 8, n & 0xff)
const u32be = (n: number) => Uint8Array.of(n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff)
const u32le = (n: number) => Uint8Array.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24)

// ---------------------------------------------------------------------------------------------
// TIFF / Exif: a little-endian writer for the handful of field types the fixtures need.

type Field =
  | { tag: number; ascii: string }
  | { tag: number; short: readonly number[] }
  | { tag: number; long: readonly number[] }
  | { tag: number; rational: readonly number[] } // numerator, denominator, …
  | { tag: number; undefined: Uint8Array }
  | { tag: number; byte: readonly number[] }
  | { tag: number; pointer: 'exif' | 'gps' | 'thumbnail' }

interface Ifd {
  readonly name: 'ifd0' | 'exif' | 'gps' | 'ifd1'
  readonly fields: readonly Field[]
}

function fieldBytes(f: Field): { type: number; count: number; data: Uint8Array } {
  const le16 = (ns: readonly number[]) => Uint8Array.from(ns.flatMap((n) => [n & 0xff, n >> 8]))
  const le32 = (ns: readonly number[]) => concat(...ns.map(u32le))
  if ('ascii' in f) return { type: 2, count: f.ascii.length + 1, data: latin1(`${f.ascii}\0`) }
  if ('short' in f) return { type: 3, count: f.short.length, data: le16(f.short) }
  if ('long' in f) return { type: 4, count: f.long.length, data: le32(f.long) }
  if ('rational' in f) return { type: 5, count: f.rational.length / 2, data: le32(f.rational) }
  if ('undefined' in f) return { type: 7, count: f.undefined.length, data: f.undefined }
  if ('byte' in f) return { type: 1, count: f.byte.length, data: Uint8Array.from(f.byte) }
  return { type: 4, count: 1, data: new Uint8Array(4) }
}

/** A TIFF structure ("II*\0" …): IFD0 with its Exif and GPS sub-IFDs, and IFD1 with a thumbnail. */
export function tiff(ifds: readonly Ifd[], thumbnail?: Uint8Array): Uint8Array {
  const sizes = ifds.map((ifd) => {
    const data = ifd.fields
      .map(fieldBytes)
      .reduce((n, b) => n + (b.data.length > 4 ? b.data.length + (b.data.length % 2) : 0), 0)
    return 2 + 12 * ifd.fields.length + 4 + data
  })
  const offsets = new Map<string, number>()
  let at = 8
  ifds.forEach((ifd, i) => {
    offsets.set(ifd.name, at)
    at += sizes[i] ?? 0
  })
  offsets.set('thumbnail', at)
  const out: Uint8Array[] = [latin1('II*\0'), u32le(8)]
  ifds.forEach((ifd, i) => {
    const start = offsets.get(ifd.name) ?? 0
    let data = start + 2 + 12 * ifd.fields.length + 4
    const entries: Uint8Array[] = [Uint8Array.of(ifd.fields.length & 0xff, ifd.fields.length >> 8)]
    const values: Uint8Array[] = []
    for (const f of [...ifd.fields].sort((a, b) => a.tag - b.tag)) {
      const b = fieldBytes(f)
      const value = 'pointer' in f ? u32le(offsets.get(f.pointer) ?? 0) : b.data
      const entry = concat(Uint8Array.of(f.tag & 0xff, f.tag >> 8, b.type, 0), u32le(b.count))
      if (value.length <= 4) {
        entries.push(concat(entry, value, new Uint8Array(4 - value.length)))
      } else {
        entries.push(concat(entry, u32le(data)))
        const padded = value.length % 2 ? concat(value, new Uint8Array(1)) : value
        values.push(padded)
        data += padded.length
      }
    }
    const next = ifd.name === 'ifd0' ? (offsets.get('ifd1') ?? 0) : 0
    out.push(...entries, u32le(next), ...values)
    if (i === ifds.length - 1 && thumbnail) out.push(thumbnail)
  })
  return concat(...out)
}

/** GPS 51°30'N 0°7'W, as cameras write it. */
const GPS_FIELDS: readonly Field[] = [
  { tag: 0x0000, byte: [2, 3, 0, 0] },
  { tag: 0x0001, ascii: 'N' },
  { tag: 0x0002, rational: [51, 1, 30, 1, 0, 1] },
  { tag: 0x0003, ascii: 'W' },
  { tag: 0x0004, rational: [0, 1, 7, 1, 0, 1] },
]

/** The Exif a phone writes, plus the canary in every free-text field. */
export function exifTiff({
  thumbnail,
  orientation = 1,
}: {
  thumbnail?: Uint8Array
  orientation?: number
} = {}): Uint8Array {
  const ifds: Ifd[] = [
    {
      name: 'ifd0',
      fields: [
        { tag: 0x010e, ascii: `Description ${CANARY}` }, // ImageDescription
        { tag: 0x010f, ascii: 'CanaryMake' }, // Make
        { tag: 0x0110, ascii: 'CanaryModel X1' }, // Model
        { tag: 0x0112, short: [orientation] }, // 6: rotate 90° clockwise to display
        { tag: 0x0131, ascii: 'CanaryCam Firmware 1.0' }, // Software
        { tag: 0x0132, ascii: '2024:05:06 07:08:09' }, // DateTime
        { tag: 0x013b, ascii: `Artist ${CANARY}` }, // Artist
        { tag: 0x8769, pointer: 'exif' },
        { tag: 0x8825, pointer: 'gps' },
      ],
    },
    {
      name: 'exif',
      fields: [
        { tag: 0x9003, ascii: '2024:05:06 07:08:09' }, // DateTimeOriginal
        { tag: 0x9286, undefined: concat(latin1('ASCII\0\0\0'), latin1(`Comment ${CANARY}`)) }, // UserComment
        { tag: 0xa420, ascii: `0123456789abcdef${CANARY}` }, // ImageUniqueID
        { tag: 0xa431, ascii: `SN${CANARY}` }, // BodySerialNumber
      ],
    },
    { name: 'gps', fields: GPS_FIELDS },
  ]
  if (thumbnail) {
    ifds.push({
      name: 'ifd1',
      fields: [
        { tag: 0x0103, short: [6] }, // Compression: JPEG
        { tag: 0x0201, pointer: 'thumbnail' }, // JPEGInterchangeFormat
        { tag: 0x0202, long: [thumbnail.length] }, // JPEGInterchangeFormatLength
      ],
    })
  }
  return tiff(ifds, thumbnail)
}

/** An XMP packet as photo tools write it, with the canary in creator, title and identifiers. */
export function xmpPacket(): string {
  return `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Canary XMP Core">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    xmp:CreatorTool="CanaryEdit ${CANARY}"
    xmp:CreateDate="2024-05-06T07:08:09Z"
    xmpMM:DocumentID="xmp.did:${CANARY}"
    photoshop:City="Canaryville ${CANARY}">
   <dc:creator><rdf:Seq><rdf:li>Xmp Author ${CANARY}</rdf:li></rdf:Seq></dc:creator>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Xmp Title ${CANARY}</rdf:li></rdf:Alt></dc:title>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`
}

/** IPTC-IIM (By-line, City, Caption) inside a Photoshop image resource block, as APP13 holds it. */
export function iptcApp13Payload(): Uint8Array {
  const dataset = (tag: number, text: string) =>
    concat(Uint8Array.of(0x1c, 2, tag), u16be(text.length), latin1(text))
  const iim = concat(
    dataset(80, `Byline ${CANARY}`),
    dataset(90, 'IptcCity'),
    dataset(120, `Caption ${CANARY}`),
  )
  const padded = iim.length % 2 ? concat(iim, new Uint8Array(1)) : iim
  return concat(
    latin1('Photoshop 3.0\0'),
    latin1('8BIM'),
    u16be(0x0404),
    Uint8Array.of(0, 0),
    u32be(iim.length),
    padded,
  )
}

function segment(marker: number, payload: Uint8Array): Uint8Array {
  return concat(Uint8Array.of(0xff, marker), u16be(payload.length + 2), payload)
}

/** RGBA pixels, left half red and right half blue, so a rotation shows in the output. */
export function halves(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4
      const left = x < width / 2
      data.set(left ? [230, 20, 20, 255] : [20, 20, 230, 255], i)
    }
  }
  return data
}

/**
 * A 64×32 JPEG as a phone leaves it: Exif (Orientation 6, GPS, make and model, dates, serial, a
 * thumbnail), XMP, IPTC and a comment, every text field holding the canary.
 */
export function metadataJpeg(width = 64, height = 32): Uint8Array {
  const plain = plainJpeg(width, height)
  const thumbnail = plainJpeg(8, 4)
  const inserted = concat(
    segment(0xe1, concat(latin1('Exif\0\0'), exifTiff({ thumbnail, orientation: 6 }))),
    segment(0xe1, concat(latin1('http://ns.adobe.com/xap/1.0/\0'), utf8(xmpPacket()))),
    segment(0xed, iptcApp13Payload()),
    segment(0xfe, latin1(`Comment segment ${CANARY}`)),
  )
  // After SOI and the JFIF APP0 segment, where cameras put theirs.
  const app0End = 4 + ((plain[4] ?? 0) << 8) + (plain[5] ?? 0)
  return concat(plain.subarray(0, app0End), inserted, plain.subarray(app0End))
}

export function plainJpeg(width: number, height: number): Uint8Array {
  return new Uint8Array(jpeg.encode({ width, height, data: halves(width, height) }, 95).data)
}

// ---------------------------------------------------------------------------------------------
// PNG

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(kind: string, data: Uint8Array): Uint8Array {
  const body = concat(latin1(kind), data)
  return concat(u32be(data.length), body, u32be(crc32(body)))
}

/**
 * A 48×24 PNG with the text chunks, Exif (eXIf) and XMP (iTXt) that editors and screenshot tools
 * write. `animated` adds an acTL chunk, which makes it an APNG.
 */
export function metadataPng(width = 48, height = 24, { animated = false } = {}): Uint8Array {
  const rgba = halves(width, height)
  const raw = new Uint8Array(height * (1 + width * 4))
  for (let y = 0; y < height; y++)
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (1 + width * 4) + 1)
  const ihdr = concat(u32be(width), u32be(height), Uint8Array.of(8, 6, 0, 0, 0))
  return concat(
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk('IHDR', ihdr),
    ...(animated ? [chunk('acTL', concat(u32be(1), u32be(0)))] : []),
    chunk('tEXt', latin1(`Author\0Png Author ${CANARY}`)),
    chunk('tEXt', latin1(`Comment\0Png Comment ${CANARY}`)),
    chunk('tEXt', latin1('Software\0CanaryShot 2.0')),
    chunk('eXIf', exifTiff()),
    chunk('iTXt', concat(latin1('XML:com.adobe.xmp\0\0\0\0\0'), utf8(xmpPacket()))),
    chunk('IDAT', new Uint8Array(deflateSync(raw))),
    chunk('IEND', new Uint8Array()),
  )
}

// ---------------------------------------------------------------------------------------------
// GIF

/** A GIF of `frames` 1×1 black frames, each behind a graphic control extension, with a comment. */
export function gif(frames: number): Uint8Array {
  const frame = [
    ...[0x21, 0xf9, 4, 0, 10, 0, 0, 0], // graphic control extension
    ...[0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0], // image descriptor, no local colour table
    ...[2, 2, 0x44, 0x01, 0], // LZW code size, one sub-block, terminator
  ]
  const comment = latin1(`Gif comment ${CANARY}`)
  return concat(
    latin1('GIF89a'),
    Uint8Array.of(1, 0, 1, 0, 0x80, 0, 0), // 1×1, global colour table of 2
    Uint8Array.of(0, 0, 0, 255, 255, 255),
    Uint8Array.of(0x21, 0xfe, comment.length),
    comment,
    Uint8Array.of(0),
    ...Array.from({ length: frames }, () => Uint8Array.from(frame)),
    Uint8Array.of(0x3b),
  )
}

// ---------------------------------------------------------------------------------------------
// WebP

function riffChunk(kind: string, data: Uint8Array): Uint8Array {
  return concat(
    latin1(kind),
    u32le(data.length),
    data,
    data.length % 2 ? new Uint8Array(1) : new Uint8Array(),
  )
}

/**
 * Wraps a WebP as a browser's encoder writes it (VP8 or VP8L, perhaps ALPH and a VP8X header) in
 * the extended format with EXIF and XMP chunks, as phones and editors write it.
 */
export function withWebpMetadata(encoded: Uint8Array, width: number, height: number): Uint8Array {
  if (String.fromCharCode(...encoded.subarray(8, 12)) !== 'WEBP') throw new Error('not a WebP')
  const image: Uint8Array[] = []
  let alpha = 0
  for (let at = 12; at + 8 <= encoded.length; ) {
    const kind = String.fromCharCode(...encoded.subarray(at, at + 4))
    const size =
      (encoded[at + 4] ?? 0) |
      ((encoded[at + 5] ?? 0) << 8) |
      ((encoded[at + 6] ?? 0) << 16) |
      ((encoded[at + 7] ?? 0) << 24)
    const end = at + 8 + size + (size % 2)
    if (kind === 'ALPH' || kind === 'VP8L') alpha = 0x10
    if (kind !== 'VP8X') image.push(encoded.subarray(at, end))
    at = end
  }
  const u24 = (n: number) => Uint8Array.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff)
  const vp8x = concat(Uint8Array.of(0x08 | 0x04 | alpha, 0, 0, 0), u24(width - 1), u24(height - 1))
  const body = concat(
    latin1('WEBP'),
    riffChunk('VP8X', vp8x),
    ...image,
    riffChunk('EXIF', exifTiff()),
    riffChunk('XMP ', utf8(xmpPacket())),
  )
  return concat(latin1('RIFF'), u32le(body.length), body)
}
