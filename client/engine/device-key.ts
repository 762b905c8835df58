import { createDeviceKey } from '../../shared/crypto'
import { heardDb } from './db'

const DEVICE_KEY = 'device-key'

let cached: Promise<CryptoKey> | null = null

/**
 * Browser only. The key that seals drafts at rest: an AES-GCM key made non-extractable, so script on
 * the page can use it but nobody can copy it off the device, and a disk image of IndexedDB alone
 * opens nothing. Made on first use, kept in IndexedDB as a CryptoKey object.
 */
export function deviceKey(): Promise<CryptoKey> {
  cached ??= (async () => {
    const db = heardDb()
    // Made before the transaction: an IndexedDB transaction commits as soon as it awaits anything else.
    const fresh = await createDeviceKey()
    return db.transaction('rw', db.keys, async () => {
      const existing = await db.keys.get(DEVICE_KEY)
      if (existing) return existing.key
      await db.keys.add({ name: DEVICE_KEY, key: fresh })
      return fresh
    })
  })()
  cached.catch(() => {
    cached = null
  })
  return cached
}
