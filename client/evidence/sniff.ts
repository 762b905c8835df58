/**
 * What a file really is, from its first bytes. The type a browser reports comes from the file's
 * extension (or nothing, for a pasted screenshot), so a renamed PDF would otherwise skip cleaning or
 * a "photo.txt" holding a JPEG would be sent with its location still in it. Pure and synchronous:
 * it loads nothing, so the compose screen may use it before the cleaner is downloaded.
 */

/** Why a file goes out as it came in; the screen words each code (see NOT_CLEANED_REASONS). */
export type NotCleanedReason =
  /** Nothing here recognises the type: it may carry anything its format allows. */
  | 'unknown-type'
  /** An image this browser cannot decode (HEIC outside Safari, TIFF, camera raw). */
  | 'undecodable-image'
  /** Animated GIF, WebP or PNG: redrawing would keep only the first frame, which alters the evidence. */
  | 'animated-image'
  /** The PDF is password-protected: its metadata cannot be read or removed without the password. */
  | 'encrypted-pdf'
  /** Starts like a PDF but could not be read as one. */
  | 'damaged-pdf'
  /** Videos carry location, device model and recording dates in their containers. */
  | 'video'
  /** Audio files carry tags (artist, recording device, dates). */
  | 'audio'
  /** Word processor, spreadsheet and presentation files carry author, dates and edit history. */
  | 'office-document'
  /** Archives carry the names, dates and metadata of every file inside. */
  | 'archive'
  /** HTML, SVG and XML carry authors, descriptions and links to outside resources. */
  | 'markup'
  /** Cleaning did not work on this device (the encoder failed, or its output still held metadata). */
  | 'cleaning-failed'

export const NOT_CLEANED_REASONS = [
  'unknown-type',
  'undecodable-image',
  'animated-image',
  'encrypted-pdf',
  'damaged-pdf',
  'video',
  'audio',
  'office-document',
  'archive',
  'markup',
  'cleaning-failed',
] as const satisfies readonly NotCleanedReason[]

export type Sniffed =
  | { readonly family: 'image'; readonly type: string; readonly animated: boolean }
  | { readonly family: 'pdf'; readonly type: 'application/pdf' }
  | { readonly family: 'text'; readonly type: string }
  | { readonly family: 'other'; readonly type: string; readonly reason: NotCleanedReason }

const OCTET_STREAM = 'application/octet-stream'

/** Text types whose bytes are the content and nothing else; other text/* (HTML, SVG) are markup. */
const PLAIN_TEXT_TYPES = new Set(['text/plain', 'text/csv', 'text/markdown', 'text/tab-separated-values'])

/** Office formats that are ZIP or OLE containers: the declared type tells them from archives. */
const OFFICE_TYPE =
  /^application\/(vnd\.openxmlformats-officedocument\.|vnd\.oasis\.opendocument\.|msword|vnd\.ms-|rtf)/

/**
 * A media type the AttachmentRef schema accepts: lower case, no parameters, 100 characters at most.
 * Anything else becomes application/octet-stream rather than a refused report.
 */
export function normalizeType(declared: string | undefined): string {
  const type = (declared ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  return type.length <= 100 && /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type)
    ? type
    : OCTET_STREAM
}

const ascii = (bytes: Uint8Array, at: number, length: number): string =>
  String.fromCharCode(...bytes.subarray(at, at + length))

const startsWith = (bytes: Uint8Array, at: number, prefix: readonly number[]): boolean =>
  prefix.every((b, i) => bytes[at + i] === b)

/**
 * Sniffs the bytes; the declared type only breaks ties the bytes cannot (a ZIP is a Word file or an
 * archive; text is CSV or plain). Never throws, whatever the bytes.
 */
