import ExifReader from 'exifreader'
import jpeg from 'jpeg-js'
import { PDFDocument } from 'pdf-lib'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CleanedFile } from '../client/evidence/clean-file'
import {
  CANARY,
  contains,
  gif,
  metadataJpeg,
  metadataPng,
  withWebpMetadata,
} from '../client/evidence/test/fixtures'
import { launchBrowser, newContext } from './browser'
import { bundleScript } from './bundle-script'

/**
 * Evidence cleaning in real Chromium: images can only be decoded and redrawn by a browser. The
 * cleaner is bundled on its own (no app, no relay) into one script, run in a blank page with every
 * request refused, and what it returns is checked here in Node with ExifReader and a JPEG decoder.
 */

type WireResult = Omit<CleanedFile, 'bytes'> & { bytes: string }

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')

describe('evidence cleaning in the browser', () => {
  let browser: Browser
  let page: Page
  const requests: string[] = []

  beforeAll(async () => {
    const [script, launched] = await Promise.all([
      bundleScript('client/evidence/clean-file.ts', 'HeardEvidence'),
      launchBrowser(),
    ])
    browser = launched
    const context = await newContext(browser)
    // Nothing the cleaner does may reach the network: every request is recorded and refused.
    await context.route('**/*', (route) => {
      requests.push(route.request().url())
      return route.abort()
    })
    page = await context.newPage()
    await page.goto('about:blank')
    await page.addScriptTag({ content: script })
  })

  afterAll(async () => {
    await browser?.close()
  })

  async function clean(bytes: Uint8Array, type = ''): Promise<CleanedFile> {
    const wire = await page.evaluate(
      async ([data, declared]) => {
        const input = Uint8Array.from(atob(data), (c) => c.charCodeAt(0))
        const api = (window as unknown as { HeardEvidence: typeof import('../client/evidence/clean-file') })
          .HeardEvidence
        const out = await api.cleanFile(new Blob([input], { type: declared }))
        let binary = ''
        for (const byte of out.bytes) binary += String.fromCharCode(byte)
        return { ...out, bytes: btoa(binary) } as WireResult
      },
      [b64(bytes), type] as const,
    )
    return { ...wire, bytes: new Uint8Array(Buffer.from(wire.bytes, 'base64')) }
  }

  /** The metadata ExifReader still finds, by group, leaving out groups that only describe pixels. */
  async function metadataLeft(bytes: Uint8Array): Promise<Record<string, string[]>> {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    const tags = await ExifReader.load(buffer, { expanded: true, async: true })
    if (tags.icc) {
      // Chromium tags what it encodes with its own sRGB profile: the same bytes for everyone, no device.
      const icc = Object.fromEntries(
        Object.entries(tags.icc).map(([name, tag]) => [name, (tag as { description: string }).description]),
      )
      expect(icc['ICC Description']).toBe('sRGB')
      for (const field of ['Device Manufacturer', 'Device Model Number', 'Profile Creator']) {
        expect(icc[field]?.replace(/\0/g, '') ?? '', field).toBe('')
      }
    }
    const left: Record<string, string[]> = {}
    for (const [group, fields] of Object.entries(tags)) {
      if (['file', 'jfif', 'pngFile', 'riff', 'png', 'icc'].includes(group) || !fields) continue
      left[group] = Object.keys(fields)
    }
    for (const name of Object.keys(tags.png ?? {})) {
      if (!(name in (tags.pngFile ?? {}))) left.png = [...(left.png ?? []), name]
    }
    return left
  }

  it('re-encodes a phone JPEG upright, with no Exif, GPS, XMP, IPTC or comment left', async () => {
    const original = metadataJpeg(64, 32)
    expect(contains(original, CANARY)).toBe(true)
    const cleaned = await clean(original, 'image/jpeg')

    expect(cleaned).toMatchObject({ type: 'image/jpeg', cleaning: 'reencoded', width: 32, height: 64 })
    expect(cleaned.removed).toEqual([
      'location',
      'camera',
      'author',
      'software',
      'dates',
      'description',
      'thumbnail',
      'identifiers',
    ])
    expect(contains(cleaned.bytes, CANARY)).toBe(false)
    expect(contains(cleaned.bytes, 'Canary')).toBe(false)
    expect(contains(cleaned.bytes, 'Exif')).toBe(false)
    expect(contains(cleaned.bytes, 'http://ns.adobe.com/xap')).toBe(false)
    expect(contains(cleaned.bytes, 'Photoshop 3.0')).toBe(false)
    expect(await metadataLeft(cleaned.bytes)).toEqual({})

    // Orientation 6 is "turn 90° clockwise": the red left half of the stored image is now on top.
    const decoded = jpeg.decode(cleaned.bytes, { useTArray: true })
    expect([decoded.width, decoded.height]).toEqual([32, 64])
    const pixel = (x: number, y: number) =>
      Array.from(decoded.data.subarray((y * 32 + x) * 4, (y * 32 + x) * 4 + 3))
    const [topR = 0, , topB = 0] = pixel(16, 12)
    const [bottomR = 0, , bottomB = 0] = pixel(16, 52)
    expect(topR).toBeGreaterThan(150)
    expect(topB).toBeLessThan(100)
    expect(bottomB).toBeGreaterThan(150)
    expect(bottomR).toBeLessThan(100)
  })

  it('re-encodes a PNG as a PNG of the same size, without text, Exif or XMP chunks', async () => {
    const cleaned = await clean(metadataPng(48, 24), 'image/png')
    expect(cleaned).toMatchObject({ type: 'image/png', cleaning: 'reencoded', width: 48, height: 24 })
    expect(cleaned.removed).toEqual([
      'location',
      'camera',
      'author',
      'software',
      'dates',
      'description',
      'identifiers',
    ])
    expect(contains(cleaned.bytes, CANARY)).toBe(false)
    expect(contains(cleaned.bytes, 'Canary')).toBe(false)
    expect(await metadataLeft(cleaned.bytes)).toEqual({})
    const tags = await ExifReader.load(cleaned.bytes.slice().buffer, { expanded: true })
    expect([tags.pngFile?.['Image Width']?.value, tags.pngFile?.['Image Height']?.value]).toEqual([48, 24])
  })

  it('re-encodes a WebP as a WebP of the same size, without EXIF or XMP chunks', async () => {
    // The browser's own encoder makes the picture; the metadata chunks are added around it in Node.
    const simple = await page.evaluate(async () => {
      const canvas = new OffscreenCanvas(40, 20)
      const context = canvas.getContext('2d')
      if (!context) throw new Error('no canvas')
      context.fillStyle = '#c22'
      context.fillRect(0, 0, 20, 20)
      context.fillStyle = '#22c'
      context.fillRect(20, 0, 20, 20)
      const blob = await canvas.convertToBlob({ type: 'image/webp', quality: 0.9 })
      return Array.from(new Uint8Array(await blob.arrayBuffer()))
    })
    const original = withWebpMetadata(Uint8Array.from(simple), 40, 20)
    expect(contains(original, CANARY)).toBe(true)

    const cleaned = await clean(original, 'image/webp')
    expect(cleaned.mayStillCarry).toBeUndefined()
    expect(cleaned).toMatchObject({ type: 'image/webp', cleaning: 'reencoded', width: 40, height: 20 })
    expect(cleaned.removed).toEqual([
      'location',
      'camera',
      'author',
      'software',
      'dates',
      'description',
      'identifiers',
    ])
    expect(contains(cleaned.bytes, CANARY)).toBe(false)
    expect(contains(cleaned.bytes, 'EXIF')).toBe(false)
    expect(contains(cleaned.bytes, 'XMP ')).toBe(false)
    expect(Buffer.from(cleaned.bytes.subarray(8, 12)).toString('latin1')).toBe('WEBP')
    expect(await metadataLeft(cleaned.bytes)).toEqual({})
    // The cleaned file decodes, at the same size.
    const size = await page.evaluate(async (data) => {
      const bitmap = await createImageBitmap(new Blob([Uint8Array.from(data)], { type: 'image/webp' }))
      return [bitmap.width, bitmap.height]
    }, Array.from(cleaned.bytes))
    expect(size).toEqual([40, 20])
  })

  it('redraws a still GIF as a PNG, without its comment', async () => {
    const cleaned = await clean(gif(1), 'image/gif')
    expect(cleaned).toMatchObject({
      type: 'image/png',
      cleaning: 'reencoded',
      width: 1,
      height: 1,
      removed: ['description'],
    })
    expect(contains(cleaned.bytes, CANARY)).toBe(false)
    expect(await clean(gif(2), 'image/gif')).toMatchObject({
      cleaning: 'not-cleaned',
      mayStillCarry: 'animated-image',
    })
  })

  it('gives back an image the browser cannot decode, saying why and what it carries', async () => {
    // A HEIC header Chromium cannot decode (it decodes no HEIC at all), then the phone's Exif.
    const heic = new Uint8Array([
      ...[0, 0, 0, 24],
      ...Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'),
      ...metadataJpeg(8, 4).subarray(2),
    ])
    const cleaned = await clean(heic, 'image/heic')
    expect(cleaned).toMatchObject({
      type: 'image/heic',
      cleaning: 'not-cleaned',
      mayStillCarry: 'undecodable-image',
    })
    expect(cleaned.removed).toEqual([])
    expect(cleaned.bytes).toEqual(heic)

    const broken = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 1, 2, 0xff, 0xd9])
    expect(await clean(broken, 'image/jpeg')).toMatchObject({
      cleaning: 'not-cleaned',
      mayStillCarry: 'undecodable-image',
    })
  })

  it('cleans a PDF in the browser too', async () => {
    const doc = await PDFDocument.create()
    doc.addPage()
    doc.addPage()
    doc.setAuthor(`Author ${CANARY}`)
    doc.setProducer(`Producer ${CANARY}`)
    const cleaned = await clean(await doc.save(), '')
    expect(cleaned).toMatchObject({ type: 'application/pdf', cleaning: 'metadata-removed', pages: 2 })
    expect(cleaned.removed).toEqual(['author', 'software', 'dates'])
    expect(contains(cleaned.bytes, CANARY)).toBe(false)
    expect((await PDFDocument.load(cleaned.bytes)).getPageCount()).toBe(2)
  })

  it('asked the network for nothing', () => {
    expect(requests).toEqual([])
  })
})
