import { nativeFromBase64url } from './native-host'

/**
 * Byte helpers every layer needs. Base64url here is always unpadded and strict: a string whose
 * unused trailing bits are not zero is refused, so one byte string has exactly one text form and a
 * flipped bit in transit can never decode to the same bytes.
 */

const utf8Encoder = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8', { fatal: true })

export function utf8(text: string): Uint8Array {
  // Short ASCII (labels, ids, community names: several per envelope opened) is copied directly;
  // each call into the encoder costs more than the copy.
  if (text.length <= 64) {
    const out = new Uint8Array(text.length)
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c >= 0x80) return utf8Encoder.encode(text)
      out[i] = c
    }
    return out
  }
  return utf8Encoder.encode(text)
}

/**
 * Copy ASCII `text` into `out` at `offset` (the caller sizes `out` to text.length); false, with
 * `out` partly written, when the text holds anything else. Copies a long field into a buffer being
 * built without a separate array for it.
 */
export function asciiInto(text: string, out: Uint8Array, offset: number): boolean {
  const { read, written } = utf8Encoder.encodeInto(text, out.subarray(offset, offset + text.length))
  return read === text.length && written === text.length
}

/** Throws on malformed UTF-8 instead of inserting U+FFFD, so corrupted text is never mistaken for text. */
export const fromUtf8 = (bytes: Uint8Array): string => utf8Decoder.decode(bytes)

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const BASE64URL = /^[A-Za-z0-9_-]*$/
/** UTF-16 code unit → 6-bit value, 255 for anything outside the alphabet (64 KiB, so no bounds checks). */
const DECODE = new Uint8Array(65536).fill(255)
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i

/*
 * A table codec rather than a general radix library: this sits on the relay's hot path (every
 * report's ciphertext is decoded once) where a generic converter cost ~190 µs per 11 KB and this
 * costs a tenth of that. Property tests check it against @scure/base.
 */

const ALPHABET_CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0))
const latin1 = new TextDecoder('latin1')

export function toBase64url(bytes: Uint8Array): string {
  // Characters go into a flat byte buffer decoded once: concatenating a string per 3 bytes builds
  // deep ropes that cost the relay more to keep (and collect) than the encoding itself.
  const out = new Uint8Array(base64urlLength(bytes.length))
  writeBase64url(bytes, out, 0)
  return latin1.decode(out)
}

/**
 * Write the unpadded base64url text of `bytes` into `out` at `offset`, as ASCII bytes (the
 * caller sizes `out` with base64urlLength). For hashing text that holds a long base64url field
 * without building the string and encoding it again.
 */
export function writeBase64url(bytes: Uint8Array, out: Uint8Array, offset: number): void {
  let i = 0
  let o = offset
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number)
    out[o++] = ALPHABET_CODES[n >> 18] as number
    out[o++] = ALPHABET_CODES[(n >> 12) & 63] as number
    out[o++] = ALPHABET_CODES[(n >> 6) & 63] as number
    out[o++] = ALPHABET_CODES[n & 63] as number
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = (bytes[i] as number) << 16
    out[o++] = ALPHABET_CODES[n >> 18] as number
    out[o++] = ALPHABET_CODES[(n >> 12) & 63] as number
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8)
    out[o++] = ALPHABET_CODES[n >> 18] as number
    out[o++] = ALPHABET_CODES[(n >> 12) & 63] as number
    out[o++] = ALPHABET_CODES[(n >> 6) & 63] as number
  }
}

/**
 * Long texts (a report's ciphertext) go to the host's decoder where there is one: Node's, through
 * native-host.ts, or a browser's Uint8Array.fromBase64. Short ones cost more to hand over than to decode.
 */
const NATIVE_FROM_LENGTH = 256
const nodeDecoderFor = (text: string) => (text.length > NATIVE_FROM_LENGTH ? nativeFromBase64url : null)

/**
 * True when `text` is canonical unpadded base64url: only alphabet characters, a possible length,
 * and zero bits where the last character runs past the data. Checks without decoding, except on
 * Node, whose decoder checks a long text faster than the pattern below does.
 */
