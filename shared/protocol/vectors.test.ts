import { describe, expect, it } from 'vitest'
import {
  boxKeyPairFromSeed,
  fromBase64url,
  fromUtf8,
  keyIdOf,
  sha256,
  signKeyPairFromSeed,
  toBase64url,
  utf8,
} from '../crypto'
import {
  canonicalEnvelopeText,
  envelopeFromJson,
  envelopeToJson,
  openEnvelopeBytes,
  parseEnvelopeText,
} from './envelope.schema'
import { verifyManifestUpdate } from './manifest'
import vectors from './vectors/v1.json'

/** Frozen vectors: every build, forever, must still read what v1 wrote. */
const decode = (text: string) => fromBase64url(text) as Uint8Array

describe('protocol v1 frozen vectors', () => {
  const secretKeys = vectors.keys.brokerBoxSecretKeys.map((k) => boxKeyPairFromSeed(decode(k)).secretKey)

  it.each(vectors.envelopes.map((e, i) => [i, e] as const))(
    'envelope %i opens for every broker',
    async (_, vector) => {
      for (const secretKey of secretKeys) {
        expect(fromUtf8(await openEnvelopeBytes(utf8(vector.text), secretKey))).toBe(vector.body)
      }
      expect(toBase64url(sha256(utf8(vector.text)))).toBe(vector.hash)
    },
  )

  it('re-encodes every envelope to the identical canonical text', () => {
    for (const vector of vectors.envelopes) {
      expect(canonicalEnvelopeText(envelopeToJson(envelopeFromJson(parseEnvelopeText(vector.text))))).toBe(
        vector.text,
      )
    }
  })

  it('lists recipients by the v1 key id', () => {
    const json = parseEnvelopeText(vectors.envelopes[0]?.text ?? '')
    const expected = secretKeys.map((k) => toBase64url(keyIdOf(boxKeyPairFromSeed(k).publicKey)))
    expect(json.recipients.map((r) => r.kid)).toEqual(expected)
  })

  it('verifies the signed manifest and its root', () => {
    const manifest = verifyManifestUpdate(vectors.manifest.signed, null, 'wiki-example')
    expect(manifest).toEqual(vectors.manifest.json)
    expect(manifest.root).toBe(toBase64url(signKeyPairFromSeed(decode(vectors.keys.rootSignSeed)).publicKey))
  })
})
