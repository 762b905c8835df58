import { Workbox } from 'workbox-window'

/**
 * Browser only. Registers the service worker and tracks two things the person can see:
 *
 * - whether Heard is ready to open offline (a worker is active, so its precache is complete);
 * - whether an update is waiting. An update is never applied silently: the new worker stays in
 *   `waiting` (the worker has no skipWaiting) until the person presses "Update now", which sends it
 *   SKIP_WAITING and reloads once it controls the page.
 *
 * The relay serves the code, so a hostile relay could serve hostile code; letting the person choose
 * when code changes is one of the mitigations ARCHITECTURE.md names. Browsers still activate a
 * waiting worker by themselves once every Heard window is closed; a page cannot prevent that.
 */

export type OfflineState = 'unavailable' | 'preparing' | 'ready'
export type UpdateState =
  /** Nothing to offer. */
  | 'none'
  /** A new version is installed and waiting for the person's consent. */
  | 'waiting'
  /** The person accepted; the page reloads as soon as the new worker takes control. */
  | 'applying'
  /** Another Heard window accepted an update; this page still runs the old code until reloaded. */
  | 'applied-elsewhere'

export interface PwaStatus {
  readonly offline: OfflineState
  readonly update: UpdateState
}

const SW_URL = '/sw.js'
/** While the app stays open, look for a new version at most this often (ms). */
const UPDATE_CHECK_INTERVAL = 60 * 60 * 1000
/** After "Update now", reload after this long (ms) even if the new worker never took control. */
const APPLY_TIMEOUT = 10_000

let status: PwaStatus = { offline: 'preparing', update: 'none' }
const listeners = new Set<() => void>()
let workbox: Workbox | null = null
let accepted = false

function set(next: Partial<PwaStatus>): void {
  const merged = { ...status, ...next }
  if (merged.offline === status.offline && merged.update === status.update) return
  status = merged
  for (const listener of listeners) listener()
}

export function getPwaStatus(): PwaStatus {
  return status
}

export function subscribePwaStatus(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

function announceWaiting(): void {
  // A waiting worker matters only if an older one already serves this page (else it is the first install).
  if (navigator.serviceWorker.controller && status.update === 'none') set({ update: 'waiting' })
}

/** Watch a worker being installed; workbox-window stops reporting after the first external update. */
function watchInstalling(registration: ServiceWorkerRegistration): void {
  const worker = registration.installing
  worker?.addEventListener('statechange', () => {
    if (worker.state === 'installed' && registration.waiting === worker) announceWaiting()
    if (worker.state === 'activated') set({ offline: 'ready' })
  })
}

/** Register the service worker (production builds only; the dev server has none). */
export async function startServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator) || !import.meta.env.PROD) {
    set({ offline: 'unavailable' })
    return
  }
  const wb = new Workbox(SW_URL, { scope: '/' })
  workbox = wb
  const hadController = navigator.serviceWorker.controller !== null
  // A worker controls only once it is active, and it is active only once its precache is complete.
  if (hadController) set({ offline: 'ready' })

  wb.addEventListener('waiting', () => announceWaiting())
  wb.addEventListener('activated', () => set({ offline: 'ready' }))
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    set({ offline: 'ready' })
    if (accepted) window.location.reload()
    else if (hadController) set({ update: 'applied-elsewhere' })
  })

  try {
    const registration = await wb.register({ immediate: true })
    if (!registration) throw new Error('service worker registration returned nothing')
    if (registration.active) set({ offline: 'ready' })
    if (registration.waiting) announceWaiting()
    registration.addEventListener('updatefound', () => watchInstalling(registration))
  } catch {
    // Refused (private browsing, storage off, blocked by policy): Heard still works online.
    set({ offline: 'unavailable' })
    return
  }

  let lastCheck = Date.now()
  const checkForUpdate = () => {
    if (Date.now() - lastCheck < UPDATE_CHECK_INTERVAL || !navigator.onLine) return
    lastCheck = Date.now()
    wb.update().catch(() => undefined)
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') checkForUpdate()
  })
  window.setInterval(checkForUpdate, UPDATE_CHECK_INTERVAL)
}

/** The person pressed "Update now": let the waiting worker take over, then reload into the new version. */
export function acceptUpdate(): void {
  if (status.update === 'applied-elsewhere') {
    window.location.reload()
    return
  }
  if (!workbox || status.update !== 'waiting') return
  accepted = true
  set({ update: 'applying' })
  workbox.messageSkipWaiting()
  // Should the worker vanish before it takes control, the promised reload still happens (and offers again).
  window.setTimeout(() => window.location.reload(), APPLY_TIMEOUT)
}
