import { deflateSync } from 'node:zlib'
import { MARK } from '../app/mark-geometry'

/**
 * Node only (build-time tooling, never bundled). Draws Heard's mark — a light speech bubble on a deep
 * teal field — as RGBA pixels and encodes them as PNG, with no image library. The same geometry is
 * written as SVG for the favicon and drawn by `client/app/Mark.tsx` in the page.
 */

export const BRAND = {
  /** Deep teal: the icon field and the manifest's theme colour. */
  fieldTop: [0x13, 0x5f, 0x6b],
  fieldBottom: [0x0b, 0x3b, 0x46],
  bubble: [0xf6, 0xf3, 0xec],
} as const

type Rgb = readonly [number, number, number]

export interface IconSpec {
  readonly size: number
  /**
   * A maskable icon fills the whole square and keeps the mark inside the central safe circle
   * (radius 40 % of the size) that every platform mask leaves visible.
   */
  readonly maskable: boolean
}

const BUBBLE = MARK.bubble
const TAIL = MARK.tail
const FIELD_RADIUS = MARK.fieldRadius
const MASKABLE_SCALE = 0.78
const SAMPLES = 4

function insideRoundedBox(x: number, y: number, cx: number, cy: number, hw: number, hh: number, r: number) {
  const qx = Math.abs(x - cx) - (hw - r)
  const qy = Math.abs(y - cy) - (hh - r)
  if (qx <= 0 || qy <= 0) return qx <= r && qy <= r
  return qx * qx + qy * qy <= r * r
}

type Point = readonly [number, number]

function insideTriangle(x: number, y: number, [a, b, c]: readonly [Point, Point, Point]) {
  const side = (p: Point, q: Point) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0])
  const d1 = side(a, b)
  const d2 = side(b, c)
  const d3 = side(c, a)
  const hasNeg = d1 < 0 || d2 < 0 || d3 < 0
  const hasPos = d1 > 0 || d2 > 0 || d3 > 0
  return !(hasNeg && hasPos)
}

function insideBubble(x: number, y: number) {
  const b = BUBBLE
  return insideRoundedBox(x, y, b.cx, b.cy, b.halfW, b.halfH, b.radius) || insideTriangle(x, y, TAIL)
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}

/** RGBA pixels, row by row, 4 bytes per pixel, straight (not premultiplied) alpha. */
export function renderIcon(spec: IconSpec): Uint8Array {
  const { size, maskable } = spec
  const out = new Uint8Array(size * size * 4)
  const scale = maskable ? MASKABLE_SCALE : 1
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let field = 0
      let bubble = 0
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const x = (px + (sx + 0.5) / SAMPLES) / size
          const y = (py + (sy + 0.5) / SAMPLES) / size
          const inField = maskable || insideRoundedBox(x, y, 0.5, 0.5, 0.5, 0.5, FIELD_RADIUS)
          if (!inField) continue
          field++
          if (insideBubble(0.5 + (x - 0.5) / scale, 0.5 + (y - 0.5) / scale)) bubble++
        }
      }
      const n = SAMPLES * SAMPLES
      const fieldColour = mix(BRAND.fieldTop, BRAND.fieldBottom, (py + 0.5) / size)
      // Bubble coverage is a share of the covered field, so edges blend over the field, not over black.
      const colour = field === 0 ? fieldColour : mix(fieldColour, BRAND.bubble, bubble / field)
      const i = (py * size + px) * 4
      out[i] = Math.round(colour[0])
      out[i + 1] = Math.round(colour[1])
      out[i + 2] = Math.round(colour[2])
      out[i + 3] = Math.round((255 * field) / n)
    }
  }
  return out
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] as number) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const body = Buffer.concat([head.subarray(4), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body), 0)
  return Buffer.concat([head.subarray(0, 4), body, crc])
}

/** Scanlines with filter type 0 (none) before each row, as the PNG IDAT stream expects. */
export function scanlines(rgba: Uint8Array, size: number): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1))
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0
    raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1)
  }
  return raw
}

/** A complete PNG file: 8-bit RGBA, not interlaced. */
export function encodePng(rgba: Uint8Array, size: number): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 6 // colour type RGBA
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(scanlines(rgba, size), { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ])
}

const hex = (c: Rgb) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`

/** The same mark as a 64×64 SVG (favicon). Only presentation attributes: nothing a strict CSP refuses. */
export function markSvg(): string {
  const u = (v: number) => +(v * 64).toFixed(2)
  const b = BUBBLE
  const tail = TAIL.map(([x, y]) => `${u(x)},${u(y)}`).join(' ')
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">',
    '<title>Heard</title>',
    '<defs><linearGradient id="f" x1="0" y1="0" x2="0" y2="1">',
    `<stop offset="0" stop-color="${hex(BRAND.fieldTop)}"/><stop offset="1" stop-color="${hex(BRAND.fieldBottom)}"/>`,
    '</linearGradient></defs>',
    `<rect width="64" height="64" rx="${u(FIELD_RADIUS)}" fill="url(#f)"/>`,
    `<rect x="${u(b.cx - b.halfW)}" y="${u(b.cy - b.halfH)}" width="${u(2 * b.halfW)}" height="${u(2 * b.halfH)}" rx="${u(b.radius)}" fill="${hex(BRAND.bubble)}"/>`,
    `<polygon points="${tail}" fill="${hex(BRAND.bubble)}"/>`,
    '</svg>',
    '',
  ].join('')
}

/** Every file the icon script writes under `public/`, with its bytes. */
export function iconFiles(): { path: string; bytes: Buffer; spec?: IconSpec }[] {
  const png = (path: string, spec: IconSpec) => ({
    path,
    spec,
    bytes: encodePng(renderIcon(spec), spec.size),
  })
  return [
    png('icons/icon-192.png', { size: 192, maskable: false }),
    png('icons/icon-512.png', { size: 512, maskable: false }),
    png('icons/maskable-512.png', { size: 512, maskable: true }),
    png('icons/apple-touch-icon-180.png', { size: 180, maskable: true }),
    { path: 'favicon.svg', bytes: Buffer.from(markSvg(), 'utf8') },
  ]
}
