/**
 * The host's own primitives where they are faster than portable JS, null where there are none.
 *
 * SHA-256, where there is one to use synchronously: Node's OpenSSL-backed
 * `createHash`, reached through `process.getBuiltinModule` (Node ≥ 20.16) so this module imports
 * nothing platform-specific and still loads in browsers, where it finds nothing and answers null.
 * On the relay each report is hashed once; OpenSSL does 11 KB in a few microseconds, where pure JS
 * takes ~85 µs and WebCrypto's per-call job costs the event loop more than the hash itself.
 * The one place in shared/ that looks at the platform (scripts/architecture.ts allows this file).
 */
interface NodeHash {
  update(data: Uint8Array): NodeHash
  digest(): Uint8Array
}
interface NodeHashModule {
  createHash(algorithm: 'sha256'): NodeHash
  createPrivateKey(options: { key: Uint8Array; format: 'der'; type: 'pkcs8' }): object
  sign(algorithm: null, data: Uint8Array, key: object): Uint8Array
}

function builtin(id: string): unknown {
  const host = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
  return host.process?.getBuiltinModule?.(id)
}

const nodeCrypto = builtin('node:crypto') as NodeHashModule | undefined

function probe(): ((data: Uint8Array) => Uint8Array) | null {
  if (!nodeCrypto || typeof nodeCrypto.createHash !== 'function') return null
  return (data) => {
    const digest = nodeCrypto.createHash('sha256').update(data).digest()
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength)
  }
}

export const nativeSha256 = probe()

/** PKCS#8 DER prefix of an Ed25519 private key: the 32-byte seed follows (RFC 8410). */
const ED25519_PKCS8_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
])

/**
 * Node's own Ed25519 signing (OpenSSL), null elsewhere. Ed25519 signatures are deterministic, so
 * it signs exactly what tweetnacl would, about a hundred times faster: the relay signs a tree head
 * for nearly every report receipt. Keys are imported once per seed.
 */
function probeSign(): ((seed: Uint8Array, message: Uint8Array) => Uint8Array) | null {
  if (
    !nodeCrypto ||
    typeof nodeCrypto.sign !== 'function' ||
    typeof nodeCrypto.createPrivateKey !== 'function'
  )
    return null
  const crypto = nodeCrypto
  const keys = new Map<string, object>()
  return (seed, message) => {
    const id = Array.from(seed, (b) => b.toString(16).padStart(2, '0')).join('')
    let key = keys.get(id)
    if (!key) {
      const der = new Uint8Array(ED25519_PKCS8_PREFIX.length + 32)
      der.set(ED25519_PKCS8_PREFIX)
      der.set(seed, ED25519_PKCS8_PREFIX.length)
      key = crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
      keys.set(id, key)
    }
    const signature = crypto.sign(null, message, key)
    return new Uint8Array(signature.buffer, signature.byteOffset, signature.byteLength)
  }
}

export const nativeEd25519Sign = probeSign()

type NodeBuffer = Uint8Array & { toString(encoding: 'base64url'): string }
interface NodeBufferModule {
  Buffer: { from(text: string, encoding: 'base64url'): NodeBuffer }
}

/**
 * Node's base64url decoder, held to the canonical unpadded form. Node's decoder is lenient: it
 * also takes '+', '/' and '=', and skips characters outside the alphabet. So the text is accepted
 * only if the bytes encode back to exactly it, which also refuses non-zero bits past the data.
 * Decoding and re-encoding a report's 11 KB ciphertext this way takes ~6 µs, where the portable
 * table decoder takes ~50 µs; the relay does it for every report.
 */
function probeBase64url(): ((text: string) => Uint8Array | null) | null {
  const nodeBuffer = (builtin('node:buffer') as NodeBufferModule | undefined)?.Buffer
  if (!nodeBuffer || typeof nodeBuffer.from !== 'function') return null
  return (text) => {
    const bytes = nodeBuffer.from(text, 'base64url')
    if (bytes.toString('base64url') !== text) return null
    // A plain array of its own: a small Buffer is a window on a shared pool.
    return new Uint8Array(bytes)
  }
}

export const nativeFromBase64url = probeBase64url()
