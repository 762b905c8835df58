import jpeg from 'jpeg-js'
import { describe, expect, it } from 'vitest'
import { inspectImage, kindsOfTags } from './inspect-metadata'
import { hasJpegComment, hasJpegMetadata, stripJpegMetadata } from './jpeg-segments'
import { kindsOfField, sortKinds } from './metadata-kinds'
import {
  CANARY,
  concat,
  contains,
  gif,
  metadataJpeg,
  metadataPng,
  plainJpeg,
  xmpPacket,
} from './test/fixtures'
import { findXmpPackets, kindsInXmp } from './xmp'

describe('inspectImage', () => {
  it('finds every kind a phone photo carries', async () => {
    expect(await inspectImage(metadataJpeg())).toEqual([
      'location',
      'camera',
      'author',
      'software',
      'dates',
      'description',
      'thumbnail',
      'identifiers',
    ])
  })

  it('reads PNG text chunks, eXIf and iTXt XMP', async () => {
    expect(await inspectImage(metadataPng())).toEqual([
      'location',
      'camera',
      'author',
      'software',
      'dates',
      'description',
      'identifiers',
    ])
  })

  it('reads a GIF comment', async () => {
    expect(await inspectImage(gif(1))).toEqual(['description'])
  })

  it('finds nothing in an image that carries nothing', async () => {
    expect(await inspectImage(plainJpeg(16, 8))).toEqual([])
  })

  it('reads each JPEG metadata segment on its own', async () => {
    const plain = plainJpeg(16, 8)
    const withSegment = (marker: number, text: string) => {
      const payload = new TextEncoder().encode(text)
      const segment = concat(
        Uint8Array.of(0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff),
        payload,
      )
      return concat(plain.subarray(0, 2), segment, plain.subarray(2))
    }
    expect(await inspectImage(withSegment(0xfe, 'a comment'))).toEqual(['description'])
    expect(await inspectImage(withSegment(0xe1, `http://ns.adobe.com/xap/1.0/\0${xmpPacket()}`))).toEqual([
      'location',
      'author',
      'software',
      'dates',
      'description',
      'identifiers',
    ])
  })

  it('does not fail on damaged metadata', async () => {
    const plain = plainJpeg(16, 8)
    // An Exif segment whose first IFD lies far past its end, then one cut short.
    const exif = (payload: number[]) =>
      concat(
        Uint8Array.of(0xff, 0xe1, 0, payload.length + 8),
        new TextEncoder().encode('Exif\0\0'),
        Uint8Array.from(payload),
      )
    for (const payload of [
      [0x4d, 0x4d, 0, 0x2a, 0xff, 0xff, 0xff, 0xf0],
      [0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 5, 0],
    ]) {
      const kinds = await inspectImage(concat(plain.subarray(0, 2), exif(payload), plain.subarray(2)))
      expect(kinds.every((kind) => kind === 'other')).toBe(true)
    }
  })
})

describe('kindsOfField', () => {
  it.each([
    ['GPSLatitude', ['location']],
    ['GPSDateStamp', ['location']],
    ['Make', ['camera']],
    ['LensModel', ['camera']],
    ['ExposureTime', ['camera']],
    ['BodySerialNumber', ['camera', 'identifiers']],
    ['Artist', ['author']],
    ['By-line', ['author']],
    ['CameraOwnerName', ['author']],
    ['Software', ['software']],
    ['Originating Program', ['software']],
    ['DateTimeOriginal', ['dates']],
    ['OffsetTimeOriginal', ['dates']],
    ['Creation Time', ['dates']],
    ['Date Created', ['dates']],
    ['UserComment', ['description']],
    ['Caption/Abstract', ['description']],
    ['XPTitle', ['description']],
    ['ImageUniqueID', ['identifiers']],
    ['Orientation', []],
    ['PixelXDimension', []],
    ['Exif IFD Pointer', []],
    ['Rating', ['other']],
    ['SomethingNobodyKnows', ['other']],
  ])('%s → %j', (name, kinds) => {
    expect(kindsOfField(name)).toEqual(kinds)
  })

  it('sorts kinds in the protocol order and drops repeats', () => {
    expect(sortKinds(['other', 'location', 'dates', 'location'])).toEqual(['location', 'dates', 'other'])
  })
})

