import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { filesContaining, textContains } from '../server/test/canary'
import { boxPublicKey, generateSignKeyPair, seal, toBase64url } from '../shared/crypto'
import {
  type CaseEventV1,
  canonicalEnvelopeText,
  decodeField,
  EnvelopeKind,
  encodeSignedCaseEvent,
  envelopeToJson,
  readSignedManifest,
  signCaseEvent,
} from '../shared/protocol'
import { launchBrowser, newContext } from './browser'
import { checkBothWidths, readable } from './checks'
import { watchContext } from './page-watch'
import { startBuiltRelay, type TestRelay } from './relay'
import { keepPassphrase, setUpCommunity } from './steps'

/**
 * The broker console with the complainant app, in real Chromium against the real relay: a fresh
 * relay's setup link starts a community; a report is sealed, synced, opened on the broker's device,
 * acknowledged (a signed event) and answered; the complainant reads the reply with only the words
 * and answers; a forged event is shown as rejected; wrong passphrases wait; no relay file holds any
 * plaintext.
 */
const SPANISH_ACK =
  'Gracias por escribirnos. Hemos recibido tu informe y una persona del equipo de seguridad lo está leyendo.'

describe('broker console', () => {
  let relay: TestRelay
  let browser: Browser
  const passphrase = 'correct horse battery staple'
  const community = 'example-wiki'

  beforeAll(async () => {
    ;[relay, browser] = await Promise.all([startBuiltRelay(), launchBrowser()])
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  it('from setup link to acknowledged, answered case; forged events rejected; nothing readable at the relay', async () => {
    const canaries = {
      report: `report-canary-${crypto.randomUUID()}`,
      reply: `reply-canary-${crypto.randomUUID()}`,
      answer: `answer-canary-${crypto.randomUUID()}`,
      note: `note-canary-${crypto.randomUUID()}`,
    }
    const violations: string[] = []
    const admin: BrowserContext = await newContext(browser)
    const adminWatch = await watchContext(admin, relay.origin)
    const console_ = await admin.newPage()

    // 1. The relay's one-time setup link starts the community on this device.
    await console_.goto(relay.setupUrl)
    violations.push(...(await checkBothWidths(console_, 'broker-setup')))
    await setUpCommunity(console_, { community, name: 'Example Wiki', broker: 'Ada', passphrase })
    expect((await console_.getByTestId('fingerprint').textContent())?.split(' ')).toHaveLength(8)
    expect(console_.url()).not.toContain('#')
    violations.push(...(await checkBothWidths(console_, 'broker-setup-done', [390])))
    await console_.getByRole('button', { name: 'Go to the inbox' }).click()
    await console_.getByText('No reports here.').waitFor()

    // 1b. Canned responses: Ada writes the Spanish acknowledgement; it is signed and kept at the relay.
    await console_.getByRole('button', { name: 'Canned responses' }).click()
    const canned = console_.getByTestId('canned-editor')
    await canned.getByLabel('Add a language (a code such as es, pt-BR, sw)').fill('not a language')
    await canned.getByRole('button', { name: 'Add the language' }).click()
    await canned.getByText('A language code looks like es, pt-BR or zh-Hans.').waitFor()
    await canned.getByLabel('Add a language (a code such as es, pt-BR, sw)').fill('es')
    await canned.getByRole('button', { name: 'Add the language' }).click()
    expect(await canned.getByLabel('Language', { exact: true }).inputValue()).toBe('es')
    await canned.getByLabel('Acknowledgement').fill(SPANISH_ACK)
    await canned.getByRole('button', { name: 'Sign and save' }).click()
    await canned.getByText('Saved and signed.').waitFor({ timeout: 30_000 })
    expect(await console_.getByTestId('canned-version').textContent()).toContain(
      'Version 1, saved by Ada (signature verified)',
    )
    violations.push(...(await checkBothWidths(console_, 'broker-canned')))
    await console_.getByRole('button', { name: 'Back to the reports' }).click()

    // 1c. Setup published the referral directory's version 1 (Heard's global directory), signed by the root.
    await console_.getByRole('button', { name: 'Settings' }).click()
    const directoryStatus = console_.getByTestId('directory-status')
    await directoryStatus.getByText('Published: version 1', { exact: false }).waitFor({ timeout: 30_000 })
    expect(await directoryStatus.textContent()).toContain('(signature verified)')
    // The comparison with Heard's global directory is a fetch of its own, which may land later.
    await console_
      .getByTestId('directory-settings')
      .getByText('The published version is current: there is nothing to publish.')
      .waitFor({ timeout: 30_000 })
    violations.push(...(await checkBothWidths(console_, 'broker-directory')))
    await console_.getByRole('button', { name: 'Back to the reports' }).click()

    // 2. A complainant reports, with follow-up.
    const complainant = await newContext(browser)
    const form = await complainant.newPage()
    await form.goto(`${relay.url}/c/${community}`)
    await form.locator('[data-trust="trusted"]').waitFor()
    await form.getByLabel('What happened?').fill(`Someone posted my home address. ${canaries.report}`)
    await form.getByText('Personal information shared (doxxing)').click()
    await form.getByRole('button', { name: 'Seal and send' }).click()
    const words = await keepPassphrase(form)
    await form.locator('[data-testid="report-status"] [data-state="stored"]').waitFor({ timeout: 30_000 })
    await complainant.close()

    // 3. The broker syncs, reads behind the content note, acknowledges and replies.
    await console_.getByRole('button', { name: 'Sync now' }).click()
    await console_.getByTestId('inbox').locator('[data-status="new"]').waitFor({ timeout: 30_000 })
    const caseId =
      (await console_.getByTestId('inbox').locator('[data-case]').first().getAttribute('data-case')) ?? ''
    const item = console_.getByTestId('inbox').locator(`[data-case="${caseId}"]`)
    violations.push(...(await checkBothWidths(console_, 'broker-inbox')))
    await console_.getByLabel('Search the reports').fill('address')
    await item.waitFor()
    await console_.getByLabel('Search the reports').fill('nothing-like-this')
    await console_.getByText('No reports here.').waitFor()
    await console_.getByLabel('Search the reports').fill('')
    // The inbox counts reports by language (this one names none, or the one suggested for it).
    const byLanguage = console_.getByTestId('inbox-language')
    const languageOptions = await byLanguage.locator('option').allTextContents()
    expect(languageOptions[0]).toBe('All languages')
    expect(languageOptions.slice(1)).toHaveLength(1)
    expect(languageOptions[1]).toMatch(/: 1$/)
    await byLanguage.selectOption({ index: 1 })
    await item.waitFor()
    await byLanguage.selectOption('')
    await item.locator('button').click()
    const caseView = console_.getByTestId('case')
    await caseView.getByText('Content note: this report mentions').waitFor()
    expect(await console_.getByTestId('deadlines').textContent()).toMatch(
      /Received 0 days ago\. Acknowledge by .+\. Feedback by .+\./,
    )
    expect(await caseView.textContent()).not.toContain(canaries.report)
    await caseView.getByRole('button', { name: 'Read the report' }).click()
    expect(await console_.getByTestId('report-body').textContent()).toContain(canaries.report)
    await caseView.getByLabel('Set the status').selectOption('acknowledged')
    await caseView.getByRole('button', { name: 'Record' }).click()
    await console_.getByTestId('history').getByText('status set to').waitFor({ timeout: 30_000 })
    expect(await console_.getByTestId('history').textContent()).toContain('Ada (signature verified)')
    await caseView.getByLabel('Add a note for the brokers').fill(canaries.note)
    await caseView.getByRole('button', { name: 'Add the note' }).click()
    await console_.getByTestId('history').getByText(canaries.note).waitFor({ timeout: 30_000 })
    // The reply starts from the canned acknowledgement in Spanish, then says more.
    await caseView.getByLabel('Start from a canned response').selectOption('acknowledgement')
    expect(await caseView.getByLabel('In', { exact: true }).inputValue()).toBe('es')
    await caseView.getByRole('button', { name: 'Use this text' }).click()
    expect(await caseView.getByLabel('Reply to the complainant').inputValue()).toBe(SPANISH_ACK)
    await caseView.getByLabel('Reply to the complainant').fill(`We are looking into it. ${canaries.reply}`)
    await caseView.getByRole('button', { name: 'Seal and send the reply' }).click()
    await console_.getByTestId('broker-thread').getByText(canaries.reply).waitFor({ timeout: 30_000 })
    violations.push(...(await checkBothWidths(console_, 'broker-case')))

    // 4. A fresh context with only the words reads the reply and answers.
    const elsewhere = await newContext(browser)
    const followUp = await elsewhere.newPage()
    await followUp.goto(`${relay.url}/c/${community}/follow-up`)
    await followUp.getByLabel('Your passphrase (eight words)').fill(words.join(' '))
    await followUp.getByRole('button', { name: 'Open replies' }).click()
    await followUp.getByTestId('thread').getByText(canaries.reply).waitFor({ timeout: 30_000 })
    await followUp.getByLabel('Write to the brokers').fill(`Thank you. ${canaries.answer}`)
    await followUp.getByRole('button', { name: 'Seal and send' }).click()
    await followUp.getByText('Sealed and sent.').waitFor({ timeout: 30_000 })
    await elsewhere.close()

    // 5. The broker sees the answer.
    await caseView.getByRole('button', { name: 'Back to the reports' }).click()
    await item.locator('button').click()
    await console_.getByTestId('broker-thread').getByText(canaries.answer).waitFor({ timeout: 30_000 })

    // 6. A hostile relay slips in an event claiming Ada's authority with a bad signature: rejected, not applied.
    const manifest = readSignedManifest(
      (await (await fetch(`${relay.url}/api/v1/communities/${community}/manifest`)).json()) as {
        payload: string
        signature: string
      },
    ).manifest
    const ada = manifest.brokers[0]
    if (!ada) throw new Error('no broker in the manifest')
    const forgedEvent: CaseEventV1 = {
      v: 1,
      case: caseId,
      at: new Date().toISOString(),
      author: ada.signKey,
      change: { type: 'status', status: 'closed', outcome: 'resolved' },
    }
    // A stranger signs it as themselves; the author is then swapped for Ada: her name, not her signature.
    const stranger = generateSignKeyPair()
    const strangerKey = toBase64url(stranger.publicKey)
    const honest = signCaseEvent({ ...forgedEvent, author: strangerKey }, stranger)
    const signedByStranger = { ...honest, event: honest.event.replace(strangerKey, ada.signKey) }
    const forged = await seal(
      encodeSignedCaseEvent(signedByStranger),
      [boxPublicKey(decodeField(ada.boxKey))],
      {
        version: 1,
        kind: EnvelopeKind.caseEvent,
        community,
      },
    )
    let injected = false
    await admin.route(`**/api/v1/communities/${community}/events?**`, async (route) => {
      const response = await route.fetch()
      const body = (await response.json()) as { events: unknown[]; next: string }
      if (injected || body.events.length > 0) return route.fulfill({ response })
      injected = true
      body.events.push({
        seq: 9_999,
        case: caseId,
        receivedAt: `${new Date().toISOString().slice(0, 13)}:00:00.000Z`,
        envelope: JSON.parse(canonicalEnvelopeText(envelopeToJson(forged))),
      })
      return route.fulfill({ response, json: { ...body, next: '9999' } })
    })
    await caseView.getByRole('button', { name: 'Back to the reports' }).click()
    await console_.getByRole('button', { name: 'Sync now' }).click()
    await console_.getByText('Up to date.').waitFor({ timeout: 30_000 })
    await admin.unroute(`**/api/v1/communities/${community}/events?**`)
    await console_.getByLabel('Show').selectOption('all')
    await item.locator('button').click()
    await console_.getByTestId('history').locator('[data-verdict="bad_signature"]').waitFor()
    expect(await console_.getByTestId('case').locator('.case__head').textContent()).toContain('Acknowledged')
    violations.push(...(await checkBothWidths(console_, 'broker-case-forged', [390])))

    // 7. Lock; wrong passphrases are refused with a growing wait; the right one opens.
    await console_.getByRole('button', { name: 'Lock' }).click()
    const field = console_.getByLabel('Passphrase')
    for (let i = 0; i < 2; i++) {
      await field.fill('not the passphrase')
      await console_.getByRole('button', { name: 'Unlock' }).click()
      await console_
        .getByTestId('unlock-problem')
        .getByText('That passphrase does not open these keys.')
        .waitFor()
    }
    // The wait lasts 2 s: read the notice and the button in one look, so a stalled machine cannot
    // see the one before the wait and the other after it.
    const waitShown = () =>
      console_.evaluate(() => {
        const problem = document.querySelector('[data-testid="unlock-problem"]')
        return {
          waiting: /try again in \d+ seconds/.test(problem?.textContent ?? ''),
          disabled: problem?.closest('form')?.querySelector<HTMLButtonElement>('button[type="submit"]')
            ?.disabled,
        }
      })
    await expect.poll(waitShown, { timeout: 10_000 }).toEqual({ waiting: true, disabled: true })
    expect(await console_.getByTestId('inbox').count()).toBe(0)
    violations.push(...(await checkBothWidths(console_, 'broker-unlock-wait', [390])))
    await expect
      .poll(() => console_.getByRole('button', { name: 'Unlock' }).isEnabled(), { timeout: 10_000 })
      .toBe(true)
    await field.fill(passphrase)
    await console_.getByRole('button', { name: 'Unlock' }).click()
    await console_.getByTestId('inbox').waitFor({ timeout: 30_000 })
    // After the unlock the case is read back from this device (its kept envelope and content key).
    await item.locator('button').click()
    await caseView.getByRole('button', { name: 'Read the report' }).click()
    expect(await console_.getByTestId('report-body').textContent()).toContain(canaries.report)

    // 8. Nothing readable at the relay: not in its files, not in what it printed.
    for (const canary of Object.values(canaries)) {
      expect(filesContaining(relay.dataDir, canary), canary).toEqual([])
      expect(textContains(relay.output(), canary), canary).toBe(false)
    }
    expect(violations, readable(violations)).toEqual([])
    expect(adminWatch.problems(), readable(adminWatch.problems())).toEqual([])
    await admin.close()
  })
})
