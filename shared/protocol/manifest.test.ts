import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { generateBoxKeyPair, generateSignKeyPair, type SignKeyPair, toBase64url, utf8 } from '../crypto'
import { ProtocolError } from './errors'
import {
  brokerEntry,
  type Manifest,
  readSignedManifest,
  signManifest,
  verifyManifestUpdate,
} from './manifest'

function makeManifest(root: SignKeyPair, seq: number, overrides: Partial<Manifest> = {}): Manifest {
  const box = generateBoxKeyPair()
  const sign = generateSignKeyPair()
  return {
    v: 1,
    community: 'oss-project',
    name: 'An open-source project',
    seq,
    issuedAt: new Date(0).toISOString(),
    root: toBase64url(root.publicKey),
    brokers: [brokerEntry('Sam', box.publicKey, sign.publicKey)],
    policy: 'We read every report.',
    ...overrides,
  }
}

const codeOf = (fn: () => unknown): string => {
  try {
    fn()
  } catch (error) {
    if (error instanceof ProtocolError) return error.code
    throw error
  }
  return 'accepted'
}

describe('community manifest chain', () => {
  const root = generateSignKeyPair()
  const first = makeManifest(root, 1)

  it('accepts a self-signed first manifest and a higher sequence signed by the same root', () => {
    expect(verifyManifestUpdate(signManifest(first, root.secretKey), null)).toEqual(first)
    const second = makeManifest(root, 2)
    expect(verifyManifestUpdate(signManifest(second, root.secretKey), first).seq).toBe(2)
  })

  it('accepts a root rotation signed by the old root, then requires the new root', () => {
    const next = generateSignKeyPair()
    const rotated = makeManifest(root, 2, { root: toBase64url(next.publicKey) })
    const accepted = verifyManifestUpdate(signManifest(rotated, root.secretKey), first)
    // The old root no longer speaks for the community once it has handed over.
    expect(
      codeOf(() => verifyManifestUpdate(signManifest(makeManifest(next, 3), root.secretKey), accepted)),
    ).toBe('bad_signature')
    expect(verifyManifestUpdate(signManifest(makeManifest(next, 3), next.secretKey), accepted).seq).toBe(3)
  })

  it('refuses a stranger, a stale sequence, another community and a bad signature', () => {
    const stranger = generateSignKeyPair()
    expect(
      codeOf(() => verifyManifestUpdate(signManifest(makeManifest(stranger, 5), stranger.secretKey), first)),
    ).toBe('manifest_not_chained')
    expect(
      codeOf(() => verifyManifestUpdate(signManifest(makeManifest(root, 1), root.secretKey), first)),
    ).toBe('stale_manifest')
    expect(
      codeOf(() =>
        verifyManifestUpdate(
          signManifest(makeManifest(root, 2, { community: 'other' }), root.secretKey),
          first,
        ),
      ),
    ).toBe('community_mismatch')
    const signed = signManifest(makeManifest(root, 2), root.secretKey)
    const forged = { ...signed, signature: toBase64url(new Uint8Array(64)) }
    expect(codeOf(() => verifyManifestUpdate(forged, first))).toBe('bad_signature')
  })

  it('refuses a broker entry whose fingerprint does not match its keys', () => {
    const m = makeManifest(root, 1)
    const broken = {
      ...m,
      brokers: [
        { ...(m.brokers[0] as Manifest['brokers'][number]), fingerprint: toBase64url(new Uint8Array(32)) },
      ],
    }
    expect(codeOf(() => readSignedManifest(signManifest(broken, root.secretKey)))).toBe('manifest_invalid')
  })

  it('refuses a manifest with no broker: a community nobody can read is a silent loss', () => {
    expect(codeOf(() => readSignedManifest(signManifest({ ...first, brokers: [] }, root.secretKey)))).toBe(
      'manifest_invalid',
    )
  })

  it('answers any untrusted input with a ProtocolError, never a crash', () => {
    const signed = signManifest(first, root.secretKey)
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.record({ payload: fc.string(), signature: fc.string() }),
          fc
            .jsonValue()
            .map((j) => ({ payload: toBase64url(utf8(JSON.stringify(j))), signature: signed.signature })),
        ),
        (input) => {
          // codeOf rethrows anything that is not a ProtocolError, failing the property.
          expect(codeOf(() => verifyManifestUpdate(input, first))).not.toBe('accepted')
        },
      ),
      { numRuns: 2000 },
    )
  })
})