export function sniff(bytes: Uint8Array, declaredType?: string): Sniffed {
  const declared = normalizeType(declaredType)
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) return image('image/jpeg', false)
  if (startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return image('image/png', isAnimatedPng(bytes))
  }
  if (ascii(bytes, 0, 4) === 'RIFF') {
    const form = ascii(bytes, 8, 4)
    if (form === 'WEBP') return image('image/webp', isAnimatedWebp(bytes))
    if (form === 'WAVE') return other('audio/wav', 'audio')
    if (form === 'AVI ') return other('video/x-msvideo', 'video')
  }
  const head6 = ascii(bytes, 0, 6)
  if (head6 === 'GIF87a' || head6 === 'GIF89a') return image('image/gif', gifBlocks(bytes).frames > 1)
  if (ascii(bytes, 0, 2) === 'BM' && bytes.length > 26 && readU32le(bytes, 2) === bytes.length) {
    return image('image/bmp', false)
  }
  if (startsWith(bytes, 0, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, 0, [0x4d, 0x4d, 0x00, 0x2a])) {
    // TIFF, and camera raw formats built on it: only Safari decodes TIFF; the others find out.
    return image('image/tiff', false)
  }
  const isoBmff = sniffIsoBmff(bytes)
  if (isoBmff) return isoBmff
  if (indexOf(bytes.subarray(0, 1024), PDF_MAGIC) >= 0) return { family: 'pdf', type: 'application/pdf' }

  if (ascii(bytes, 0, 4) === 'OggS')
    return other(declared.startsWith('video/') ? declared : 'audio/ogg', 'audio')
  if (startsWith(bytes, 0, [0x1a, 0x45, 0xdf, 0xa3])) return other('video/webm', 'video')
  if (ascii(bytes, 0, 4) === 'fLaC') return other('audio/flac', 'audio')
  if (ascii(bytes, 0, 3) === 'ID3' || (bytes[0] === 0xff && MP3_SYNC.has(bytes[1] ?? 0))) {
    return other('audio/mpeg', 'audio')
  }
  if (startsWith(bytes, 0, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, 0, [0xd0, 0xcf, 0x11, 0xe0])) {
    return OFFICE_TYPE.test(declared)
      ? other(declared, 'office-document')
      : other(declared === OCTET_STREAM ? 'application/zip' : declared, 'archive')
  }
  if (ascii(bytes, 0, 5) === '{\\rtf') return other('application/rtf', 'office-document')
  if (
    startsWith(bytes, 0, [0x1f, 0x8b]) ||
    ascii(bytes, 0, 4) === 'Rar!' ||
    startsWith(bytes, 0, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])
  ) {
    return other(declared, 'archive')
  }

  const text = looksLikeText(bytes)
  if (text === 'markup') return other(declared === OCTET_STREAM ? 'text/html' : declared, 'markup')
  if (text === 'plain' && (PLAIN_TEXT_TYPES.has(declared) || declared === OCTET_STREAM)) {
    return { family: 'text', type: PLAIN_TEXT_TYPES.has(declared) ? declared : 'text/plain' }
  }
  // JSON, scripts and the like are text too, but their types promise structure that may hold more.
  return other(declared, 'unknown-type')
}

const image = (type: string, animated: boolean): Sniffed => ({ family: 'image', type, animated })
const other = (type: string, reason: NotCleanedReason): Sniffed => ({ family: 'other', type, reason })

/** MPEG audio frame headers without an ID3 tag (not FF FE, a UTF-16 byte order mark). */
const MP3_SYNC = new Set([0xfb, 0xfa, 0xf3, 0xf2, 0xe3, 0xe2])

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d] // %PDF-, which readers accept anywhere in the first 1 KB

/** HEIC, HEIF and AVIF photos, and MP4/QuickTime videos, share the ISO base media file format. */
function sniffIsoBmff(bytes: Uint8Array): Sniffed | null {
  if (ascii(bytes, 4, 4) !== 'ftyp') return null
  const boxSize = Math.min(readU32be(bytes, 0), bytes.length, 256)
  const brands = new Set<string>()
  for (let at = 8; at + 4 <= boxSize; at += at === 8 ? 8 : 4) brands.add(ascii(bytes, at, 4))
  if (brands.has('avif') || brands.has('avis')) return image('image/avif', brands.has('avis'))
  if (['heic', 'heix', 'heim', 'heis'].some((b) => brands.has(b))) return image('image/heic', false)
  if (['hevc', 'hevx'].some((b) => brands.has(b))) return image('image/heic', true)
  if (brands.has('mif1')) return image('image/heif', false)
  if (brands.has('msf1')) return image('image/heif', true)
  if (['M4A ', 'M4B ', 'M4P '].some((b) => brands.has(b))) return other('audio/mp4', 'audio')
  if (brands.has('qt  ')) return other('video/quicktime', 'video')
  return other('video/mp4', 'video')
}

