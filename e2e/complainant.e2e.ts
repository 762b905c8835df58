import type { Browser, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeCommunity } from '../server/test/fixtures'
import { generateSignKeyPair, toBase64url } from '../shared/crypto'
import { signManifest } from '../shared/protocol'
import { launchBrowser, newContext } from './browser'
import { checkBothWidths, readable } from './checks'
import { brokerReads, publishCommunity } from './community'
import { dropCanaryProbe, dumpDevice, plantCanaryProbe } from './device-dump'
import { watchContext } from './page-watch'
import { startBuiltRelay, type TestRelay } from './relay'
import { waitForOfflineReady } from './service-worker'
import { keepPassphrase } from './steps'

/**
 * The complainant's whole path in real Chromium against the real relay: pin the community, write
 * offline, seal on the device, queue, send exactly once when the network returns, get a receipt;
 * nothing readable leaves the page or stays on the device; a swapped key stops sending.
 */
describe('complainant app', () => {
  let relay: TestRelay
  let browser: Browser
  let community: FakeCommunity
  const exitUrl = 'https://neutral.example/'

  beforeAll(async () => {
    ;[relay, browser] = await Promise.all([startBuiltRelay(), launchBrowser()])
    community = await publishCommunity(relay.url, 'wiki-example', {
      exitUrl,
      contact: 'Write to safety@wiki.example — read every day.',
    })
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  const communityUrl = () => `${relay.url}/c/${community.id}`

  async function openPinned(page: Page): Promise<void> {
    await page.goto(communityUrl())
    await page.locator('[data-trust="trusted"]').waitFor()
  }

  /** Bodies of every report POST the page (or its service worker) sends. */
  function capturePosts(page: Page): string[] {
    const bodies: string[] = []
    page.context().on('request', (request: Request) => {
      if (request.method() === 'POST' && request.url().endsWith('/reports'))
        bodies.push(request.postData() ?? '')
    })
    return bodies
  }

  it('queues a report written offline, keeps it across a reload, and sends it exactly once when online', async () => {
    const context = await newContext(browser)
    const watch = await watchContext(context, relay.origin)
    const page = await context.newPage()
    const posts = capturePosts(page)
    const canary = `canary-${crypto.randomUUID()}`

    await openPinned(page)
    await waitForOfflineReady(page, relay.staticDir)
    // A request still in flight when the network goes is cut with a console error (ERR_FAILED),
    // which the watch rightly counts: go offline once the page has stopped asking for anything.
    await page.waitForLoadState('networkidle')
    await context.setOffline(true)
    await page.reload()
    await page.locator('[data-trust="trusted"]').waitFor()

    await page.getByLabel('What happened?').fill(`Someone keeps posting my address. ${canary}`)
    await page.getByText('Threats of violence').click()
    await page.getByRole('button', { name: 'Seal and send' }).click()
    await page.locator('[data-testid="acknowledgement"]').waitFor()
    await page.locator('[data-testid="report-status"] [data-state="waiting"]').waitFor()
    await keepPassphrase(page)

    // Still offline: a reload keeps the report queued (sealed, in IndexedDB).
    await page.reload()
    await page.locator('[data-testid="my-reports"] [data-state="waiting"]').waitFor()
    const device = await dumpDevice(page)
    expect(device).toContain('outbox')
    expect(device).not.toContain(canary)
    expect(device).not.toContain(Buffer.from(canary).toString('base64'))

    await context.setOffline(false)
    await page.locator('[data-testid="my-reports"] [data-state="stored"]').waitFor({ timeout: 30_000 })
    expect(await page.locator('[data-testid="my-reports"]').textContent()).toMatch(/Report number 1/)

    const held = await brokerReads(relay.url, community)
    expect(held).toHaveLength(1)
    expect(held[0]?.report.text).toContain(canary)
    expect(held[0]?.report.harms).toEqual(['threats'])
    expect(held[0]?.report.followUp?.mailbox).toMatch(/^[A-Za-z0-9_-]{22}$/)

    expect(posts.length).toBeGreaterThan(0)
    for (const body of posts) {
      expect(body).not.toContain(canary)
      expect(body).not.toContain('Someone keeps posting')
    }
    expect(watch.problems(), readable(watch.problems())).toEqual([])
    await context.close()
  })

  it('keeps drafts sealed at rest: a raw dump of IndexedDB shows the draft exists but not what it says', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const canary = `draft-canary-${crypto.randomUUID()}`
    await openPinned(page)

    // The dump finds a canary when one is stored in plain text (so its silence below means something).
    await plantCanaryProbe(page, canary)
    expect(await dumpDevice(page)).toContain(canary)
    await dropCanaryProbe(page)

    await page.getByLabel('What happened?').fill(`A draft, not sent. ${canary}`)
    await page.getByText('Draft saved on this device, encrypted.').waitFor({ timeout: 10_000 })
    const dump = await dumpDevice(page)
    expect(dump).toMatch(/idb heard\/drafts: \{id=/)
    expect(dump).not.toContain(canary)

    // The draft can be listed, resumed and deleted.
    await page.reload()
    const drafts = page.locator('[data-testid="drafts"]')
    await drafts.getByText('A draft, not sent.').waitFor()
    await drafts.getByRole('button', { name: 'Open' }).click()
    await expect.poll(() => page.getByLabel('What happened?').inputValue()).toContain(canary)

    // An optional PIN: after a reload the draft is listed but locked until the PIN is entered.
    await drafts.getByRole('button', { name: 'Protect drafts with a PIN' }).click()
    await drafts.getByLabel('New PIN (at least 4 characters)').fill('2468')
    await drafts.getByRole('button', { name: 'Set PIN' }).click()
    await drafts.getByText('Your drafts need your PIN to open.').waitFor()
    await page.reload()
    await drafts.getByText('Locked draft').waitFor()
    expect(await drafts.getByRole('button', { name: 'Open' }).isDisabled()).toBe(true)
    expect(await dumpDevice(page)).not.toContain(canary)
    const violations = await checkBothWidths(page, 'report-drafts-locked', [390])
    await drafts.getByLabel('PIN').fill('1357')
    await drafts.getByRole('button', { name: 'Unlock drafts' }).click()
    await drafts.getByText('That PIN does not open your drafts.').waitFor()
    await drafts.getByLabel('PIN').fill('2468')
    await drafts.getByRole('button', { name: 'Unlock drafts' }).click()
    await drafts.getByText('A draft, not sent.').waitFor()
    await drafts.getByRole('button', { name: 'Open' }).click()
    await expect.poll(() => page.getByLabel('What happened?').inputValue()).toContain(canary)
    violations.push(...(await checkBothWidths(page, 'report-drafts', [390])))
    expect(violations, readable(violations)).toEqual([])

    await drafts.getByRole('button', { name: 'Delete' }).click()
    await drafts.waitFor({ state: 'detached' })
    await context.close()
  })

  it('in leave-no-trace mode keeps nothing on the device after sending and closing', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    const canary = `no-trace-${crypto.randomUUID()}`
    await openPinned(page)
    await waitForOfflineReady(page, relay.staticDir)
    await page.getByLabel('Leave no trace on this device').check()
    await page.getByLabel('I want to be able to read replies').uncheck()
    await page.getByLabel('What happened?').fill(`Nothing of this may stay here. ${canary}`)
    await page.getByText('Nothing is being saved on this device.').waitFor()
    await page.waitForTimeout(3_500) // longer than the autosave interval
    await page.getByRole('button', { name: 'Seal and send' }).click()
    await page.locator('[data-testid="report-status"] [data-state="stored"]').waitFor({ timeout: 30_000 })
    await page.getByRole('button', { name: 'Done' }).click()
    await page.close()

    const again = await context.newPage()
    await again.goto(communityUrl())
    await again.locator('[data-trust="trusted"]').waitFor()
    const dump = await dumpDevice(again)
    expect(dump).not.toContain(canary)
    expect(dump).not.toContain(Buffer.from(canary).toString('base64'))
    expect((await brokerReads(relay.url, community)).some((r) => r.report.text.includes(canary))).toBe(true)
    await context.close()
  })

  it('shows what the community is and who reads reports, and explains an unknown community', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await openPinned(page)
    const card = page.locator('[data-trust="trusted"]')
    expect(await card.textContent()).toContain(community.manifest.policy)
    await card.getByText('Who can read it (2)').click()
    expect(await card.locator('li').allTextContents()).toEqual(['Broker 1', 'Broker 2'])

    await page.goto(`${relay.url}/c/nobody-here`)
    await page.getByText('This relay has no community called “nobody-here”.').waitFor()
    const violations = await checkBothWidths(page, 'report-unknown-community', [390])
    expect(violations, readable(violations)).toEqual([])
    await context.close()
  })

  it('refuses to send when the relay serves a manifest signed by another key, and says why', async () => {
    const context = await newContext(browser)
    const watch = await watchContext(context, relay.origin)
    const page = await context.newPage()
    const posts = capturePosts(page)
    await openPinned(page)

    // The relay turns hostile: a "newer" manifest under a root key the device never trusted.
    const stranger = generateSignKeyPair()
    const forged = signManifest(
      { ...community.manifest, seq: 2, root: toBase64url(stranger.publicKey), name: 'Example Wiki' },
      stranger.secretKey,
    )
    await context.route(`**/api/v1/communities/${community.id}/manifest`, (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(forged) }),
    )
    await context.route(`**/api/v1/communities/${community.id}/manifests?after=1`, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ manifests: [{ seq: 2, ...forged }] }),
      }),
    )
    await page.reload()
    const problem = page.locator('[data-trust="changed"] [data-problem="not_chained"]')
    await problem.waitFor()
    expect(await problem.textContent()).toContain('not signed by the community key this device trusted')
    await page.getByLabel('What happened?').fill('This must not be sent to a stranger.')
    await page.getByRole('button', { name: 'Seal and send' }).click()
    await page.getByText('Heard cannot send this report now').waitFor()
    const violations = await checkBothWidths(page, 'report-trust-changed', [390])
    expect(posts).toEqual([])
    expect(violations, readable(violations)).toEqual([])
    expect(watch.problems(), readable(watch.problems())).toEqual([])
    await context.close()
  })

  it("suggests the report language from the text, and the person's own choice wins", async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await openPinned(page)
    const text = page.getByLabel('What happened?')
    await text.fill('Hola')
    await page.getByText('Add details: where, when, links, language').click()
    const language = page.getByLabel('Language of your report')
    expect(await language.getAttribute('data-testid')).toBe('report-language')
    // What the report will carry; the box shows the language by name.
    const stored = () => language.getAttribute('data-value')
    await page.waitForTimeout(1_500)
    expect(await stored(), 'a few words get no guess').toBe('')
    await text.fill('Me están acosando en la página de discusión desde hace varias semanas y tengo miedo.')
    await expect.poll(stored, { timeout: 10_000 }).toBe('es')
    await page.getByText('Heard suggests Spanish, from your text.').waitFor()
    // Until the list's chunk arrives the box names the language in the UI language only.
    await expect.poll(() => language.inputValue(), { timeout: 10_000 }).toBe('español — Spanish')
    await language.fill('ca')
    await text.fill(
      'Me están acosando en la página de discusión desde hace varias semanas. Ayuda, por favor.',
    )
    await page.waitForTimeout(1_500)
    expect(await stored()).toBe('ca')
    await context.close()
  })

  it('offers every Wikipedia language by autonym and by name, with the keyboard, and keeps a language not on the list', async () => {
    const context = await newContext(browser)
    const watch = await watchContext(context, relay.origin)
    const page = await context.newPage()
    const listFetches: string[] = []
    page.on('request', (request) => {
      if (/\/wikipedia-languages-[^/]*\.js$/.test(request.url())) listFetches.push(request.url())
    })
    await openPinned(page)
    await page.getByText('Add details: where, when, links, language').click()
    const language = page.getByTestId('report-language')
    const options = page.getByTestId('report-language-option')
    const stored = () => language.getAttribute('data-value')
    expect(await language.getAttribute('aria-expanded')).toBe('false')
    // The list is a chunk of its own, off the first screen: the page asks for it only now.
    expect(listFetches).toEqual([])

    // Alemannic by its autonym, chosen with the arrow keys and Enter: als.wikipedia.org is gsw.
    await language.focus()
    await page.keyboard.type('alem')
    // Until the list's chunk arrives the only option is "Other language", so wait for Alemannic itself.
    await options.and(page.locator('[data-code="als"]')).waitFor({ timeout: 10_000 })
    expect(listFetches).toHaveLength(1)
    expect(await language.getAttribute('aria-expanded')).toBe('true')
    expect(await options.first().getAttribute('data-code')).toBe('als')
    await page.keyboard.press('ArrowDown')
    const active = await language.getAttribute('aria-activedescendant')
    expect(active).toBe(await options.first().getAttribute('id'))
    expect(await options.first().getAttribute('aria-selected')).toBe('true')
    expect(await options.first().locator('[lang="gsw"]').textContent()).toBe('Alemannisch')
    await page.keyboard.press('Enter')
    expect(await stored()).toBe('gsw')
    // "— Swiss German" follows only where the browser can name gsw (Chromium's ICU data cannot).
    expect(await language.inputValue()).toMatch(/^Alemannisch( — Swiss German)?$/)
    expect(await language.getAttribute('aria-expanded')).toBe('false')

    // By the name in the UI language, folding case and accents; Escape closes the list.
    await language.fill('GERMAN')
    await options.first().waitFor()
    expect(await options.evaluateAll((all) => all.map((o) => o.getAttribute('data-code')))).toContain('de')
    // The whole list, from an empty box and the Down arrow, with the first language active.
    await language.fill('')
    await page.keyboard.press('ArrowDown')
    expect(await options.count()).toBeGreaterThan(330)
    expect(await options.first().getAttribute('aria-selected')).toBe('true')
    const violations = await checkBothWidths(page, 'report-language-picker', [390])
    await language.focus()
    await page.keyboard.press('Escape')
    expect(await language.getAttribute('aria-expanded')).toBe('false')

    // A language not on the list is kept as the person wrote it.
    await language.fill('Ngiemboon')
    await page.getByText('Other language: “Ngiemboon”').waitFor()
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('Enter')
    expect(await stored()).toBe('Ngiemboon')
    expect(await language.inputValue()).toBe('Ngiemboon')

    expect(violations, readable(violations)).toEqual([])
    expect(watch.problems(), readable(watch.problems())).toEqual([])
    await context.close()
  })

  it('quick exit clears the screen and leaves no history entry to go back to', async () => {
    const context = await newContext(browser)
    await context.route(`${exitUrl}**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Weather</title><p>Sunny</p>' }),
    )
    for (const how of ['button', 'escape'] as const) {
      const page = await context.newPage()
      const canary = `exit-${crypto.randomUUID()}`
      await openPinned(page)
      await page.getByLabel('What happened?').fill(canary)
      if (how === 'button') await page.getByTestId('quick-exit').click()
      else {
        await page.keyboard.press('Escape')
        await page.keyboard.press('Escape')
      }
      await page.waitForURL(exitUrl)
      // The exit page may still be arriving when its URL is committed: read it once it has.
      let html: string | null = null
      await expect
        .poll(async () => {
          html = await page.content().catch(() => null)
          return html !== null
        })
        .toBe(true)
      expect(html).not.toContain(canary)
      const back = await page.goBack().catch(() => null)
      expect(back === null || !back.url().startsWith(relay.url), `${how}: Back returns to Heard`).toBe(true)
      await page.close()
    }
    await context.close()
  })

  it('works with the keyboard alone, puts the crisis path first when someone is in danger, and passes axe on every screen', async () => {
    const context = await newContext(browser)
    const watch = await watchContext(context, relay.origin)
    const page = await context.newPage()
    const violations: string[] = []
    await openPinned(page)
    violations.push(...(await checkBothWidths(page, 'report-compose')))

    // Keyboard only: Tab to the text box, write, choose "danger: yes", Tab to the button, Enter.
    const text = 'Typed with the keyboard alone.'
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab')
      if (await page.evaluate(() => document.activeElement?.tagName === 'TEXTAREA')) break
    }
    await page.keyboard.type(text)
    await page.keyboard.press('Tab') // the first "danger" radio: Yes
    await page.keyboard.press('Space')
    const crisis = page.getByTestId('crisis-panel')
    await crisis.waitFor()
    // The crisis path comes before everything else on the screen.
    const first = await page.locator('.screen > *').first().getAttribute('data-testid')
    expect(first).toBe('crisis-panel')
    expect(await crisis.textContent()).toContain('safety@wiki.example')
    violations.push(...(await checkBothWidths(page, 'report-danger')))
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab')
      const name = await page.evaluate(() => document.activeElement?.textContent ?? '')
      if (name === 'Seal and send') break
    }
    await page.keyboard.press('Enter')
    await page.locator('[data-testid="acknowledgement"]').waitFor()
    expect(await page.locator('.screen > *').first().locator('[data-testid="crisis-panel"]').count()).toBe(1)
    violations.push(...(await checkBothWidths(page, 'report-sent-passphrase')))

    // Keep the passphrase with the keyboard: the focus is on the heading; Tab into the word boxes.
    // The words appear once the follow-up keys are derived (scrypt, about a second).
    await page.locator('[data-testid="passphrase-words"] li').last().waitFor({ timeout: 30_000 })
    const words = await page.locator('[data-testid="passphrase-words"] li').allTextContents()
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 30; j++) {
        await page.keyboard.press('Tab')
        if (await page.evaluate(() => document.activeElement?.tagName === 'INPUT')) break
      }
      const label = await page.evaluate(() => document.activeElement?.closest('label')?.textContent ?? '')
      await page.keyboard.type(words[Number(/\d+/.exec(label)?.[0]) - 1] ?? '')
    }
    await page.keyboard.press('Enter')
    await page.getByText('Kept. You can read replies').waitFor()
    await page.locator('[data-testid="report-status"] [data-state="stored"]').waitFor({ timeout: 30_000 })
    await page.locator('[data-testid="receipt"]').waitFor()
    violations.push(...(await checkBothWidths(page, 'report-sent-receipt')))

    expect(
      (await brokerReads(relay.url, community)).some((r) => r.report.text === text && r.report.danger),
    ).toBe(true)
    expect(violations, readable(violations)).toEqual([])
    expect(watch.problems(), readable(watch.problems())).toEqual([])
    await context.close()
  })
})
