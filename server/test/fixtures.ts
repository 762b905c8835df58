import {
  type BoxKeyPair,
  fromBase64url,
  generateBoxKeyPair,
  generateSignKeyPair,
  type SignKeyPair,
  seal,
  signDetached,
  toBase64url,
  utf8,
} from '../../shared/crypto'
import {
  brokerEntry,
  type EnvelopeV1Json,
  envelopeToJson,
  type Manifest,
  SESSION_SIGNING_DOMAIN,
  type SignedManifest,
  sessionSigningMessage,
  setupAuthorization,
  signManifest,
} from '../../shared/protocol'

/** A community as its admin and brokers hold it in tests: keys and the manifest that lists them. */
export interface FakeCommunity {
  readonly id: string
  readonly root: SignKeyPair
  readonly brokers: readonly { box: BoxKeyPair; sign: SignKeyPair }[]
  readonly manifest: Manifest
  readonly signed: SignedManifest
}

export function fakeCommunity(
  id = 'wiki-example',
  brokerCount = 2,
  seq = 1,
  root = generateSignKeyPair(),
): FakeCommunity {
  const brokers = Array.from({ length: brokerCount }, () => ({
    box: generateBoxKeyPair(),
    sign: generateSignKeyPair(),
  }))
  const manifest: Manifest = {
    v: 1,
    community: id,
    name: 'Example Wiki',
    seq,
    issuedAt: new Date().toISOString(),
    root: toBase64url(root.publicKey),
    brokers: brokers.map((b, i) => brokerEntry(`Broker ${i + 1}`, b.box.publicKey, b.sign.publicKey)),
    policy: 'The safety team reads every report.',
  }
  return { id, root, brokers, manifest, signed: signManifest(manifest, root.secretKey) }
}

export async function fakeReport(community: FakeCommunity, text: string): Promise<EnvelopeV1Json> {
  const sealed = await seal(
    utf8(text),
    community.brokers.map((b) => b.box.publicKey),
    { version: 1, kind: 'report', community: community.id },
  )
  return envelopeToJson(sealed)
}

export function signChallenge(community: FakeCommunity, broker: number, challenge: string) {
  const signer = community.brokers[broker]?.sign
  if (!signer) throw new Error('no such broker')
  const signature = signDetached(
    SESSION_SIGNING_DOMAIN,
    sessionSigningMessage(community.id, fromBase64url(challenge) ?? new Uint8Array()),
    signer.secretKey,
  )
  return { signKey: toBase64url(signer.publicKey), challenge, signature: toBase64url(signature) }
}

export const json = (body: unknown, method = 'POST', headers: Record<string, string> = {}): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
})

/** The PUT that creates a community on a relay that asks for a setup token (the default). */
export const createCommunityRequest = (community: FakeCommunity, setupToken: string): RequestInit =>
  json(community.signed, 'PUT', { authorization: setupAuthorization(setupToken) })
