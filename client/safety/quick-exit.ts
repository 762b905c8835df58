/**
 * Browser only. Quick exit: clear what is on screen, replace this history entry (so Back does not
 * return to Heard), and go to a neutral page. The exit address comes from the community manifest;
 * Wikipedia is the neutral default.
 */
export const DEFAULT_EXIT_URL = 'https://www.wikipedia.org/'

let exitUrl = DEFAULT_EXIT_URL
const clearers = new Set<() => void>()

export function setExitUrl(url: string | undefined): void {
  exitUrl = url ?? DEFAULT_EXIT_URL
}

/** Screens holding sensitive text register a function that empties it. */
export function onQuickExit(clear: () => void): () => void {
  clearers.add(clear)
  return () => clearers.delete(clear)
}

export function quickExit(): void {
  for (const clear of clearers) {
    try {
      clear()
    } catch {
      // Leaving matters more than tidying.
    }
  }
  document.title = ''
  document.body.replaceChildren()
  window.location.replace(exitUrl)
}

const DOUBLE_PRESS_MS = 1_000

/** Escape twice within a second, anywhere. */
export function listenForDoubleEscape(): () => void {
  let last = 0
  const onKey = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return
    const now = event.timeStamp
    if (now - last < DOUBLE_PRESS_MS) quickExit()
    last = now
  }
  window.addEventListener('keydown', onKey, { capture: true })
  return () => window.removeEventListener('keydown', onKey, { capture: true })
}
