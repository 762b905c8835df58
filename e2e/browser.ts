import { existsSync } from 'node:fs'
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium } from 'playwright-core'

/**
 * Node only (test harness). Debian's Chromium, driven by playwright-core. A missing browser is an
 * error, never a skip: CI installs it (`apt-get install -y chromium`).
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** The two widths every screen is checked at: a small phone and a laptop (CSS pixels). */
export const VIEWPORTS = {
  390: { width: 390, height: 844 },
  1280: { width: 1280, height: 800 },
} as const
export type ViewportWidth = keyof typeof VIEWPORTS
export const WIDTHS = [390, 1280] as const satisfies readonly ViewportWidth[]

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM_PATH}. Install it with "apt-get install -y chromium", or set CHROMIUM_PATH to a Chromium binary.`,
    )
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** A fresh profile (no service worker, no caches) at phone width, in English, with light colours. */
export function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: VIEWPORTS[390],
    locale: 'en-GB',
    colorScheme: 'light',
    reducedMotion: 'reduce',
    serviceWorkers: 'allow',
    ...options,
  })
}