describe('kindsOfTags', () => {
  it('counts thumbnails, multi-picture previews and maker notes by group', () => {
    expect(sortKinds(kindsOfTags({ Thumbnail: { image: new ArrayBuffer(1) } }))).toEqual(['thumbnail'])
    expect(sortKinds(kindsOfTags({ mpf: { Images: {} } }))).toEqual(['thumbnail'])
    expect(sortKinds(kindsOfTags({ makerNotes: { ShotInfo: {} } }))).toEqual(['camera'])
    expect(
      sortKinds(kindsOfTags({ file: { 'Image Width': {} }, icc: { 'Profile Description': {} } })),
    ).toEqual([])
  })
})

describe('XMP', () => {
  it('goes by namespace URI, not by the prefix a writer picked', () => {
    const packet = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
      <rdf:Description xmlns:a="http://purl.org/dc/elements/1.1/" xmlns:b="http://ns.adobe.com/exif/1.0/"
        b:GPSLatitude="51,30N" b:PixelXDimension="10"><a:creator>x</a:creator></rdf:Description></rdf:RDF></x:xmpmeta>`
    expect(sortKinds(kindsInXmp(packet))).toEqual(['location', 'author'])
  })

  it('counts edit history, and unknown namespaces as other', () => {
    const packet = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
      <rdf:Description xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmlns:stEvt="http://ns.adobe.com/xap/1.0/sType/ResourceEvent#"
        xmlns:GCamera="http://ns.google.com/photos/1.0/camera/" GCamera:MicroVideo="1">
        <xmpMM:History><rdf:Seq><rdf:li stEvt:action="saved" stEvt:when="2024-01-01" stEvt:softwareAgent="Editor"/></rdf:Seq></xmpMM:History>
      </rdf:Description></rdf:RDF></x:xmpmeta>`
    expect(sortKinds(kindsInXmp(packet))).toEqual(['software', 'dates', 'other'])
  })

  it('finds every packet, and one cut off by the end of the file', () => {
    const text = `junk<x:xmpmeta a="1"></x:xmpmeta>junk<rdf:RDF b="2"></rdf:RDF><x:xmpmeta c="3">`
    expect(findXmpPackets(new TextEncoder().encode(text))).toEqual([
      '<x:xmpmeta a="1"></x:xmpmeta>',
      '<rdf:RDF b="2"></rdf:RDF>',
      '<x:xmpmeta c="3">',
    ])
  })
})

describe('stripJpegMetadata', () => {
  it('removes Exif, XMP, IPTC and comments and leaves the picture exactly as it was', () => {
    const original = metadataJpeg()
    expect(hasJpegMetadata(original)).toBe(true)
    expect(hasJpegComment(original)).toBe(true)
    const stripped = stripJpegMetadata(original)
    if (!stripped) throw new Error('not stripped')
    expect(contains(original, CANARY)).toBe(true)
    expect(contains(stripped, CANARY)).toBe(false)
    expect(contains(stripped, 'CanaryMake')).toBe(false)
    expect(hasJpegMetadata(stripped)).toBe(false)
    const before = jpeg.decode(original, { useTArray: true })
    const after = jpeg.decode(stripped, { useTArray: true })
    expect([after.width, after.height]).toEqual([64, 32])
    expect(Buffer.from(after.data).equals(Buffer.from(before.data))).toBe(true)
  })

  it('drops whatever follows the end of the image, and keeps a plain JPEG byte for byte', () => {
    const plain = plainJpeg(16, 8)
    expect(stripJpegMetadata(plain)).toEqual(plain)
    const trailing = concat(plain, new TextEncoder().encode(`appended ${CANARY}`))
    expect(hasJpegMetadata(trailing)).toBe(true)
    expect(stripJpegMetadata(trailing)).toEqual(plain)
  })

  it('refuses bytes it cannot walk', () => {
    expect(stripJpegMetadata(new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]))).toBeNull()
    expect(stripJpegMetadata(new TextEncoder().encode('not a jpeg'))).toBeNull()
    expect(stripJpegMetadata(plainJpeg(16, 8).subarray(0, 200))).toBeNull()
  })
})
