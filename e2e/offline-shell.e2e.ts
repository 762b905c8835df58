import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, newContext } from './browser'
import { checkBothWidths, readable } from './checks'
import { publishCommunity } from './community'
import { watchContext } from './page-watch'
import { startBuiltRelay, type TestRelay } from './relay'
import { waitForOfflineReady } from './service-worker'

/**
 * The first screen as the real relay serves it: security headers, manifest, looks, accessibility,
 * privacy, and opening with no network at all from the service worker.
 */
describe('app shell', () => {
  let relay: TestRelay
  let browser: Browser

  beforeAll(async () => {
    ;[relay, browser] = await Promise.all([startBuiltRelay(), launchBrowser()])
    // A real community, so the deep links below open its form (an unknown one is a 404 from the relay).
    await publishCommunity(relay.url, 'some-community')
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  it('is served with a strict CSP and the other security headers, and has nothing inline', async () => {
    for (const path of ['/', '/c/some-community', '/sw.js', '/manifest.webmanifest']) {
      const response = await fetch(`${relay.url}${path}`)
      expect(response.status, path).toBe(200)
      const csp = response.headers.get('content-security-policy') ?? ''
      const directives = csp.split(';').map((d) => d.trim())
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ]) {
        expect(directives, `${path}: CSP has ${directive}`).toContain(directive)
      }
      expect(csp, path).not.toMatch(/unsafe-|https?:|\*/)
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer')
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff')
      // The shell, the worker and the manifest are revalidated on every load, so an update is noticed.
      expect(response.headers.get('cache-control'), path).toBe('no-cache')
    }

    const html = await (await fetch(`${relay.url}/`)).text()
    expect(html).not.toMatch(/<style|\sstyle=/i)
    for (const script of html.match(/<script\b[^>]*>/gi) ?? []) expect(script).toMatch(/\ssrc="\/[^/]/)
    expect(html).toMatch(/<html lang="en" dir="ltr">/)
  })

  it('links a web app manifest with installable icons', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${relay.url}/`)
    const href = await page.locator('link[rel="manifest"]').getAttribute('href')
    expect(href).toBe('/manifest.webmanifest')
    await context.close()

    const response = await fetch(new URL(href ?? '', relay.url))
    expect(response.headers.get('content-type')).toMatch(/^application\/manifest\+json/)
    const manifest = (await response.json()) as {
      name: string
      short_name: string
      start_url: string
      display: string
      theme_color: string
      background_color: string
      icons: { src: string; sizes: string; type: string; purpose?: string }[]
    }
    expect(manifest).toMatchObject({
      name: 'Heard',
      short_name: 'Heard',
      start_url: '/',
      display: 'standalone',
    })
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i)
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i)
    const icons = manifest.icons.map((i) => `${i.sizes} ${i.purpose ?? 'any'}`)
    expect(icons).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']))

    for (const icon of manifest.icons) {
      const file = await fetch(new URL(icon.src, relay.url))
      expect(file.status, icon.src).toBe(200)
      expect(file.headers.get('content-type'), icon.src).toBe('image/png')
      const bytes = Buffer.from(await file.arrayBuffer())
      expect(bytes.subarray(1, 4).toString('latin1'), icon.src).toBe('PNG')
      // IHDR: width and height, big-endian, right after the 8-byte signature and the chunk header.
      expect(`${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`, icon.src).toBe(icon.sizes)
    }
  })

  it('reads well at 390 and 1280 px online and offline, passes axe, asks nothing of other origins, logs no error', async () => {
    const context = await newContext(browser)
    const watch = await watchContext(context, relay.origin)
    const page = await context.newPage()
    const violations: string[] = []

    // Online, first visit: the shell, then the service worker installs and precaches everything.
    await page.goto(`${relay.url}/`)
    await waitForOfflineReady(page, relay.staticDir)
    expect(await page.locator('h1').count()).toBe(1)
    expect(await page.locator('h1').textContent()).toBe('Heard')
    expect(await page.locator('main').count()).toBe(1)
    expect(await page.locator('header').textContent()).toContain(
      'A confidential place to report harassment in your online community.',
    )
    await page.locator('[data-status="connection"][data-state="ok"]').getByText('Online').waitFor()
    violations.push(...(await checkBothWidths(page, 'shell-online')))
    // No right-to-left catalog ships yet; flipping the direction shows the logical-property layout holds.
    await page.evaluate(() => {
      document.documentElement.dir = 'rtl'
    })
    await checkBothWidths(page, 'shell-rtl', [])

    await page.goto(`${relay.url}/c/some-community`)
    expect(await page.locator('[data-community]').textContent()).toBe('Community: some-community')
    violations.push(...(await checkBothWidths(page, 'community-online', [390])))

    await page.goto(`${relay.url}/c/Not%20a%20community`)
    await page.locator('[data-notice="invalid-community"]').waitFor()
    expect(await page.locator('[data-community]').count()).toBe(0)
    violations.push(...(await checkBothWidths(page, 'invalid-community', [390])))

    await page.goto(`${relay.url}/nothing-here`)
    await page.locator('[data-notice="not-found"]').waitFor()

    await page.emulateMedia({ colorScheme: 'dark' })
    await page.goto(`${relay.url}/`)
    await page.locator('[data-status="offline-ready"][data-state="ok"]').waitFor()
    violations.push(...(await checkBothWidths(page, 'shell-dark', [390])))
    await page.emulateMedia({ colorScheme: 'light' })

    // Offline: the reload is answered by the service worker alone.
    await context.setOffline(true)
    const reloaded = await page.reload()
    expect(reloaded?.fromServiceWorker(), 'the reloaded shell comes from the service worker').toBe(true)
    expect(await page.locator('h1').textContent()).toBe('Heard')
    await page
      .locator('[data-status="offline-ready"][data-state="ok"]')
      .getByText('Ready to work offline')
      .waitFor()
    await page.locator('[data-status="connection"][data-state="off"]').getByText('Offline').waitFor()
    violations.push(...(await checkBothWidths(page, 'shell-offline')))

    // A deep link opened offline gets the shell too (navigation fallback), and survives a reload.
    const deepLink = await page.goto(`${relay.url}/c/some-community`)
    expect(deepLink?.fromServiceWorker()).toBe(true)
    await page.reload()
    expect(await page.locator('h1').textContent()).toBe('Heard')
    expect(await page.locator('[data-community]').textContent()).toBe('Community: some-community')
    await page.locator('[data-status="offline-ready"][data-state="ok"]').waitFor()
    await checkBothWidths(page, 'community-offline', [])

    // The relay's API is never answered with the app shell: offline, a navigation there simply fails.
    await expect(page.goto(`${relay.url}/api/v1/health`)).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/)

    expect(violations, readable(violations)).toEqual([])
    expect(watch.requests.length).toBeGreaterThan(5)
    // That failed /api navigation is expected; nothing else may go wrong.
    const problems = watch.problems().filter((p) => !p.includes('/api/v1/health'))
    expect(problems, readable(problems)).toEqual([])
    await context.close()
  })
})
