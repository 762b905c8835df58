import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type BoxKeyPair,
  bytesEqual,
  type ContentKey,
  CryptoError,
  generateBoxKeyPair,
  isSealedTo,
  openContentKey,
  openWithContentKey,
  type SealedEnvelope,
  seal,
  toBase64url,
} from '../crypto'
import { ProtocolError } from './errors'
import { grantKeysLength, openGrantKeys, sealGrantKeys } from './grant-keys'

/**
 * Grant history access: a broker who can open a report hands its content key, sealed, to a new
 * colleague, who then opens the report without being one of its recipients.
 */

const context = { version: 1, kind: 'report', community: 'wiki-example' } as const
const [ada, bea, cy] = [generateBoxKeyPair(), generateBoxKeyPair(), generateBoxKeyPair()] as [
  BoxKeyPair,
  BoxKeyPair,
  BoxKeyPair,
]

const reportsSealedTo = async (bodies: readonly Uint8Array[], pair: BoxKeyPair): Promise<SealedEnvelope[]> =>
  Promise.all(bodies.map((b) => seal(b, [pair.publicKey], context)))

function refusal(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    if (error instanceof CryptoError || error instanceof ProtocolError) return error.code
    throw error
  }
  return 'accepted'
}

describe('grant keys', () => {
  it('carry content keys to the new broker, who opens exactly the granted reports', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 600 }), { minLength: 1, maxLength: 6 }),
        async (bodies) => {
          const envelopes = await reportsSealedTo(bodies, ada)
          expect(envelopes.every((e) => !isSealedTo(e, bea.publicKey))).toBe(true)
          const keys = await Promise.all(envelopes.map((e) => openContentKey(e, ada.secretKey)))
          const grant = { reports: envelopes.map((e) => e.id), keys: sealGrantKeys(keys, bea.publicKey) }
          expect(grant.keys.length).toBe(Math.ceil((grantKeysLength(bodies.length) * 4) / 3))
          const received = openGrantKeys(grant, bea.secretKey)
          envelopes.forEach((envelope, i) => {
            const key = received.get(envelope.id) as ContentKey
            expect(bytesEqual(openWithContentKey(envelope, key), bodies[i] as Uint8Array)).toBe(true)
          })
          // Nobody else opens them: not a third broker, and not the granter's own key.
          expect(refusal(() => openGrantKeys(grant, cy.secretKey))).toBe('decrypt_failed')
          expect(refusal(() => openGrantKeys(grant, ada.secretKey))).toBe('decrypt_failed')
        },
      ),
      { numRuns: 30 },
    )
  })

  it('a key does not open another report, nor a report whose header was moved', async () => {
    const [one, two] = await reportsSealedTo([Uint8Array.of(1), Uint8Array.of(2)], ada)
    if (!one || !two) throw new Error('unreachable')
    const keyOfOne = await openContentKey(one, ada.secretKey)
    expect(refusal(() => openWithContentKey(two, keyOfOne))).toBe('decrypt_failed')
    expect(refusal(() => openWithContentKey({ ...one, community: 'elsewhere' }, keyOfOne))).toBe(
      'header_mismatch',
    )
    expect(refusal(() => openWithContentKey({ ...one, id: two.id }, keyOfOne))).toBe('header_mismatch')
  })

  it('refuses keys that were altered or do not match the list of reports', async () => {
    const envelopes = await reportsSealedTo([Uint8Array.of(1), Uint8Array.of(2)], ada)
    const keys = await Promise.all(envelopes.map((e) => openContentKey(e, ada.secretKey)))
    const reports = envelopes.map((e) => e.id)
    const sealed = sealGrantKeys(keys, bea.publicKey)
    await fc.assert(
      fc.property(
        fc.integer({ min: 0, max: sealed.length - 2 }),
        fc.integer({ min: 0, max: 5 }),
        (at, bit) => {
          const bytes = Buffer.from(sealed, 'base64url')
          const i = Math.min(bytes.length - 1, Math.floor((at * 3) / 4))
          bytes[i] = (bytes[i] ?? 0) ^ (1 << bit)
          expect(refusal(() => openGrantKeys({ reports, keys: toBase64url(bytes) }, bea.secretKey))).toBe(
            'decrypt_failed',
          )
        },
      ),
      { numRuns: 200 },
    )
    expect(refusal(() => openGrantKeys({ reports: reports.slice(1), keys: sealed }, bea.secretKey))).toBe(
      'invalid_body',
    )
    expect(refusal(() => openGrantKeys({ reports, keys: 'not base64url!' }, bea.secretKey))).toBe(
      'invalid_encoding',
    )
  })
})
