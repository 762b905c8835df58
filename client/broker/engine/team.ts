import * as v from 'valibot'
import {
  boxPublicKey,
  fingerprintOf,
  fingerprintWords,
  generateBoxKeyPair,
  generateSignKeyPair,
  randomBytes,
  signPublicKey,
  symmetricKey,
  toBase64url,
} from '../../../shared/crypto'
import { b64, brokerEntry, decodeField, type Manifest, signManifest } from '../../../shared/protocol'
import { brokerDb, type IdentityRow } from './db'
import { relayLogKey } from './log-key'
import { trustedManifest } from './manifest'
import { communityUrl, relayFetch } from './relay'
import { adopt, requireOpen, type Secrets, wrapSecrets } from './vault'

/**
 * Browser only. The team: a new broker makes their keys on their own device and hands the admin a
 * join request holding public keys only; the admin checks the fingerprint words out of band and
 * signs a new manifest. Removing a broker is a new manifest too; later reports are not sealed to them.
 */

const JoinRequestSchema = v.strictObject({
  kind: v.literal('heard-join-request'),
  v: v.literal(1),
  community: v.string(),
  name: v.pipe(v.string(), v.minLength(1), v.maxLength(120)),
  boxKey: b64(32),
  signKey: b64(32),
})
export type JoinRequest = v.InferOutput<typeof JoinRequestSchema>

export const wordsOf = (boxKey: string, signKey: string): string[] =>
  fingerprintWords(fingerprintOf(boxPublicKey(decodeField(boxKey)), signPublicKey(decodeField(signKey))))

/** On the new broker's device: make keys, keep them wrapped, and produce the request to hand over. */
export async function requestToJoin(input: {
  community: string
  brokerName: string
  passphrase: string
}): Promise<{ request: string; words: string[] }> {
  const box = generateBoxKeyPair()
  const sign = generateSignKeyPair()
  const secrets: Secrets = { box: box.secretKey, sign, store: symmetricKey(randomBytes(32)) }
  const identity: IdentityRow = {
    community: input.community,
    brokerName: input.brokerName,
    boxKey: toBase64url(box.publicKey),
    signKey: toBase64url(sign.publicKey),
    wrapped: await wrapSecrets(secrets, input.passphrase),
    createdAt: new Date().toISOString(),
  }
  await brokerDb().identities.put(identity)
  adopt(identity, secrets)
  const request: JoinRequest = {
    kind: 'heard-join-request',
    v: 1,
    community: input.community,
    name: input.brokerName,
    boxKey: identity.boxKey,
    signKey: identity.signKey,
  }
  return { request: JSON.stringify(request), words: wordsOf(identity.boxKey, identity.signKey) }
}

export type ParsedJoinRequest = { ok: true; request: JoinRequest; words: string[] } | { ok: false }

export function parseJoinRequest(text: string): ParsedJoinRequest {
  try {
    const request = v.parse(JoinRequestSchema, JSON.parse(text))
    return { ok: true, request, words: wordsOf(request.boxKey, request.signKey) }
  } catch {
    return { ok: false }
  }
}

async function publish(next: Manifest): Promise<void> {
  const { community, secrets } = requireOpen()
  if (!secrets.root) throw new Error('Only the holder of the community key can change the team')
  await relayFetch(communityUrl(community, '/manifest'), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    // A manifest from before the log gets the relay's log key now; a recorded one is never replaced.
    body: JSON.stringify(
      signManifest({ ...next, logKey: next.logKey ?? (await relayLogKey()) }, secrets.root.secretKey),
    ),
  })
}

/** On the admin's device: add the broker named in a checked join request. */
export async function addBroker(request: JoinRequest): Promise<void> {
  const current = await trustedManifest()
  if (request.community !== current.community) throw new Error('This request is for another community')
  await publish({
    ...current,
    seq: current.seq + 1,
    issuedAt: new Date().toISOString(),
    brokers: [
      ...current.brokers,
      brokerEntry(request.name, decodeField(request.boxKey), decodeField(request.signKey)),
    ],
  })
}

export async function removeBroker(signKey: string): Promise<void> {
  const current = await trustedManifest()
  const brokers = current.brokers.filter((b) => b.signKey !== signKey)
  if (brokers.length === current.brokers.length || brokers.length === 0) return
  await publish({ ...current, seq: current.seq + 1, issuedAt: new Date().toISOString(), brokers })
}
