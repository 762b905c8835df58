import { hmac } from '@noble/hashes/hmac.js'
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js'
import { utf8 } from './bytes'
import { nativeSha256 } from './native-host'

/** SHA-256 (32 bytes): the host's native hash where it has one (Node), else pure JS. */
export const sha256 = (data: Uint8Array): Uint8Array => (nativeSha256 ?? nobleSha256)(data)

/**
 * SHA-256 for large inputs: native where the host has it synchronously (Node), else WebCrypto
 * (browsers), which hashes off the main thread. Same digest as sha256().
 */
export async function sha256Async(data: Uint8Array): Promise<Uint8Array> {
  if (nativeSha256) return nativeSha256(data)
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>))
}

/** Pure-JS SHA-256, whatever the host: lets tests hold the native path to an independent one. */
export const portableSha256 = (data: Uint8Array): Uint8Array => nobleSha256(data)

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
