import { appendFileSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, newContext } from './browser'
import { checkBothWidths, readable } from './checks'
import { watchContext } from './page-watch'
import { startBuiltRelay, type TestRelay } from './relay'
import { waitForOfflineReady } from './service-worker'

/** Whether a new worker is installed and waiting for consent. */
const hasWaitingWorker = (page: Page) =>
  page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting != null)

/** A new version of the code is offered, never applied until the person says so. */
describe('update prompt', () => {
  let relay: TestRelay
  let browser: Browser

  beforeAll(async () => {
    // A private copy of dist/, so the test can publish a new version of the service worker.
    ;[relay, browser] = await Promise.all([startBuiltRelay({ copy: true }), launchBrowser()])
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  it('announces a waiting version and activates it only when the person presses "Update now"', async () => {
    const context = await newContext(browser)
    const watch = await watchContext(context, relay.origin)
    const page = await context.newPage()
    await page.goto(`${relay.url}/`)
    await waitForOfflineReady(page, relay.staticDir)
    const banner = page.locator('.update')
    expect(await banner.count()).toBe(0)

    // The relay now serves a new version of the worker; the app finds it on its next check.
    appendFileSync(path.join(relay.staticDir, 'sw.js'), '\n// a new version, published by the e2e test\n')
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update())
    await banner.getByText('A new version of Heard is ready').waitFor()
    await page.evaluate(() => Object.assign(window, { beforeUpdate: true }))

    // Nothing happens without consent: the new worker waits and the page is not reloaded.
    await page.waitForTimeout(500)
    expect(await hasWaitingWorker(page)).toBe(true)
    expect(await page.evaluate(() => 'beforeUpdate' in window)).toBe(true)
    const violations = await checkBothWidths(page, 'update-banner')

    // "Later" hides the offer; the next visit offers it again.
    await banner.getByRole('button', { name: 'Later' }).click()
    expect(await banner.count()).toBe(0)
    expect(await hasWaitingWorker(page)).toBe(true)
    await page.reload()
    await banner.getByText('A new version of Heard is ready').waitFor()
    expect(await hasWaitingWorker(page)).toBe(true)

    const reloaded = page.waitForEvent('load')
    await banner.getByRole('button', { name: 'Update now' }).click()
    await reloaded
    await page.locator('[data-status="offline-ready"][data-state="ok"]').waitFor()
    expect(await hasWaitingWorker(page)).toBe(false)
    expect(await banner.count()).toBe(0)

    expect(violations, readable(violations)).toEqual([])
    const problems = watch.problems()
    expect(problems, readable(problems)).toEqual([])
    await context.close()
  })
})
