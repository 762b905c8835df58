import { base64urlnopad } from '@scure/base'

/**
 * Byte helpers every layer needs. Base64url here is always unpadded and strict: a string whose
 * unused trailing bits are not zero is refused, so one byte string has exactly one text form and a
 * flipped bit in transit can never decode to the same bytes.
 */

const utf8Encoder = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8', { fatal: true })

export const utf8 = (text: string): Uint8Array => utf8Encoder.encode(text)

/** Throws on malformed UTF-8 instead of inserting U+FFFD, so corrupted text is never mistaken for text. */
export const fromUtf8 = (bytes: Uint8Array): string => utf8Decoder.decode(bytes)

const BASE64URL = /^[A-Za-z0-9_-]*$/

export const toBase64url = (bytes: Uint8Array): string => base64urlnopad.encode(bytes)

/** Returns null for anything that is not canonical unpadded base64url. */
export function fromBase64url(text: string): Uint8Array | null {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return null
  try {
    const bytes = base64urlnopad.decode(text)
    return base64urlnopad.encode(bytes) === text ? bytes : null
  } catch {
    return null
  }
}

export const isCanonicalBase64url = (text: string): boolean => fromBase64url(text) !== null

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
