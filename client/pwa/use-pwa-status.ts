import { useSyncExternalStore } from 'react'
import { getPwaStatus, type PwaStatus, subscribePwaStatus } from './service-worker'

/** Browser only. Offline readiness and update state, re-rendering when either changes. */
export function usePwaStatus(): PwaStatus {
  return useSyncExternalStore(subscribePwaStatus, getPwaStatus)
}
