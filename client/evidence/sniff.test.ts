import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { neutralName } from './names'
import { gifBlocks, looksLikeText, normalizeType, sniff } from './sniff'
import { gif, metadataJpeg, metadataPng } from './test/fixtures'

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? Array.from(p, (c) => c.charCodeAt(0)) : p)))

describe('sniff', () => {
  it('goes by the bytes, not the declared type', () => {
    expect(sniff(metadataJpeg(), 'text/plain')).toEqual({
      family: 'image',
      type: 'image/jpeg',
      animated: false,
    })
    expect(sniff(metadataPng(), 'image/jpeg')).toEqual({
      family: 'image',
      type: 'image/png',
      animated: false,
    })
    expect(sniff(bytes('%PDF-1.7\n'), 'image/png')).toEqual({ family: 'pdf', type: 'application/pdf' })
    expect(sniff(bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 '), '')).toMatchObject({
      family: 'image',
      type: 'image/webp',
    })
  })

  it('finds a PDF header after leading junk, as readers do', () => {
    expect(sniff(bytes([0xef, 0xbb, 0xbf], '\r\n%PDF-1.4\n')).family).toBe('pdf')
  })

  it('tells animations from stills', () => {
    expect(sniff(gif(1))).toEqual({ family: 'image', type: 'image/gif', animated: false })
    expect(sniff(gif(3))).toEqual({ family: 'image', type: 'image/gif', animated: true })
    expect(gifBlocks(gif(3), { all: true })).toEqual({ frames: 3, comment: true })
    expect(sniff(metadataPng(8, 4, { animated: true }))).toMatchObject({ type: 'image/png', animated: true })
    const vp8x = (flags: number) => bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8X', [10, 0, 0, 0, flags, 0, 0, 0])
    expect(sniff(vp8x(0x02))).toMatchObject({ type: 'image/webp', animated: true })
    expect(sniff(vp8x(0x08))).toMatchObject({ type: 'image/webp', animated: false })
  })

  it('reads ISO media brands: HEIC and AVIF photos, phone videos', () => {
    const ftyp = (major: string, ...compatible: string[]) =>
      bytes([0, 0, 0, 16 + 4 * compatible.length], 'ftyp', major, [0, 0, 0, 0], ...compatible)
    expect(sniff(ftyp('heic', 'mif1', 'heic'))).toMatchObject({ family: 'image', type: 'image/heic' })
    expect(sniff(ftyp('mif1', 'mif1', 'avif'))).toMatchObject({ family: 'image', type: 'image/avif' })
    expect(sniff(ftyp('mif1', 'mif1'))).toMatchObject({ family: 'image', type: 'image/heif' })
    expect(sniff(ftyp('qt  ', 'qt  '))).toEqual({ family: 'other', type: 'video/quicktime', reason: 'video' })
    expect(sniff(ftyp('isom', 'isom', 'mp42'))).toEqual({
      family: 'other',
      type: 'video/mp4',
      reason: 'video',
    })
    expect(sniff(ftyp('M4A ', 'M4A '))).toMatchObject({ reason: 'audio' })
  })

  it('names what other files may carry', () => {
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
    expect(sniff(bytes('PK', [3, 4]), docx)).toEqual({
      family: 'other',
      type: docx,
      reason: 'office-document',
    })
    expect(sniff(bytes('PK', [3, 4]), '')).toEqual({
      family: 'other',
      type: 'application/zip',
      reason: 'archive',
    })
    expect(sniff(bytes('{\\rtf1\\ansi {\\info{\\author Someone}}}'), 'text/plain')).toMatchObject({
      reason: 'office-document',
    })
    expect(sniff(bytes('ID3', [4, 0]), '')).toMatchObject({ reason: 'audio' })
    expect(sniff(bytes([0x1a, 0x45, 0xdf, 0xa3]), '')).toMatchObject({ reason: 'video' })
    expect(sniff(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml')).toEqual({
      family: 'other',
      type: 'image/svg+xml',
      reason: 'markup',
    })
    expect(sniff(bytes('  <!DOCTYPE html><title>x</title>'), '')).toMatchObject({
      type: 'text/html',
      reason: 'markup',
    })
    expect(sniff(bytes([0, 1, 2, 3, 4, 5]), '')).toEqual({
      family: 'other',
      type: 'application/octet-stream',
      reason: 'unknown-type',
    })
  })

  it('takes text as plain text only when nothing says otherwise', () => {
    expect(sniff(bytes('Hello,\r\n\tthey wrote: "…"\n'), 'text/plain')).toEqual({
      family: 'text',
      type: 'text/plain',
    })
    expect(sniff(bytes('a,b\n1,2\n'), 'text/csv')).toEqual({ family: 'text', type: 'text/csv' })
    expect(sniff(bytes('no type, as from a paste'), '')).toEqual({ family: 'text', type: 'text/plain' })
    expect(sniff(bytes('{"a": 1}'), 'application/json')).toMatchObject({
      family: 'other',
      reason: 'unknown-type',
    })
    expect(sniff(bytes('text', [0], 'with a NUL'), 'text/plain')).toMatchObject({ family: 'other' })
  })

  it('reads UTF-16 and legacy 8-bit text as text', () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from('Hé!', (c) => [c.charCodeAt(0), 0]).flat()])
    expect(looksLikeText(utf16)).toBe('plain')
    expect(looksLikeText(bytes('caf', [0xe9], ' cr', [0xe8], 'me'))).toBe('plain')
    expect(sniff(utf16, 'text/plain')).toEqual({ family: 'text', type: 'text/plain' })
  })

  it('never throws, whatever the bytes and declared type', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string(), (data, type) => {
        const result = sniff(data, type)
        expect(normalizeType(result.type)).toBe(result.type)
      }),
    )
  })
})

