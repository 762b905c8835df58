import {
  generateBoxKeyPair,
  generateSignKeyPair,
  randomBytes,
  symmetricKey,
  toBase64url,
} from '../../../shared/crypto'
import { brokerEntry, type Manifest, signManifest } from '../../../shared/protocol'
import { brokerDb, type IdentityRow } from './db'
import { publishFirstDirectory } from './directory'
import { relayLogKey } from './log-key'
import { type RecoveryKit, recoveryKitOf } from './recovery-kit'
import { communityUrl, relayFetch } from './relay'
import { adopt, type Secrets, wrapSecrets } from './vault'

/**
 * Browser only. A community is born on its first broker's device: the root key, the broker's own
 * keys and the first manifest are all made here; the relay only receives the signed manifest
 * (with the one-time setup token) and never any private key.
 */

export interface NewCommunity {
  readonly setupToken: string
  readonly community: string
  readonly name: string
  readonly policy: string
  readonly contact?: string
  readonly brokerName: string
  readonly passphrase: string
}

export const MIN_PASSPHRASE_LENGTH = 12

export interface CreatedCommunity {
  readonly kit: RecoveryKit
  /** Whether directory version 1 (Heard's global directory) was published; if not, Settings offers it. */
  readonly directoryPublished: boolean
}

export async function createCommunity(input: NewCommunity): Promise<CreatedCommunity> {
  const root = generateSignKeyPair()
  const box = generateBoxKeyPair()
  const sign = generateSignKeyPair()
  const manifest: Manifest = {
    v: 1,
    community: input.community,
    name: input.name,
    seq: 1,
    issuedAt: new Date().toISOString(),
    root: toBase64url(root.publicKey),
    brokers: [brokerEntry(input.brokerName, box.publicKey, sign.publicKey)],
    policy: input.policy,
    ...(input.contact ? { contact: input.contact } : {}),
    // Recorded now, so every app checks the log against a key the community vouched for.
    logKey: await relayLogKey(),
  }
  const signed = signManifest(manifest, root.secretKey)
  const secrets: Secrets = { box: box.secretKey, sign, root, store: symmetricKey(randomBytes(32)) }
  const identity: IdentityRow = {
    community: input.community,
    brokerName: input.brokerName,
    boxKey: toBase64url(box.publicKey),
    signKey: toBase64url(sign.publicKey),
    rootKey: toBase64url(root.publicKey),
    wrapped: await wrapSecrets(secrets, input.passphrase),
    createdAt: new Date().toISOString(),
  }
  // Publish first: a community the relay refused must not leave keys behind that look like one.
  await relayFetch(communityUrl(input.community, '/manifest'), {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `HeardSetup ${input.setupToken}` },
    body: JSON.stringify(signed),
  })
  await brokerDb().identities.put(identity)
  adopt(identity, secrets)
  // The community exists now, whatever happens to its directory: a failure here is only reported.
  const directoryPublished = await publishFirstDirectory(manifest)
  return { kit: recoveryKitOf(identity), directoryPublished }
}
