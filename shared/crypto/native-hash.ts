/**
 * The host's own SHA-256, where there is one to use synchronously: Node's OpenSSL-backed
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
}

function probe(): ((data: Uint8Array) => Uint8Array) | null {
  const host = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
  const nodeCrypto = host.process?.getBuiltinModule?.('node:crypto') as NodeHashModule | undefined
  if (!nodeCrypto || typeof nodeCrypto.createHash !== 'function') return null
  return (data) => {
    const digest = nodeCrypto.createHash('sha256').update(data).digest()
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength)
  }
}

export const nativeSha256 = probe()
