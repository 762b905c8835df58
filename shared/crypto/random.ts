import nacl from 'tweetnacl'

/** Cryptographically secure random bytes (WebCrypto in browsers, node:crypto in Node, via tweetnacl). */
export const randomBytes = (length: number): Uint8Array => nacl.randomBytes(length)
