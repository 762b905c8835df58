import { copyFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SQLITE_FILE } from '../server/db/sqlite-store'
import { type RelayProcess, startRelay } from '../server/test/relay-process'
import { launchBrowser, newContext } from './browser'
import { checkBothWidths, readable } from './checks'
import { watchContext } from './page-watch'
import { DIST_DIR, freePort } from './relay'
import { keepPassphrase, setUpCommunity } from './steps'

/**
 * Issue #5 through the apps, in Chromium against the real relay on SQLite: the admin records the
 * relay's log key at setup; each receipt is checked on arrival; "Is my report still held?" says
 * yes while nobody tampers. Then the relay's database is changed behind its back — a report row
 * deleted, one byte of another changed, two swapped — and later rolled back to an older backup:
 * the broker console's sync raises an alarm naming each, and the complainant's check says what
 * happened to their report.
 */

describe('transparency log in the apps', () => {
  let browser: Browser
  let relay: RelayProcess
  let dataDir: string
  let env: Record<string, string>
  const scratch = mkdtempSync(path.join(tmpdir(), 'heard-e2e-log-'))
  const community = 'logged-wiki'

  beforeAll(async () => {
    dataDir = path.join(scratch, 'data')
    env = { DATA_DIR: dataDir, STATIC_DIR: DIST_DIR, PORT: String(await freePort()) }
    ;[relay, browser] = await Promise.all([startRelay(env), launchBrowser()])
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
    rmSync(scratch, { recursive: true, force: true })
  })

  /** Write, seal, send, keep the words; wait for the checked receipt; back to the form. */
  async function send(page: Page, text: string): Promise<void> {
    await page.getByLabel('What happened?').fill(text)
    await page.getByRole('button', { name: 'Seal and send' }).click()
    await keepPassphrase(page)
    await page.locator('[data-testid="report-status"] [data-state="stored"]').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('receipt-log-check').textContent()).toMatch(
      /^Receipt checked: your report is entry \d+ of the community's public log/,
    )
    await page.getByRole('button', { name: 'Done' }).click()
  }

  /** "Is my report still held?" for report number n; resolves to what the check found. */
  async function stillHeld(page: Page, n: number): Promise<string> {
    const item = page.locator('[data-testid="my-reports"] li', { hasText: `Report number ${n},` })
    const check = item.getByTestId('held-check')
    const before = await check.getAttribute('data-checked-at')
    await item.getByRole('button', { name: 'Is my report still held?' }).click()
    await expect.poll(() => check.getAttribute('data-checked-at'), { timeout: 20_000 }).not.toBe(before)
    return (await check.getAttribute('data-held')) ?? ''
  }

  async function syncAndRead(console_: Page): Promise<string> {
    await console_.getByRole('button', { name: 'Sync now' }).click()
    await console_.getByRole('button', { name: 'Sync now' }).waitFor()
    const status = console_.getByTestId('log-status')
    await status.waitFor()
    return `${await status.getAttribute('data-log')}: ${await status.textContent()}`
  }

  const sqlite = () => new Database(path.join(dataDir, SQLITE_FILE))

  it('checks receipts, says a report is still held, and catches every tampering', async () => {
    const violations: string[] = []
    const admin = await newContext(browser)
    const adminWatch = await watchContext(admin, new URL(relay.url).origin)
    const console_ = await admin.newPage()
    await console_.goto(relay.setupUrl ?? '')
    await setUpCommunity(console_, {
      community,
      name: 'Logged Wiki',
      broker: 'Ada',
      passphrase: 'correct horse battery staple',
    })
    await console_.getByRole('button', { name: 'Go to the inbox' }).click()
    await console_.getByText('No reports here.').waitFor()
    expect(await syncAndRead(console_)).toMatch(/^verified: Log verified: its 0 entries/)

    // A complainant sends two reports; the relay's database is backed up (the "older backup").
    const complainant = await newContext(browser)
    const page = await complainant.newPage()
    await page.goto(`${relay.url}/c/${community}`)
    await page.locator('[data-trust="trusted"]').waitFor()
    await send(page, 'First: someone keeps posting my home address.')
    await send(page, 'Second: a stranger threatens me in private messages.')
    const backup = path.join(scratch, 'backup.sqlite')
    const db = sqlite()
    await db.backup(backup)
    db.close()
    await send(page, 'Third: my photos are being shared without consent.')

    // The broker syncs: three reports, and the log verified.
    expect(await syncAndRead(console_)).toMatch(/^verified: Log verified: its 3 entries match/)
    expect(await stillHeld(page, 3)).toBe('ok')
    expect(
      await page.locator('[data-testid="my-reports"] li', { hasText: 'Report number 3,' }).textContent(),
    ).toMatch(/Still held .* the public log, now 3 entries long, still includes it/)
    violations.push(...(await checkBothWidths(page, 'complainant-still-held')))

    // The public record: reports held by month and the head, checked against the recorded key.
    await page.getByRole('link', { name: 'See the public record' }).click()
    const record = page.getByTestId('transparency')
    await record.getByText('3 reports held, by month').waitFor()
    expect(await page.getByTestId('transparency-head').getAttribute('data-check')).toBe('verified')
    expect(await page.getByTestId('transparency-head').textContent()).toContain('The log holds 3 entries.')
    violations.push(...(await checkBothWidths(page, 'complainant-transparency')))
    await page.getByRole('link', { name: 'Back to the report form' }).click()
    await page.locator('[data-trust="trusted"]').waitFor()

    // Four more reports reach the relay, and its database is changed before the broker syncs them.
    for (const n of [4, 5, 6, 7]) await send(page, `Report ${n}: more of the same, on another page.`)
    const tamper = sqlite()
    tamper.prepare('delete from reports where community = ? and seq = 4').run(community)
    const five = tamper.prepare('select ct from reports where community = ? and seq = 5').get(community) as {
      ct: Buffer
    }
    five.ct[200] = (five.ct[200] as number) ^ 1
    tamper.prepare('update reports set ct = ? where community = ? and seq = 5').run(five.ct, community)
    const rows = tamper
      .prepare('select seq, id, head, ct from reports where community = ? and seq in (6, 7) order by seq')
      .all(community) as { seq: number; id: string; head: string; ct: Buffer }[]
    const swap = tamper.prepare('update reports set id = ?, head = ?, ct = ? where community = ? and seq = ?')
    tamper.transaction(() => {
      // Through a free id first: (community, id) is unique.
      swap.run('swapping-in-progress0', rows[1]?.head, rows[1]?.ct, community, 6)
      swap.run(rows[0]?.id, rows[0]?.head, rows[0]?.ct, community, 7)
      swap.run(rows[1]?.id, rows[1]?.head, rows[1]?.ct, community, 6)
    })()
    tamper.close()

    const alarm = await syncAndRead(console_)
    expect(alarm).toMatch(/^alarm: Warning: the relay's log does not add up/)
    expect(alarm).toContain('Report number 4 is in the log, but the relay did not deliver it.')
    expect(alarm).toContain('Report number 5 is not what the log recorded')
    expect(alarm).toContain('Report number 6 is not what the log recorded')
    expect(alarm).toContain('Report number 7 is not what the log recorded')
    violations.push(...(await checkBothWidths(console_, 'broker-log-alarm')))

    expect(await stillHeld(page, 4)).toBe('report_missing')
    expect(await stillHeld(page, 5)).toBe('report_altered')
    // The swap only changed the order: each of the two envelopes is still held whole under its own
    // id, so its sender is rightly told so; the broker's audit is what catches the order.
    expect(await stillHeld(page, 6)).toBe('ok')
    expect(await stillHeld(page, 1)).toBe('ok')
    violations.push(...(await checkBothWidths(page, 'complainant-not-held')))

    // The operator restores the older backup (two reports) and restarts the relay on the same address.
    await relay.stop()
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(path.join(dataDir, `${SQLITE_FILE}${suffix}`), { force: true })
    copyFileSync(backup, path.join(dataDir, SQLITE_FILE))
    relay = await startRelay(env)

    const rolledBack = await syncAndRead(console_)
    expect(rolledBack).toContain('The log now has 2 entries, fewer than the 3 this device verified')
    expect(await stillHeld(page, 3)).toBe('rolled_back')
    expect(await stillHeld(page, 2)).toBe('ok')

    expect(violations, readable(violations)).toEqual([])
    expect(adminWatch.problems(), readable(adminWatch.problems())).toEqual([])
    await complainant.close()
    await admin.close()
  })
})