export function isCanonicalBase64url(text: string): boolean {
  const node = nodeDecoderFor(text)
  if (node) return node(text) !== null
  const tail = text.length % 4
  if (tail === 1 || !BASE64URL.test(text)) return false
  if (tail === 0) return true
  const last = DECODE[text.charCodeAt(text.length - 1)] as number
  return (last & (tail === 2 ? 0b1111 : 0b11)) === 0
}

/** The host's own decoder (Uint8Array.fromBase64, in recent browsers), when there is one. */
const nativeFromBase64 = (
  Uint8Array as unknown as {
    fromBase64?: (text: string, options: { alphabet: 'base64url'; lastChunkHandling: 'strict' }) => Uint8Array
  }
).fromBase64

const PADDING = ['', '', '==', '=']

/** Returns null for anything that is not canonical unpadded base64url. */
export function fromBase64url(text: string): Uint8Array | null {
  const node = nodeDecoderFor(text)
  if (node) return node(text)
  return nativeFromBase64 && text.length > NATIVE_FROM_LENGTH
    ? browserFromBase64url(text)
    : portableFromBase64url(text)
}

/**
 * The native decoder held to the canonical form in one pass: 'strict' refuses other characters,
 * padding inside the text and non-zero bits past the data (the padding this adds makes an
 * unpadded tail acceptable to it), and the length check catches the ASCII whitespace it skips.
 */
function browserFromBase64url(text: string): Uint8Array | null {
  const tail = text.length % 4
  if (tail === 1 || !nativeFromBase64) return null
  let bytes: Uint8Array
  try {
    bytes = nativeFromBase64(text + (PADDING[tail] as string), {
      alphabet: 'base64url',
      lastChunkHandling: 'strict',
    })
  } catch {
    return null
  }
  return bytes.length === Math.floor((text.length * 3) / 4) ? bytes : null
}

/** fromBase64url without the host's decoder, whatever the host: tests hold them to each other. */
export function portableFromBase64url(text: string): Uint8Array | null {
  const length = text.length
  const tail = length % 4
  if (tail === 1) return null
  const out = new Uint8Array(Math.floor((length * 3) / 4))
  // One pass: decode, and OR every 6-bit value into `seen`; a 255 (not in the alphabet) sets bits 6–7.
  let seen = 0
  let o = 0
  let i = 0
  for (; i + 3 < length; i += 4) {
    const a = DECODE[text.charCodeAt(i)] as number
    const b = DECODE[text.charCodeAt(i + 1)] as number
    const c = DECODE[text.charCodeAt(i + 2)] as number
    const d = DECODE[text.charCodeAt(i + 3)] as number
    seen |= a | b | c | d
    const n = (a << 18) | (b << 12) | (c << 6) | d
    out[o++] = n >> 16
    out[o++] = (n >> 8) & 255
    out[o++] = n & 255
  }
  if (tail >= 2) {
    const a = DECODE[text.charCodeAt(i)] as number
    const b = DECODE[text.charCodeAt(i + 1)] as number
    const c = tail === 3 ? (DECODE[text.charCodeAt(i + 2)] as number) : 0
    seen |= a | b | c
    // Canonical form: the bits past the last byte are zero.
    if ((tail === 2 ? b & 0b1111 : c & 0b11) !== 0) return null
    const n = (a << 18) | (b << 12) | (c << 6)
    out[o++] = n >> 16
    if (tail === 3) out[o++] = (n >> 8) & 255
  }
  return seen > 63 ? null : out
}

/** Number of characters in the canonical unpadded base64url text of `bytes` bytes. */
export const base64urlLength = (bytes: number): number => Math.ceil((bytes * 4) / 3)

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0
  for (const part of parts) length += part.length
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number)
  return diff === 0
}

export function u32be(value: number): Uint8Array {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, value)
  return out
}

export function readU32be(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(offset)
}

/** A UTF-8 string prefixed by its byte length (u32, big-endian): unambiguous when concatenated. */
export function lengthPrefixed(text: string): Uint8Array {
  const bytes = utf8(text)
  return concatBytes(u32be(bytes.length), bytes)
}

export const toHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
