import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toHex, utf8 } from './bytes'
import { portableSha256, sha256, sha256Async } from './hash'
import { nativeSha256 } from './native-host'

describe('SHA-256', () => {
  it('uses the native hash on Node, where the relay runs', () => {
    expect(nativeSha256).not.toBeNull()
  })

  it('matches the FIPS 180-2 vector on every path', async () => {
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    expect(toHex(sha256(utf8('abc')))).toBe(abc)
    expect(toHex(await sha256Async(utf8('abc')))).toBe(abc)
    expect(toHex(portableSha256(utf8('abc')))).toBe(abc)
  })

  it('native, WebCrypto and pure JS agree on any input, including views into larger buffers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 20_000 }), fc.nat(16), async (data, offset) => {
        const padded = new Uint8Array(data.length + offset)
        padded.set(data, offset)
        const view = padded.subarray(offset)
        const expected = portableSha256(data)
        expect(sha256(view)).toEqual(expected)
        expect(await sha256Async(view)).toEqual(expected)
        const web = new Uint8Array(
          await globalThis.crypto.subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>),
        )
        expect(web).toEqual(expected)
      }),
      { numRuns: 300 },
    )
  })
})
