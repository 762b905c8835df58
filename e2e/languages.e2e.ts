import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parsePo } from '../scripts/po'
import { type RelayProcess, startRelay } from '../server/test/relay-process'
import { launchBrowser, newContext } from './browser'
import { checkBothWidths, readable } from './checks'
import { watchContext } from './page-watch'
import { DIST_DIR, freePort } from './relay'
import { waitForOfflineReady } from './service-worker'
import { setUpCommunityOnRelay } from './steps'

/**
 * Issue #7 through the complainant's screens, in Chromium: for each right-to-left language and the
 * other scripts the issue names, a browser that asks for that language gets the app in it, with
 * `dir` set, no English left on the complainant path (every text node and label on screen is
 * compared with the English catalog), axe clean, one catalog fetched per page load, and the same
 * language offline.
 */

const LOCALES = [
  { locale: 'ar', dir: 'rtl' },
  { locale: 'fa', dir: 'rtl' },
  { locale: 'he', dir: 'rtl' },
  { locale: 'zh-Hans', dir: 'ltr', browser: 'zh-CN' },
  { locale: 'hi', dir: 'ltr' },
] as const

/** msgid → msgstr of a locale's catalog. */
function readCatalog(locale: string): Map<string, string> {
  const text = readFileSync(path.resolve(import.meta.dirname, `../locales/${locale}/messages.po`), 'utf8')
  return new Map(parsePo(text).entries.map((e) => [e.msgid, e.msgstr]))
}

const english = readCatalog('en')

/**
 * The English sentences that must not appear on screen in `locale`: every message's fixed text
 * (placeholders and tags split it into pieces), except those the translation keeps as they are
 * ("Heard", "Esc").
 */
function englishPieces(translated: Map<string, string>): Set<string> {
  const pieces = new Set<string>()
  for (const [msgid] of english) {
    const mine = translated.get(msgid)
    if (mine === msgid) continue
    if (msgid.includes('{') && /\{\w+, (plural|select)/.test(msgid)) continue
    for (const piece of msgid.split(/\{[^}]*\}|<\/?\d+\/?>/)) {
      const p = piece.trim()
      // Short fragments ("or", "·") and words shared with the translation prove nothing.
      if (p.length >= 12 && /[A-Za-z]{3}/.test(p) && !(mine ?? '').includes(p)) pieces.add(p)
    }
  }
  return pieces
}

/** Text on screen and in accessible names/labels, each text node and attribute on its own. */
const screenTexts = (page: Page): Promise<string[]> =>
  page.evaluate(() => {
    const out: string[] = []
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement
      // The language switcher names each language in itself ("English" among them), on purpose.
      if (
        !el ||
        el.closest('[hidden], script, style, [aria-hidden="true"], [data-testid="language-switcher"]')
      )
        continue
      const t = n.textContent?.trim()
      if (t) out.push(t)
    }
    for (const el of document.querySelectorAll('[aria-label], [placeholder], [title], [alt]')) {
      if (el.closest('[data-testid="language-switcher"]')) continue
      for (const a of ['aria-label', 'placeholder', 'title', 'alt']) {
        const v = el.getAttribute(a)?.trim()
        if (v) out.push(v)
      }
    }
    return out
  })

async function untranslated(page: Page, pieces: Set<string>, screen: string): Promise<string[]> {
  const found: string[] = []
  for (const t of await screenTexts(page))
    for (const p of pieces) if (t.includes(p)) found.push(`[${screen}] "${p}" in "${t.slice(0, 80)}"`)
  return found
}

