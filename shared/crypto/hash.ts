import { hmac } from '@noble/hashes/hmac.js'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'
import { utf8 } from './bytes'

/** SHA-256 (32 bytes). */
export const sha256 = (data: Uint8Array): Uint8Array => nobleSha256(data)

/**
 * SHA-256 through WebCrypto (browsers and Node alike). Same digest as sha256(); on the relay's hot
 * path it moves the hashing of each envelope off the event loop (Node runs it on its thread pool).
 */
export async function sha256Async(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>))
}

/** HMAC-SHA-256 (32 bytes) of `data` under `key`. */
export const hmacSha256 = (key: Uint8Array, data: Uint8Array): Uint8Array => hmac(nobleSha256, key, data)

/** SHA-256 over a domain label and the data, so a hash made for one purpose never matches another. */
export function domainHash(domain: string, ...parts: readonly Uint8Array[]): Uint8Array {
  const h = nobleSha256.create()
  h.update(utf8(domain))
  h.update(new Uint8Array([0]))
  for (const part of parts) h.update(part)
  return h.digest()
}
