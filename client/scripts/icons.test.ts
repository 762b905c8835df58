import { readFileSync } from 'node:fs'
import path from 'node:path'
import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { markSvg, renderIcon, scanlines } from './icons'

const publicDir = path.resolve(import.meta.dirname, '../../public')

/** Width, height and the inflated IDAT stream of a PNG file (compression may differ across zlib versions). */
function readPng(file: string) {
  const bytes = readFileSync(path.join(publicDir, file))
  const idat: Buffer[] = []
  let width = 0
  let height = 0
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at)
    const type = bytes.toString('latin1', at + 4, at + 8)
    const data = bytes.subarray(at + 8, at + 8 + length)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
    }
    if (type === 'IDAT') idat.push(data)
    at += 12 + length
  }
  return { width, height, pixels: inflateSync(Buffer.concat(idat)) }
}

describe('committed icons', () => {
  it.each([
    ['icons/icon-192.png', 192],
    ['icons/icon-512.png', 512],
    ['icons/maskable-512.png', 512],
    ['icons/apple-touch-icon-180.png', 180],
  ])('%s is a %i px square PNG', (file, size) => {
    const png = readPng(file)
    expect([png.width, png.height]).toEqual([size, size])
  })

  it('match what the icon script draws (run client/scripts/make-icons.ts after changing it)', () => {
    for (const [file, size, maskable] of [
      ['icons/icon-192.png', 192, false],
      ['icons/apple-touch-icon-180.png', 180, true],
    ] as const) {
      const drawn = scanlines(renderIcon({ size, maskable }), size)
      expect(readPng(file).pixels.equals(drawn), file).toBe(true)
    }
    expect(readFileSync(path.join(publicDir, 'favicon.svg'), 'utf8')).toBe(markSvg())
  })
})
