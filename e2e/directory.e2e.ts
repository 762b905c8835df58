import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { Browser, BrowserContext, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SQLITE_FILE } from '../server/db/sqlite-store'
import { type RelayProcess, startRelay } from '../server/test/relay-process'
import { generateSignKeyPair, signDetached, toBase64url, utf8 } from '../shared/crypto'
import {
  type EmergencyCountry,
  HARM_TOPICS,
  parseDirectoryFile,
  parseEmergencyNumbersFile,
} from '../shared/directory'
import { match, prepareDirectory, type ServiceMatch } from '../shared/directory/match'
import { DIRECTORY_SIGNING_DOMAIN, type DirectoryHead } from '../shared/protocol'
import { launchBrowser, newContext } from './browser'
import { checkBothWidths, readable } from './checks'
import { DIST_DIR, freePort } from './relay'
import { waitForOfflineReady } from './service-worker'
import { keepPassphrase, setUpCommunityOnRelay } from './steps'

/**
 * Issue #6 through the apps, in Chromium against the real relay on SQLite: the admin's setup
 * publishes the signed directory; a complainant's first visit caches it; offline, the crisis path
 * shows the right emergency numbers for three countries (one from the browser's own locale); the
 * acknowledgement's referrals match the report's country, language and harms, computed on the
 * device; the relay never receives the country, the languages or the harms; and a directory
 * altered behind the relay's back is refused with a visible message, on a first visit and on a
 * device that holds a good copy.
 */

const emergency = parseEmergencyNumbersFile(
  JSON.parse(readFileSync('resources/emergency-numbers.json', 'utf8')),
).countries
const organizations = parseDirectoryFile(
  JSON.parse(readFileSync('resources/organizations.json', 'utf8')),
).organizations
const numbersOf = (country: string): string[] =>
  ((emergency.find((e) => e.country === country) as EmergencyCountry).numbers ?? []).map((n) => n.number)

/**
 * A browser that asks for German (Germany), with English chosen in the app's language switcher: the
 * country comes from the browser's locale, the screens stay in the words this test looks for.
 */
async function germanBrowserInEnglish(browser: Browser): Promise<BrowserContext> {
  const context = await newContext(browser, { locale: 'de-DE' })
  await context.addInitScript(() => localStorage.setItem('heard.locale', 'en'))
  return context
}

/** Every request a context makes to the relay, with its body. */
function recordRequests(context: BrowserContext): Request[] {
  const seen: Request[] = []
  context.on('request', (request) => {
    seen.push(request)
  })
  return seen
}

