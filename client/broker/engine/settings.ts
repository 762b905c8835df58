import { type BrokerSettings, brokerDb } from './db'
import { adopt, DEFAULT_AUTO_LOCK_MS, requireOpen } from './vault'

/** Browser only. A broker's own settings on this device, kept with their identity. */

export const AUTO_LOCK_CHOICES = [5, 15, 30, 60] as const

export const DEFAULT_SETTINGS: BrokerSettings = {
  blurReports: true,
  autoLockMinutes: DEFAULT_AUTO_LOCK_MS / 60_000,
}

export function currentSettings(): BrokerSettings {
  return requireOpen().identity.settings ?? DEFAULT_SETTINGS
}

/** Save and apply at once (the new auto-lock delay starts counting now). */
export async function saveSettings(settings: BrokerSettings): Promise<void> {
  const { identity, secrets } = requireOpen()
  const next = { ...identity, settings }
  await brokerDb().identities.put(next)
  adopt(next, secrets)
}
