import { describe, expect, it } from 'vitest'
import { utf8 } from './bytes'
import { CryptoError } from './errors'
import { DEFAULT_SCRYPT, openWithKey, sealWithKey, unwrapWithPassphrase, wrapWithPassphrase } from './kdf'
import { symmetricKey } from './keys'
import { randomBytes } from './random'

describe('passphrase wrapping', () => {
  it('uses at least 64 MiB of memory by default', () => {
    expect(128 * DEFAULT_SCRYPT.N * DEFAULT_SCRYPT.r).toBeGreaterThanOrEqual(64 * 1024 * 1024)
  })

  it('unwraps with the right passphrase only (default parameters)', async () => {
    const secret = randomBytes(32)
    const wrapped = await wrapWithPassphrase(secret, 'correct horse battery staple')
    expect(wrapped.params).toEqual(DEFAULT_SCRYPT)
    expect(await unwrapWithPassphrase(wrapped, 'correct horse battery staple')).toEqual(secret)
    await expect(unwrapWithPassphrase(wrapped, 'correct horse battery stapler')).rejects.toMatchObject({
      code: 'wrong_passphrase',
    })
  })

  it('refuses parameters that would cost gigabytes or no work', async () => {
    const wrapped = await wrapWithPassphrase(randomBytes(32), 'pw', { N: 2 ** 10, r: 8, p: 1 })
    for (const params of [
      { N: 2 ** 24, r: 8, p: 1 },
      { N: 2 ** 4, r: 8, p: 1 },
      { N: 1000, r: 8, p: 1 },
      { N: 2 ** 14, r: 0, p: 1 },
      { N: 2 ** 20, r: 16, p: 1 }, // 2 GiB
    ]) {
      await expect(unwrapWithPassphrase({ ...wrapped, params }, 'pw')).rejects.toBeInstanceOf(CryptoError)
    }
  })

  it('normalises the passphrase (NFKC) so the same words typed on another keyboard still work', async () => {
    const wrapped = await wrapWithPassphrase(utf8('k'), 'caf\u00e9', { N: 2 ** 10, r: 8, p: 1 })
    expect(await unwrapWithPassphrase(wrapped, 'cafe\u0301')).toEqual(utf8('k'))
  })
})

describe('sealWithKey', () => {
  it('round-trips and refuses a wrong key or a flipped bit', () => {
    const key = symmetricKey(randomBytes(32))
    const sealed = sealWithKey(utf8('draft'), key)
    expect(openWithKey(sealed, key)).toEqual(utf8('draft'))
    expect(() => openWithKey(sealed, symmetricKey(randomBytes(32)))).toThrow(CryptoError)
    const flipped = sealed.slice()
    flipped[30] = (flipped[30] as number) ^ 1
    expect(() => openWithKey(flipped, key)).toThrow(CryptoError)
  })
})
