import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'

/** Node only (test harness). The URLs the built service worker precaches, read from its sw.js. */
export function precachedPaths(staticDir: string): string[] {
  const sw = readFileSync(path.join(staticDir, 'sw.js'), 'utf8')
  const paths = [...sw.matchAll(/\{url:"([^"]+)",revision:/g)].map((m) => `/${m[1]}`)
  if (!paths.includes('/index.html')) throw new Error(`no precache manifest found in ${staticDir}/sw.js`)
  return paths
}

/**
 * Wait until a service worker controls the page and every precached file is in Cache Storage: from
 * then on, the app opens without a network.
 */
export async function waitForOfflineReady(page: Page, staticDir: string): Promise<void> {
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20_000 })
  const expected = precachedPaths(staticDir)
  await page.waitForFunction(
    async (paths) => {
      const cached = new Set<string>()
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys())
          cached.add(new URL(request.url).pathname)
      }
      return paths.every((p) => cached.has(p))
    },
    expected,
    { timeout: 20_000, polling: 100 },
  )
  await page.locator('[data-status="offline-ready"][data-state="ok"]').waitFor({ timeout: 10_000 })
}
