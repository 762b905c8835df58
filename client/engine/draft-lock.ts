import {
  type BoxSecretKey,
  boxPublicKey,
  boxSecretKey,
  CryptoError,
  CryptoErrorCode,
  generateBoxKeyPair,
  unwrapWithPassphrase,
  wrapWithPassphrase,
} from '../../shared/crypto'
import { MIN_PIN_LENGTH } from '../report/report-form'
import { heardDb } from './db'

export { MIN_PIN_LENGTH }

/**
 * Browser only. The optional PIN over drafts. Drafts are sealed to a key pair whose secret half is
 * wrapped under the PIN, so autosave keeps working while locked (it needs only the public key) and
 * opening a draft needs the PIN. The unwrapped secret stays in this tab's memory, never on disk.
 */

const LOCK = 'draft-lock'

let unlocked: BoxSecretKey | null = null

export type LockState = 'none' | 'locked' | 'unlocked'

export async function lockState(): Promise<LockState> {
  if (!(await heardDb().locks.get(LOCK))) return 'none'
  return unlocked ? 'unlocked' : 'locked'
}

/** The key new drafts are sealed to, when a PIN is set. */
export async function lockPublicKey() {
  const row = await heardDb().locks.get(LOCK)
  return row ? boxPublicKey(row.publicKey) : null
}

/** The secret that opens PIN-sealed drafts; throws when the PIN has not been entered in this tab. */
export function unlockedSecret(): BoxSecretKey {
  if (!unlocked) throw new CryptoError(CryptoErrorCode.wrongPassphrase, 'Drafts are locked: enter the PIN')
  return unlocked
}

export async function setPin(pin: string): Promise<void> {
  if (pin.length < MIN_PIN_LENGTH) throw new RangeError('PIN too short')
  const pair = generateBoxKeyPair()
  const wrapped = await wrapWithPassphrase(pair.secretKey, pin)
  await heardDb().locks.put({ name: LOCK, publicKey: pair.publicKey, wrapped })
  unlocked = pair.secretKey
}

/** True when the PIN opens the lock (scrypt makes each try take about a second). */
export async function unlock(pin: string): Promise<boolean> {
  const row = await heardDb().locks.get(LOCK)
  if (!row) return true
  try {
    unlocked = boxSecretKey(await unwrapWithPassphrase(row.wrapped, pin))
    return true
  } catch (error) {
    if (error instanceof CryptoError) return false
    throw error
  }
}

export async function removePin(): Promise<void> {
  await heardDb().locks.delete(LOCK)
  unlocked = null
}

export function forgetUnlocked(): void {
  unlocked = null
}
