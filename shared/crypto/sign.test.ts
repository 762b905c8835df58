import fc from 'fast-check'
import nacl from 'tweetnacl'
import { describe, expect, it } from 'vitest'
import { signKeyPairFromSeed } from './keys'
import { nativeEd25519Sign } from './native-host'
import { signDetached, verifyDetached } from './sign'

describe('signDetached', () => {
  it('has the host Ed25519 under Node (the relay signs with it)', () => {
    expect(nativeEd25519Sign).not.toBeNull()
  })

  it('signs exactly as tweetnacl does, and the signature verifies', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ maxLength: 2_000 }),
        (seed, message) => {
          const pair = signKeyPairFromSeed(seed)
          const signature = signDetached('heard/test/v1', message, pair.secretKey)
          const framed = new Uint8Array([...new TextEncoder().encode('heard/test/v1'), 0, ...message])
          expect(Buffer.from(signature).toString('hex')).toBe(
            Buffer.from(nacl.sign.detached(framed, pair.secretKey)).toString('hex'),
          )
          expect(verifyDetached('heard/test/v1', message, signature, pair.publicKey)).toBe(true)
          expect(verifyDetached('heard/other/v1', message, signature, pair.publicKey)).toBe(false)
        },
      ),
      { numRuns: 100 },
    )
  })
})