/**
 * 'plain' when the bytes read as text with no control characters besides whitespace (UTF-8,
 * UTF-16 with a byte order mark, or a legacy 8-bit encoding), 'markup' when that text is HTML,
 * SVG or XML, which carry metadata of their own. Reads at most the first 64 KiB.
 */
export function looksLikeText(bytes: Uint8Array): 'plain' | 'markup' | 'binary' {
  const head = bytes.subarray(0, 65536)
  let text: string
  if (startsWith(head, 0, [0xfe, 0xff]) || startsWith(head, 0, [0xff, 0xfe])) {
    // Cut to whole code units so a sample that ends mid-character is not taken for binary.
    const sample = head.subarray(0, head.length - (head.length % 2))
    text = new TextDecoder(head[0] === 0xfe ? 'utf-16be' : 'utf-16le').decode(sample)
  } else {
    // Invalid UTF-8 (a legacy encoding, or a sample cut mid-character) becomes U+FFFD, not a failure.
    text = new TextDecoder('utf-8').decode(head)
  }
  // C0 controls other than tab, line feed, form feed and carriage return, and DEL: no text has them.
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0c && c !== 0x0d) || c === 0x7f) return 'binary'
  }
  const start = text
    .replace(/^\ufeff/, '')
    .trimStart()
    .slice(0, 256)
    .toLowerCase()
  if (/^<(\?xml|!doctype|html|svg|head|body|!--)/.test(start)) return 'markup'
  return 'plain'
}

function isAnimatedPng(bytes: Uint8Array): boolean {
  // An APNG announces itself with an acTL chunk before the first IDAT.
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = readU32be(bytes, at)
    const kind = ascii(bytes, at + 4, 4)
    if (kind === 'acTL') return true
    if (kind === 'IDAT' || kind === 'IEND') return false
    at += 12 + length
  }
  return false
}

function isAnimatedWebp(bytes: Uint8Array): boolean {
  // The extended header's flags byte has bit 1 set for animation.
  return ascii(bytes, 12, 4) === 'VP8X' && ((bytes[20] ?? 0) & 0x02) !== 0
}

/**
 * A GIF's frames (image descriptors) and whether it has a comment extension, which ExifReader does
 * not report. Stops at the second frame unless asked for comments: enough to tell an animation.
 */
export function gifBlocks(bytes: Uint8Array, { all = false } = {}): { frames: number; comment: boolean } {
  let at = 13
  const flags = bytes[10] ?? 0
  if (flags & 0x80) at += 3 * 2 ** ((flags & 0x07) + 1)
  let frames = 0
  let comment = false
  const skipSubBlocks = () => {
    while (at < bytes.length) {
      const size = bytes[at++] ?? 0
      if (size === 0) return
      at += size
    }
  }
  while (at < bytes.length && (all || frames < 2)) {
    const block = bytes[at++]
    if (block === 0x21) {
      if (bytes[at] === 0xfe) comment = true
      at++ // extension label
      skipSubBlocks()
    } else if (block === 0x2c) {
      frames++
      const imageFlags = bytes[at + 8] ?? 0
      at += 9
      if (imageFlags & 0x80) at += 3 * 2 ** ((imageFlags & 0x07) + 1)
      at++ // LZW minimum code size
      skipSubBlocks()
    } else {
      break // the trailer, or damage
    }
  }
  return { frames, comment }
}

function readU32be(bytes: Uint8Array, at: number): number {
  return (
    (((bytes[at] ?? 0) << 24) |
      ((bytes[at + 1] ?? 0) << 16) |
      ((bytes[at + 2] ?? 0) << 8) |
      (bytes[at + 3] ?? 0)) >>>
    0
  )
}

function readU32le(bytes: Uint8Array, at: number): number {
  return (
    (((bytes[at + 3] ?? 0) << 24) |
      ((bytes[at + 2] ?? 0) << 16) |
      ((bytes[at + 1] ?? 0) << 8) |
      (bytes[at] ?? 0)) >>>
    0
  )
}

export function indexOf(haystack: Uint8Array, needle: readonly number[], from = 0): number {
  const first = needle[0]
  outer: for (let i = haystack.indexOf(first ?? 0, from); i >= 0 && i + needle.length <= haystack.length; ) {
    for (let j = 1; j < needle.length; j++) {
      if (haystack[i + j] !== needle[j]) {
        i = haystack.indexOf(first ?? 0, i + 1)
        continue outer
      }
    }
    return i
  }
  return -1
}
