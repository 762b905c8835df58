import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, newContext } from './browser'
import { checkBothWidths, readable } from './checks'
import { watchContext } from './page-watch'
import { startBuiltRelay, type TestRelay } from './relay'
import { sendReport, tabTo } from './steps'

/**
 * The broker console with the keyboard alone: set up, sync, open and read a case, record a status,
 * change the settings (reports shown unblurred, lock after 5 minutes), download the recovery kit,
 * lock and unlock; then restore the keys from the kit on a fresh device. The
 * automatic lock is checked on a fake clock: after the chosen 5 minutes without activity the keys
 * are gone and the unlock screen is back. axe runs on the screens the other broker tests leave out.
 */
describe('broker console by keyboard', () => {
  let relay: TestRelay
  let browser: Browser
  const community = 'keys-wiki'
  const passphrase = 'typed on the keyboard only'

  beforeAll(async () => {
    ;[relay, browser] = await Promise.all([startBuiltRelay(), launchBrowser()])
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  it('works without a pointer, honours the settings, and locks itself after the chosen time', async () => {
    const violations: string[] = []
    const context = await newContext(browser, { viewport: { width: 1280, height: 800 } })
    const watch = await watchContext(context, relay.origin)
    // Timers run on a clock the test can move forward; until then it follows real time.
    await context.clock.install()
    const page = await context.newPage()
    const type = async (label: string | RegExp, text: string) => {
      await tabTo(page, page.getByLabel(label, { exact: typeof label === 'string' }))
      await page.keyboard.type(text)
    }
    const press = async (name: string) => {
      await tabTo(page, page.getByRole('button', { name, exact: true }))
      await page.keyboard.press('Enter')
    }

    await page.goto(relay.setupUrl)
    await type('Community name', 'Keys Wiki')
    await type('Short id for links', community)
    await type('What complainants should know', 'The safety team reads every report.')
    await type('Your name as a broker', 'Kay')
    await type('Passphrase', passphrase)
    await type('Passphrase again', passphrase)
    await press('Create the community')
    await page.getByTestId('recovery-kit').waitFor({ timeout: 30_000 })
    await press('Go to the inbox')
    await page.getByText('No reports here.').waitFor()
    violations.push(...(await checkBothWidths(page, 'broker-inbox-empty')))

    const canary = `keyboard-canary-${crypto.randomUUID()}`
    await sendReport(browser, relay.url, community, `Reported for the keyboard test. ${canary}`)
    await press('Sync now')
    const item = page.getByTestId('inbox').locator('li').first()
    await item.waitFor({ timeout: 30_000 })
    await tabTo(page, item.locator('button'))
    await page.keyboard.press('Enter')
    await press('Read the report')
    expect(await page.getByTestId('report-body').textContent()).toContain(canary)
    await tabTo(page, page.getByLabel('Set the status'))
    await page.keyboard.press('ArrowDown')
    expect(await page.getByLabel('Set the status').inputValue()).toBe('acknowledged')
    await press('Record')
    await page.getByTestId('history').getByText('status set to').waitFor({ timeout: 30_000 })
    await press('Back to the reports')

    // Settings: show reports at once, lock after 5 minutes.
    await press('Settings')
    await tabTo(page, page.getByLabel("Hide each report's text until I choose to read it"))
    await page.keyboard.press('Space')
    await tabTo(page, page.getByLabel('Lock the console after this long without activity'))
    await page.keyboard.press('ArrowUp')
    expect(await page.getByLabel('Lock the console after this long without activity').inputValue()).toBe('5')
    await press('Save the settings')
    await page.getByTestId('settings').getByText('Saved.').waitFor()
    violations.push(...(await checkBothWidths(page, 'broker-settings')))
    const downloading = page.waitForEvent('download')
    await press('Download the recovery kit')
    const kitPath = path.join(mkdtempSync(path.join(tmpdir(), 'heard-kit-')), 'kit.json')
    await (await downloading).saveAs(kitPath)
    expect(readFileSync(kitPath, 'utf8')).not.toContain(passphrase)
    await press('Back to the reports')
    await tabTo(page, item.locator('button'))
    await page.keyboard.press('Enter')
    expect(await page.getByTestId('report-body').textContent()).toContain(canary)
    expect(await page.getByRole('button', { name: 'Read the report' }).count()).toBe(0)

    // The lock button, then the passphrase, by keyboard.
    await press('Lock')
    await page.getByLabel('Passphrase').waitFor()
    violations.push(...(await checkBothWidths(page, 'broker-unlock')))
    await type('Passphrase', passphrase)
    await page.keyboard.press('Enter')
    await page.getByTestId('inbox').waitFor({ timeout: 30_000 })

    // Nothing happens for 4 minutes: still open. Past 5 minutes: locked, the report gone from the page.
    await page.clock.fastForward('04:00')
    expect(await page.getByTestId('inbox').count()).toBe(1)
    await page.clock.fastForward('01:05')
    await page.getByLabel('Passphrase').waitFor()
    expect(await page.getByTestId('inbox').count()).toBe(0)
    expect(await page.content()).not.toContain(canary)

    // A new device: the kit alone opens nothing; with the passphrase, the keys and the reports come back.
    const fresh = await newContext(browser)
    const freshWatch = await watchContext(fresh, relay.origin)
    const other = await fresh.newPage()
    await other.goto(`${relay.url}/broker`)
    const restore = other.getByTestId('restore-kit')
    await restore.getByLabel('Recovery kit file').setInputFiles(kitPath)
    await restore.getByLabel('Passphrase of these keys').fill('not the passphrase at all')
    await restore.getByRole('button', { name: 'Restore my keys' }).click()
    await other
      .getByTestId('restore-problem')
      .getByText('That passphrase does not open these keys.')
      .waitFor({
        timeout: 30_000,
      })
    violations.push(...(await checkBothWidths(other, 'broker-restore-problem')))
    await restore.getByLabel('Passphrase of these keys').fill(passphrase)
    await restore.getByRole('button', { name: 'Restore my keys' }).click()
    await other.getByTestId('inbox').locator('li').first().locator('button').click({ timeout: 30_000 })
    await other.getByRole('button', { name: 'Read the report' }).click()
    expect(await other.getByTestId('report-body').textContent()).toContain(canary)
    expect(await other.getByTestId('case').locator('.case__head').textContent()).toContain('Acknowledged')

    expect(violations, readable(violations)).toEqual([])
    expect(watch.problems(), readable(watch.problems())).toEqual([])
    expect(freshWatch.problems(), readable(freshWatch.problems())).toEqual([])
    await fresh.close()
    await context.close()
  })
})
