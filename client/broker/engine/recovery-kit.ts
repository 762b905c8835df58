import * as v from 'valibot'
import {
  boxPublicKey,
  boxPublicKeyOf,
  fingerprintOf,
  fingerprintWords,
  type PassphraseWrapped,
  signPublicKey,
  toBase64url,
  unwrapWithPassphrase,
} from '../../../shared/crypto'
import { b64, communityId, decodeField, displayText } from '../../../shared/protocol'
import { brokerDb, type IdentityRow } from './db'
import { adopt, decodeSecrets, type Secrets } from './vault'

/**
 * Browser only. The recovery kit: this broker's keys as the device keeps them (wrapped under the
 * passphrase) in a file to keep elsewhere. With the file and the passphrase, the keys come back on
 * a new device; the file alone opens nothing. Restoring checks that the keys inside are the ones
 * the file names, so a doctored kit cannot pass someone else's public keys off as this broker's.
 */

export interface RecoveryKit {
  readonly fileName: string
  readonly text: string
  /** This broker's fingerprint, as words to read aloud. */
  readonly brokerWords: readonly string[]
}

const RecoveryKitSchema = v.object({
  kind: v.literal('heard-recovery-kit'),
  v: v.literal(1),
  community: communityId,
  brokerName: displayText(120),
  boxKey: b64(32),
  signKey: b64(32),
  rootKey: v.optional(b64(32)),
  wrapped: v.strictObject({
    kdf: v.literal('scrypt'),
    params: v.strictObject({ N: v.number(), r: v.number(), p: v.number() }),
    salt: b64(16),
    nonce: b64(24),
    ciphertext: v.pipe(v.string(), v.maxLength(4096)),
  }),
})

const wordsOfIdentity = (identity: Pick<IdentityRow, 'boxKey' | 'signKey'>): string[] =>
  fingerprintWords(
    fingerprintOf(boxPublicKey(decodeField(identity.boxKey)), signPublicKey(decodeField(identity.signKey))),
  )

export function recoveryKitOf(identity: IdentityRow): RecoveryKit {
  const brokerWords = wordsOfIdentity(identity)
  return {
    fileName: `heard-recovery-${identity.community}.json`,
    brokerWords,
    text: JSON.stringify(
      {
        kind: 'heard-recovery-kit',
        v: 1,
        note: 'Your keys, encrypted with your passphrase. Without the passphrase this file opens nothing.',
        community: identity.community,
        brokerName: identity.brokerName,
        boxKey: identity.boxKey,
        signKey: identity.signKey,
        ...(identity.rootKey ? { rootKey: identity.rootKey } : {}),
        fingerprintWords: brokerWords.join(' '),
        wrapped: {
          kdf: identity.wrapped.kdf,
          params: identity.wrapped.params,
          salt: toBase64url(identity.wrapped.salt),
          nonce: toBase64url(identity.wrapped.nonce),
          ciphertext: toBase64url(identity.wrapped.ciphertext),
        },
      },
      null,
      2,
    ),
  }
}

export type RestoreResult =
  | { readonly ok: true; readonly community: string }
  | { readonly ok: false; readonly reason: 'not_a_kit' | 'wrong_passphrase' | 'already_here' | 'mismatch' }

/** Restore the keys in a kit's text onto this device, opening the vault when they unwrap. */
export async function restoreFromKit(text: string, passphrase: string): Promise<RestoreResult> {
  let kit: v.InferOutput<typeof RecoveryKitSchema>
  let wrapped: PassphraseWrapped
  try {
    kit = v.parse(RecoveryKitSchema, JSON.parse(text))
    wrapped = {
      kdf: 'scrypt',
      params: kit.wrapped.params,
      salt: decodeField(kit.wrapped.salt),
      nonce: decodeField(kit.wrapped.nonce),
      ciphertext: decodeField(kit.wrapped.ciphertext),
    }
  } catch {
    return { ok: false, reason: 'not_a_kit' }
  }
  if (await brokerDb().identities.get(kit.community)) return { ok: false, reason: 'already_here' }
  let secrets: Secrets
  try {
    secrets = decodeSecrets(await unwrapWithPassphrase(wrapped, passphrase))
  } catch {
    return { ok: false, reason: 'wrong_passphrase' }
  }
  // rootKey is the pinned community key; the admin's kit holds that key's secret too.
  const matches =
    toBase64url(boxPublicKeyOf(secrets.box)) === kit.boxKey &&
    toBase64url(secrets.sign.publicKey) === kit.signKey &&
    (!secrets.root || toBase64url(secrets.root.publicKey) === kit.rootKey)
  if (!matches) return { ok: false, reason: 'mismatch' }
  const identity: IdentityRow = {
    community: kit.community,
    brokerName: kit.brokerName,
    boxKey: kit.boxKey,
    signKey: kit.signKey,
    ...(kit.rootKey ? { rootKey: kit.rootKey } : {}),
    wrapped,
    createdAt: new Date().toISOString(),
  }
  await brokerDb().identities.put(identity)
  adopt(identity, secrets)
  return { ok: true, community: kit.community }
}
