import ExifReader from 'exifreader'
import type { StrippedMetadata } from '../../shared/protocol/attachment-kinds'
import { hasJpegComment } from './jpeg-segments'
import { kindsOfField, sortKinds } from './metadata-kinds'
import { gifBlocks, sniff } from './sniff'
import { findXmpPackets, kindsInXmp } from './xmp'

/**
 * What an image carries besides its pixels (JPEG, PNG, WebP, GIF, HEIC, AVIF, TIFF), read BEFORE
 * it is cleaned so the person can be told what was removed. ExifReader reads Exif, IPTC, maker
 * notes, thumbnails and PNG text; XMP is read by xmp.ts (ExifReader would need DOMParser for it,
 * which workers lack); JPEG and GIF comments here (ExifReader skips them).
 */
export async function inspectImage(bytes: Uint8Array): Promise<StrippedMetadata[]> {
  const kinds = new Set<StrippedMetadata>()
  for (const packet of findXmpPackets(bytes)) for (const kind of kindsInXmp(packet)) kinds.add(kind)
  for (const packet of await compressedPngXmp(bytes)) for (const kind of kindsInXmp(packet)) kinds.add(kind)
  if (hasJpegComment(bytes)) kinds.add('description')
  if (sniff(bytes).type === 'image/gif' && gifBlocks(bytes, { all: true }).comment) kinds.add('description')
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
    const tags = await ExifReader.load(buffer, { expanded: true, async: true, excludeTags: { xmp: true } })
    for (const kind of kindsOfTags(tags)) kinds.add(kind)
  } catch {
    // A metadata block too damaged to read is still metadata, and re-encoding drops it all the same.
    if (!kinds.size) kinds.add('other')
  }
  return sortKinds(kinds)
}

type Group = Record<string, unknown> | undefined

/** Groups that only say how to draw the pixels, or repeat another group. */
const LAYOUT_GROUPS = new Set(['file', 'pngFile', 'riff', 'gif', 'icc', 'composite', 'metadataRange', 'xmp'])

/** ExifReader's expanded output → kinds. Exported for tests. */
export function kindsOfTags(tags: object): Set<StrippedMetadata> {
  const kinds = new Set<StrippedMetadata>()
  for (const [group, value] of Object.entries(tags)) {
    if (LAYOUT_GROUPS.has(group) || !value || typeof value !== 'object') continue
    const fields = value as Exclude<Group, undefined>
    switch (group) {
      case 'gps':
        kinds.add('location')
        break
      case 'Thumbnail':
        // IFD1 with a JPEG preview of the photo, which an editor does not update when it crops.
        if ('image' in fields || 'JPEGInterchangeFormat' in fields) kinds.add('thumbnail')
        break
      case 'mpf':
        // Multi-picture: previews, HDR gain maps or depth maps stored after the main image.
        kinds.add('thumbnail')
        break
      case 'jfif':
        if ('JFIF Thumbnail' in fields) kinds.add('thumbnail')
        break
      case 'makerNotes':
        // Vendor-private fields: settings, and often the body's serial number.
        kinds.add('camera')
        break
      default:
        for (const [name, field] of Object.entries(fields)) {
          if (name === 'XML:com.adobe.xmp') {
            const text = (field as { value?: unknown } | undefined)?.value
            for (const kind of kindsInXmp(typeof text === 'string' ? text : '')) kinds.add(kind)
            continue
          }
          for (const kind of kindsOfField(name)) kinds.add(kind)
        }
    }
  }
  return kinds
}

/**
 * XMP in a compressed PNG iTXt chunk is invisible to a byte search. Rare (most writers leave XMP
 * uncompressed so it can be found), but a tool that compresses it would otherwise hide everything.
 */
async function compressedPngXmp(bytes: Uint8Array): Promise<string[]> {
  if (bytes[0] !== 0x89 || bytes[1] !== 0x50 || typeof DecompressionStream !== 'function') return []
  const packets: string[] = []
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (let at = 8; at + 12 <= bytes.length; ) {
    const length = view.getUint32(at)
    const kind = String.fromCharCode(...bytes.subarray(at + 4, at + 8))
    const data = bytes.subarray(at + 8, Math.min(at + 8 + length, bytes.length))
    if (kind === 'IEND') break
    const keyword = 'XML:com.adobe.xmp\0'
    if (kind === 'iTXt' && String.fromCharCode(...data.subarray(0, keyword.length)) === keyword) {
      const compressed = data[keyword.length] === 1
      // Keyword, compression flag and method, then a language tag and a translated keyword.
      let text = keyword.length + 2
      for (let zeros = 0; zeros < 2 && text < data.length; text++) if (data[text] === 0) zeros++
      if (compressed) {
        try {
          const stream = new Blob([data.slice(text)]).stream().pipeThrough(new DecompressionStream('deflate'))
          packets.push(await new Response(stream).text())
        } catch {
          // Unreadable, but there was something: counted as 'other'.
          packets.push('<unreadable:xmp/>')
        }
      }
    }
    at += 12 + length
  }
  return packets
}
