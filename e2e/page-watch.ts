import type { BrowserContext } from 'playwright-core'

/**
 * Node only (test harness). Records, for one browser context, everything that must never happen:
 * a request to another origin, a console error (CSP violations are reported there), an uncaught
 * error, or a `securitypolicyviolation` event. `problems()` lists them in words; tests expect [].
 */
export interface PageWatch {
  /** Every URL requested by the pages and the service worker, in order. */
  readonly requests: string[]
  problems(): string[]
}

/**
 * The relay's answer for a community that has not published its directory is a 404
 * (`directory_not_published`), which Chromium logs as "Failed to load resource". Every community
 * screen asks for the directory, so that one answer is expected, not a problem.
 */
const isDirectoryNotPublished = (text: string, url: string): boolean =>
  text.includes('status of 404') && /\/api\/v1\/communities\/[^/]+\/directory(?:\?|$)/.test(url)

/** Requests a browser makes that are not network requests and never leave the device. */
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:'])

export async function watchContext(context: BrowserContext, origin: string): Promise<PageWatch> {
  const requests: string[] = []
  const found: string[] = []
  context.on('request', (request) => {
    const url = request.url()
    requests.push(url)
    const parsed = new URL(url)
    if (!LOCAL_SCHEMES.has(parsed.protocol) && parsed.origin !== origin) {
      found.push(`request to another origin: ${url}`)
    }
  })
  context.on('console', (message) => {
    if (isDirectoryNotPublished(message.text(), message.location().url)) return
    if (message.type() === 'error') found.push(`console error: ${message.text()}`)
    else if (/content security policy/i.test(message.text())) found.push(`console: ${message.text()}`)
  })
  context.on('weberror', (error) => {
    found.push(`uncaught error: ${error.error().message}`)
  })
  context.on('serviceworker', (worker) => {
    worker.on('console', (message) => {
      if (message.type() === 'error') found.push(`service worker console error: ${message.text()}`)
    })
  })
  // Injected by the browser driver, so the page's own CSP does not apply to this listener.
  await context.addInitScript(() => {
    window.addEventListener('securitypolicyviolation', (event) => {
      // biome-ignore lint/suspicious/noConsole: reports the violation to the test through the console
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || '(inline)'}`)
    })
  })
  return { requests, problems: () => [...found] }
}
