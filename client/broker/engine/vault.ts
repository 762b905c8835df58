import {
  type BoxSecretKey,
  boxSecretKey,
  clearKeyCache,
  fromBase64url,
  fromUtf8,
  openWithKey,
  type SignKeyPair,
  type SignSecretKey,
  type SymmetricKey,
  sealWithKey,
  signPublicKey,
  signSecretKey,
  symmetricKey,
  toBase64url,
  unwrapWithPassphrase,
  utf8,
  wrapWithPassphrase,
} from '../../../shared/crypto'
import { brokerDb, type IdentityRow } from './db'

/**
 * Browser only. The one place a broker's secrets live once unlocked: in this module's memory, never
 * in storage, dropped on lock, on inactivity and when the page closes.
 */

export interface Secrets {
  readonly box: BoxSecretKey
  readonly sign: SignKeyPair
  readonly root?: SignKeyPair
  /** Seals the opened cases at rest on this device. */
  readonly store: SymmetricKey
}

interface SecretsJson {
  readonly box: string
  readonly sign: string
  readonly root?: string
  readonly store: string
}

export const DEFAULT_AUTO_LOCK_MS = 15 * 60_000

let open: { community: string; identity: IdentityRow; secrets: Secrets } | null = null
let timer: number | undefined
let autoLockMs = DEFAULT_AUTO_LOCK_MS
const listeners = new Set<() => void>()

const signPairOf = (secret: Uint8Array): SignKeyPair => ({
  secretKey: signSecretKey(secret),
  publicKey: signPublicKey(secret.subarray(32)),
})

export function encodeSecrets(secrets: Secrets): Uint8Array {
  const json: SecretsJson = {
    box: toBase64url(secrets.box),
    sign: toBase64url(secrets.sign.secretKey),
    ...(secrets.root ? { root: toBase64url(secrets.root.secretKey) } : {}),
    store: toBase64url(secrets.store),
  }
  return utf8(JSON.stringify(json))
}

export function decodeSecrets(bytes: Uint8Array): Secrets {
  const json = JSON.parse(fromUtf8(bytes)) as SecretsJson
  const bytesOf = (text: string) => {
    const b = fromBase64url(text)
    if (!b) throw new Error('malformed secrets')
    return b
  }
  return {
    box: boxSecretKey(bytesOf(json.box)),
    sign: signPairOf(bytesOf(json.sign)),
    ...(json.root ? { root: signPairOf(bytesOf(json.root)) } : {}),
    store: symmetricKey(bytesOf(json.store)),
  }
}

export const wrapSecrets = (secrets: Secrets, passphrase: string) =>
  wrapWithPassphrase(encodeSecrets(secrets), passphrase)

/** The delay after `failures` wrong passphrases: none for the first two, then doubling from 2 s to 5 min. */
export const unlockDelayMs = (failures: number): number =>
  failures < 2 ? 0 : Math.min(5 * 60_000, 1_000 * 2 ** (failures - 1))

export type UnlockResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'wrong_passphrase' | 'wait'; readonly retryAt: number }
  | { readonly ok: false; readonly reason: 'no_identity' }

export async function unlock(community: string, passphrase: string): Promise<UnlockResult> {
  const db = brokerDb()
  const identity = await db.identities.get(community)
  if (!identity) return { ok: false, reason: 'no_identity' }
  const attempt = (await db.attempts.get(community)) ?? { community, failures: 0, notBefore: 0 }
  if (Date.now() < attempt.notBefore) return { ok: false, reason: 'wait', retryAt: attempt.notBefore }
  let secrets: Secrets
  try {
    secrets = decodeSecrets(await unwrapWithPassphrase(identity.wrapped, passphrase))
  } catch {
    const failures = attempt.failures + 1
    const notBefore = Date.now() + unlockDelayMs(failures)
    await db.attempts.put({ community, failures, notBefore })
    return { ok: false, reason: 'wrong_passphrase', retryAt: notBefore }
  }
  await db.attempts.put({ community, failures: 0, notBefore: 0 })
  open = { community, identity, secrets }
  autoLockMs = autoLockMsOf(identity)
  touch()
  changed()
  return { ok: true }
}

/** Adopt secrets just created on this device (setup, join) without asking for the passphrase again. */
export function adopt(identity: IdentityRow, secrets: Secrets): void {
  open = { community: identity.community, identity, secrets }
  autoLockMs = autoLockMsOf(identity)
  touch()
  changed()
}

export function lock(): void {
  open = null
  // Imported WebCrypto private keys go too: nothing that opens reports outlives the lock.
  clearKeyCache()
  window.clearTimeout(timer)
  changed()
}

/** Activity postpones the automatic lock. */
export function touch(): void {
  window.clearTimeout(timer)
  if (open) timer = window.setTimeout(lock, autoLockMs)
}

const autoLockMsOf = (identity: IdentityRow): number =>
  identity.settings ? identity.settings.autoLockMinutes * 60_000 : DEFAULT_AUTO_LOCK_MS

export function current(): { community: string; identity: IdentityRow; secrets: Secrets } | null {
  return open
}

export function requireOpen(): { community: string; identity: IdentityRow; secrets: Secrets } {
  if (!open) throw new Error('The vault is locked')
  return open
}

export function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

function changed(): void {
  for (const listener of listeners) listener()
}

/** Seal a record at rest under the store key; open it again. */
export const sealRecord = (plain: Uint8Array): Uint8Array => sealWithKey(plain, requireOpen().secrets.store)
export const openRecord = (sealed: Uint8Array): Uint8Array => openWithKey(sealed, requireOpen().secrets.store)

export type { SignSecretKey }
