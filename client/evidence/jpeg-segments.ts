/**
 * JPEG metadata segments, removed without decoding the picture. Photos are re-encoded instead
 * (see strip-image.ts), but a PDF keeps each embedded photo as the original JPEG file, Exif and
 * GPS included, and a PDF cannot be redrawn the way a photo can: for those the segments go.
 */

/** APP0 "JFIF" and "JFXX", APP1 Exif and XMP, APP2 ICC and MPF, APP13 IPTC, APP14 Adobe, COM. */
export interface JpegSegment {
  readonly marker: number
  /** Offset of the 0xFF that starts the marker. */
  readonly start: number
  /** Offset just past the segment's payload. */
  readonly end: number
}

const SOI = 0xd8
const EOI = 0xd9
const SOS = 0xda
const COM = 0xfe
const APP0 = 0xe0
const APP2 = 0xe2
const APP14 = 0xee

/**
 * The marker segments before and between scans, and where the image data ends (just past EOI).
 * Null for bytes that are not a well-formed JPEG, so a caller never cuts a file it misread.
 */
export function jpegSegments(bytes: Uint8Array): { segments: JpegSegment[]; end: number } | null {
  if (bytes[0] !== 0xff || bytes[1] !== SOI) return null
  const segments: JpegSegment[] = []
  let at = 2
  while (at < bytes.length) {
    if (bytes[at] !== 0xff) return null
    while (bytes[at + 1] === 0xff) at++ // fill bytes
    const marker = bytes[at + 1]
    if (marker === undefined) return null
    if (marker === EOI) return { segments, end: at + 2 }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2
      continue
    }
    const length = ((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0)
    const end = at + 2 + length
    if (length < 2 || end > bytes.length) return null
    segments.push({ marker, start: at, end })
    at = end
    if (marker === SOS) {
      // Entropy-coded data: 0xFF is followed by 0x00 (a stuffed byte) or a restart marker.
      while (at + 1 < bytes.length) {
        const next = bytes[at + 1] ?? 0
        if (bytes[at] === 0xff && next !== 0x00 && !(next >= 0xd0 && next <= 0xd7)) break
        at++
      }
      if (at + 1 >= bytes.length) return null
    }
  }
  return null
}

const label = (bytes: Uint8Array, s: JpegSegment, length: number): string =>
  String.fromCharCode(...bytes.subarray(s.start + 4, Math.min(s.end, s.start + 4 + length)))

/** Segments the decoder needs to show the same colours: everything else is metadata. */
function isNeeded(bytes: Uint8Array, s: JpegSegment): boolean {
  if (s.marker === APP0) return label(bytes, s, 5) === 'JFIF\0'
  if (s.marker === APP2) return label(bytes, s, 12) === 'ICC_PROFILE\0'
  if (s.marker === APP14) return label(bytes, s, 5) === 'Adobe'
  return !(s.marker > APP0 && s.marker <= 0xef) && s.marker !== COM
}

/** True when the JPEG holds segments that stripJpegMetadata would remove. */
export function hasJpegMetadata(bytes: Uint8Array): boolean {
  const parsed = jpegSegments(bytes)
  if (!parsed) return false
  return (
    parsed.end < bytes.length || parsed.segments.some((s) => !isNeeded(bytes, s) || jfifThumbnail(bytes, s))
  )
}

/** True when the JPEG has a comment (COM) segment, which ExifReader does not report. */
export function hasJpegComment(bytes: Uint8Array): boolean {
  return jpegSegments(bytes)?.segments.some((s) => s.marker === COM) ?? false
}

const jfifThumbnail = (bytes: Uint8Array, s: JpegSegment): boolean =>
  s.marker === APP0 &&
  label(bytes, s, 5) === 'JFIF\0' &&
  s.end - s.start > 18 &&
  ((bytes[s.start + 16] ?? 0) > 0 || (bytes[s.start + 17] ?? 0) > 0)

/**
 * The same JPEG without Exif, XMP, IPTC, comments, a JFIF thumbnail, multi-picture previews or
 * anything after the end of the image; the picture's bytes are untouched. Null when the bytes are
 * not a JPEG this can walk: the caller then keeps them and says the file was not fully cleaned.
 */
export function stripJpegMetadata(bytes: Uint8Array): Uint8Array | null {
  const parsed = jpegSegments(bytes)
  if (!parsed) return null
  const parts: Uint8Array[] = [bytes.subarray(0, 2)]
  let from = 2
  for (const s of parsed.segments) {
    parts.push(bytes.subarray(from, s.start))
    if (jfifThumbnail(bytes, s)) {
      // JFIF header with the thumbnail cut: length 16, thumbnail 0×0.
      const header = bytes.slice(s.start, s.start + 18)
      header[2] = 0
      header[3] = 16
      header[16] = 0
      header[17] = 0
      parts.push(header)
    } else if (isNeeded(bytes, s)) {
      parts.push(bytes.subarray(s.start, s.end))
    }
    from = s.end
  }
  parts.push(bytes.subarray(from, parsed.end))
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
