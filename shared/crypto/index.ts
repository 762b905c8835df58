/**
 * The only door to cryptographic primitives in Heard. Nothing outside shared/crypto imports
 * tweetnacl, @noble/* or node:crypto (an architecture test enforces it).
 */
export * from './at-rest'
export * from './attachment'
export * from './bytes'
export * from './envelope'
export * from './errors'
export * from './fingerprint-words'
export * from './follow-up'
export * from './hash'
export * from './kdf'
export * from './keys'
export * from './mailbox-id'
export * from './padding'
export * from './random'
export * from './sealed-box'
export * from './sign'
// Only the cache control: the backend switch is for tests and benches, boxBeforeFast for this folder.
export { clearKeyCache } from './x25519-fast'