describe('normalizeType', () => {
  it('keeps what the AttachmentRef schema accepts and replaces the rest', () => {
    expect(normalizeType('Text/Plain; charset=UTF-8')).toBe('text/plain')
    expect(normalizeType('')).toBe('application/octet-stream')
    expect(normalizeType(undefined)).toBe('application/octet-stream')
    expect(normalizeType('not a type')).toBe('application/octet-stream')
    expect(normalizeType(`a/${'b'.repeat(100)}`)).toBe('application/octet-stream')
  })
})

describe('neutralName', () => {
  it('says what the file is and its place, nothing else', () => {
    expect(neutralName('image/jpeg', 1)).toBe('image-1.jpg')
    expect(neutralName('image/png', 2)).toBe('image-2.png')
    expect(neutralName('image/webp', 3)).toBe('image-3.webp')
    expect(neutralName('application/pdf', 1)).toBe('document-1.pdf')
    expect(neutralName('text/plain', 4)).toBe('text-4.txt')
    expect(neutralName('text/plain; charset=utf-8', 4)).toBe('text-4.txt')
    expect(neutralName('text/csv', 1)).toBe('text-1.csv')
    expect(neutralName('video/quicktime', 1)).toBe('video-1.mov')
    expect(neutralName('audio/mpeg', 1)).toBe('audio-1.mp3')
    expect(neutralName('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 5)).toBe(
      'document-5.docx',
    )
    expect(neutralName('application/octet-stream', 6)).toBe('file-6.bin')
    expect(neutralName('application/x-something', 7)).toBe('file-7.bin')
    expect(neutralName('image/x-unknown', 8)).toBe('image-8.bin')
  })

  it('counts from 1 whatever it is given', () => {
    expect(neutralName('image/png', 0)).toBe('image-1.png')
    expect(neutralName('image/png', -3)).toBe('image-1.png')
    expect(neutralName('image/png', 1.5)).toBe('image-1.png')
  })
})