describe('referral directory and crisis path in the apps', () => {
  let browser: Browser
  let relay: RelayProcess
  let dataDir: string
  const scratch = mkdtempSync(path.join(tmpdir(), 'heard-e2e-directory-'))
  const community = 'directory-wiki'
  const problems: string[] = []

  beforeAll(async () => {
    dataDir = path.join(scratch, 'data')
    const env = { DATA_DIR: dataDir, STATIC_DIR: DIST_DIR, PORT: String(await freePort()) }
    ;[relay, browser] = await Promise.all([startRelay(env), launchBrowser()])
    await setUpCommunityOnRelay(browser, relay.setupUrl, {
      community,
      name: 'Directory Wiki',
      broker: 'Ada',
      passphrase: 'correct horse battery staple directory',
    })
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
    rmSync(scratch, { recursive: true, force: true })
  })

  async function openCrisis(page: Page, country?: string): Promise<string[]> {
    if (!(await page.getByTestId('crisis-view').isVisible())) await page.getByTestId('crisis-button').click()
    await page.getByTestId('crisis-view').waitFor()
    if (country) await page.getByTestId('crisis-country').selectOption(country)
    await page.getByTestId('emergency-number').first().waitFor()
    return (await page.getByTestId('emergency-number').allTextContents()).map((t) => t.replace(/\D/g, ''))
  }

  it('offline after the first visit: the crisis path gives each country its own emergency numbers', async () => {
    // The browser says German (Germany): the crisis path starts there without asking.
    const context = await germanBrowserInEnglish(browser)
    const requests = recordRequests(context)
    const page = await context.newPage()
    await page.goto(`${relay.url}/c/${community}`)
    await page.locator('[data-trust="trusted"]').waitFor()
    await waitForOfflineReady(page, DIST_DIR)
    await page.waitForLoadState('networkidle')
    await context.setOffline(true)
    await page.reload()
    await page.locator('[data-trust="trusted"]').waitFor()

    expect(await openCrisis(page)).toEqual(numbersOf('DE'))
    expect(await page.getByTestId('crisis-country').inputValue()).toBe('DE')
    problems.push(...(await checkBothWidths(page, 'crisis-path-offline')))
    // Leading zeros survive: Australia is 000.
    expect(await openCrisis(page, 'AU')).toEqual(numbersOf('AU'))
    expect(numbersOf('AU')).toContain('000')
    expect(await openCrisis(page, 'IN')).toEqual(numbersOf('IN'))
    expect(await page.getByTestId('emergency-number').first().getAttribute('href')).toBe(
      `tel:${numbersOf('IN')[0]}`,
    )
    // The crisis path asked the relay for nothing, and nothing carried a country.
    const afterOffline = requests.filter((r) => r.url().includes('/api/'))
    for (const r of afterOffline) expect(r.url()).not.toMatch(/AU|IN|country/)
    await page.getByTestId('crisis-close').click()
    await context.close()
    expect(problems, readable(problems)).toEqual([])
  })

  it("the acknowledgement's referrals match the report's country, language and harms; the relay never learns them", async () => {
    const context = await germanBrowserInEnglish(browser)
    const requests = recordRequests(context)
    const page = await context.newPage()
    await page.goto(`${relay.url}/c/${community}`)
    await page.locator('[data-trust="trusted"]').waitFor()
    await page.getByLabel('What happened?').fill('Hassrede in den Kommentaren, seit Wochen.')
    await page.getByLabel('Country', { exact: false }).first().selectOption('DE')
    await page.getByRole('checkbox', { name: /hate/i }).check()
    await page.getByRole('button', { name: 'Seal and send' }).click()
    await keepPassphrase(page)
    await page.locator('[data-testid="report-status"] [data-state="stored"]').waitFor({ timeout: 30_000 })

    const referrals = page.getByTestId('referrals')
    await referrals.getByTestId('referral').first().waitFor()
    const shown = await referrals
      .getByTestId('referral')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-service')))
    // What the matcher says for this person, computed here from the resources the relay shipped.
    const expected = match(prepareDirectory({ organizations, emergency }), {
      country: 'DE',
      languages: ['de-DE', 'de'],
      harms: [...HARM_TOPICS.hate],
      urgent: false,
    }).matches.filter((m): m is ServiceMatch => m.reason !== 'emergency' && m.reason !== 'crisis_24_7')
    expect(shown.length).toBeGreaterThan(0)
    expect(shown).toEqual(expected.slice(0, shown.length).map((m) => m.service.id))
    // The first one serves Germany in German.
    expect(expected[0]?.reason).toBe('country_language')
    problems.push(...(await checkBothWidths(page, 'acknowledgement-referrals')))

    for (const r of requests) {
      if (!new URL(r.url()).pathname.startsWith('/api/')) continue
      const url = r.url()
      const body = r.postData() ?? ''
      for (const clue of ['"DE"', 'country', 'hate_speech', 'online_harassment', '"de"', 'de-DE', 'Hassrede'])
        expect(`${url} ${body}`, `${r.method()} ${url}`).not.toContain(clue)
    }
    // Reports travel only as sealed envelopes.
    // The service worker passes the page's request on: count the page's own.
    const posts = requests.filter(
      (r) => r.method() === 'POST' && r.url().endsWith('/reports') && r.serviceWorker() === null,
    )
    expect(posts).toHaveLength(1)
    expect(Object.keys(JSON.parse(posts[0]?.postData() ?? '{}')).sort()).toEqual(
      ['v', 'kind', 'community', 'id', 'epk', 'recipients', 'nonce', 'ct'].sort(),
    )
    await context.close()
    expect(problems, readable(problems)).toEqual([])
  })

  it('a directory altered behind the relay is refused, visibly, and a good copy on the device stays', async () => {
    // A device that synced the good version 1.
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto(`${relay.url}/c/${community}`)
    await page.locator('[data-trust="trusted"]').waitFor()
    expect(await openCrisis(page, 'DE')).toEqual(numbersOf('DE'))
    await page.getByTestId('crisis-close').click()

    // The relay's operator (or an intruder) slips in a version 2 that sends Germany's police
    // number elsewhere, signed by a key that is not the community's.
    const db = new Database(path.join(dataDir, SQLITE_FILE))
    try {
      const v1 = db
        .prepare('SELECT payload FROM directory_versions WHERE community = ? AND version = 1')
        .get(community) as { payload: string }
      const head1 = JSON.parse(Buffer.from(v1.payload, 'base64url').toString('utf8')) as DirectoryHead
      const forged: DirectoryHead = { ...head1, version: 2, issuedAt: new Date().toISOString() }
      const payload = utf8(JSON.stringify(forged))
      const signature = signDetached(DIRECTORY_SIGNING_DOMAIN, payload, generateSignKeyPair().secretKey)
      const old = db
        .prepare(
          "SELECT text, hash FROM directory_entries WHERE community = ? AND key = 'g:em:DE' AND removed_in IS NULL",
        )
        .get(community) as { text: string; hash: Buffer }
      const altered = old.text.replace('"112"', '"113"')
      expect(altered).not.toBe(old.text)
      db.transaction(() => {
        db.prepare(
          'INSERT INTO directory_versions (community, version, payload, signature, entry_count, created_at) VALUES (?, 2, ?, ?, ?, ?)',
        ).run(
          community,
          toBase64url(payload),
          toBase64url(signature),
          forged.entries,
          new Date().toISOString(),
        )
        db.prepare(
          "UPDATE directory_entries SET removed_in = 2 WHERE community = ? AND key = 'g:em:DE' AND removed_in IS NULL",
        ).run(community)
        db.prepare(
          "INSERT INTO directory_entries (community, key, text, hash, added_in, removed_in) VALUES (?, 'g:em:DE', ?, ?, 2, NULL)",
        ).run(community, altered, old.hash)
      })()
    } finally {
      db.close()
    }

    // The device with a good copy refuses version 2, says so, and keeps the checked numbers.
    await page.reload()
    await page.locator('[data-trust="trusted"]').waitFor()
    await page.getByTestId('crisis-button').click()
    const notice = page.getByTestId('crisis-view').getByTestId('directory-refused')
    await notice.waitFor()
    expect(await notice.textContent()).toMatch(/failed its signature check.*copy verified on/s)
    expect(await openCrisis(page, 'DE')).toEqual(numbersOf('DE'))
    problems.push(...(await checkBothWidths(page, 'crisis-path-directory-refused')))
    await context.close()

    // A first visit has no good copy: nothing from the altered directory is shown.
    const fresh = await newContext(browser)
    const first = await fresh.newPage()
    await first.goto(`${relay.url}/c/${community}`)
    await first.locator('[data-trust="trusted"]').waitFor()
    await first.getByTestId('crisis-button').click()
    const refused = first.getByTestId('crisis-view').getByTestId('directory-refused')
    await refused.waitFor()
    expect(await refused.textContent()).toMatch(/failed its signature check, so it is not shown/)
    expect(await first.getByTestId('emergency-number').count()).toBe(0)
    await fresh.close()
    expect(problems, readable(problems)).toEqual([])
  })
})