describe('the complainant path in every language the issue names', () => {
  let browser: Browser
  let relay: RelayProcess
  const scratch = mkdtempSync(path.join(tmpdir(), 'heard-e2e-languages-'))
  const community = 'many-tongues'

  beforeAll(async () => {
    const env = { DATA_DIR: path.join(scratch, 'data'), STATIC_DIR: DIST_DIR, PORT: String(await freePort()) }
    ;[relay, browser] = await Promise.all([startRelay(env), launchBrowser()])
    await setUpCommunityOnRelay(browser, relay.setupUrl, {
      community,
      name: 'Many Tongues Wiki',
      broker: 'Ada',
      passphrase: 'correct horse battery staple tongues',
    })
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
    rmSync(scratch, { recursive: true, force: true })
  })

  for (const { locale, dir, ...rest } of LOCALES) {
    const asked = 'browser' in rest ? rest.browser : locale
    it(`${locale}: translated, ${dir}, axe clean, one catalog per load, and offline`, async () => {
      const catalog = readCatalog(locale)
      const tr = (msgid: string) => catalog.get(msgid) || msgid
      const pieces = englishPieces(catalog)
      const problems: string[] = []
      const context = await newContext(browser, { locale: asked })
      const watch = await watchContext(context, new URL(relay.url).origin)
      const warnings: string[] = []
      context.on('console', (m) => {
        if (m.type() === 'warning') warnings.push(m.text())
      })
      context.on('requestfailed', (r) =>
        warnings.push(`request failed: ${r.url()} ${r.failure()?.errorText}`),
      )
      const catalogs: string[] = []
      context.on('request', (r) => {
        if (r.serviceWorker() === null && /\/assets\/messages-[^/]+\.js$/.test(r.url()))
          catalogs.push(r.url())
      })
      const page = await context.newPage()
      await page.goto(`${relay.url}/c/${community}`)
      await page.locator('[data-trust="trusted"]').waitFor()
      // A catalog that fails to load falls back to English: the watch says why, if it happens.
      expect(
        await page.evaluate(() => document.documentElement.lang),
        readable([...watch.problems(), ...warnings]),
      ).toBe(locale)
      expect(await page.evaluate(() => document.documentElement.dir)).toBe(dir)
      expect(catalogs, 'catalogs fetched by the first load').toHaveLength(1)
      problems.push(...(await untranslated(page, pieces, 'compose')))
      problems.push(...(await checkBothWidths(page, `lang-${locale}-compose`, [390])))

      await page.getByTestId('crisis-button').click()
      await page.getByTestId('crisis-view').waitFor()
      problems.push(...(await untranslated(page, pieces, 'crisis path')))
      problems.push(...(await checkBothWidths(page, `lang-${locale}-crisis`, [390])))
      await page.getByTestId('crisis-close').click()

      await page
        .getByLabel(tr('What happened?'))
        .fill('تجربة ۱۲۳ 测试 परीक्षण בדיקה — a report in any language.')
      await page.getByRole('button', { name: tr('Seal and send') }).click()
      await page.locator('[data-testid="passphrase-words"] li').last().waitFor({ timeout: 30_000 })
      problems.push(...(await untranslated(page, pieces, 'acknowledgement')))
      problems.push(...(await checkBothWidths(page, `lang-${locale}-acknowledgement`, [390])))

      // Offline, after a reload: still this language, from the one precached catalog.
      await waitForOfflineReady(page, DIST_DIR)
      await context.setOffline(true)
      catalogs.length = 0
      await page.goto(`${relay.url}/c/${community}/follow-up`)
      // index.html says lang="en" until the catalog is in and the app has rendered.
      await page.waitForFunction(() => (document.getElementById('root')?.childElementCount ?? 0) > 0)
      expect(
        await page.evaluate(() => document.documentElement.lang),
        readable([...watch.problems(), ...warnings]),
      ).toBe(locale)
      expect(catalogs.length, 'catalogs fetched by the offline load').toBeLessThanOrEqual(1)
      problems.push(...(await untranslated(page, pieces, 'follow-up, offline')))
      problems.push(...(await checkBothWidths(page, `lang-${locale}-follow-up-offline`, [390])))
      problems.push(...watch.problems())
      await context.close()
      expect(problems, readable(problems)).toEqual([])
    })
  }
})
