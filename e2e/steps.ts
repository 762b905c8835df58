import type { Browser, Locator, Page } from 'playwright-core'
import { newContext } from './browser'

/** Node only (test harness). Steps several e2e flows share, done the way a person does them. */

/** Wait for the follow-up words, then prove they were kept (two of them, as asked). Returns the eight words. */
export async function keepPassphrase(page: Page): Promise<string[]> {
  // The words appear once the follow-up keys are derived (scrypt, about a second).
  await page.locator('[data-testid="passphrase-words"] li').last().waitFor({ timeout: 30_000 })
  const words = await page.locator('[data-testid="passphrase-words"] li').allTextContents()
  if (words.length !== 8) throw new Error(`expected 8 passphrase words, got ${words.length}`)
  const inputs = page.locator('.passphrase__inputs input')
  for (let i = 0; i < 2; i++) {
    const label = (await page.locator('.passphrase__inputs .field__label').nth(i).textContent()) ?? ''
    await inputs.nth(i).fill(words[Number(/\d+/.exec(label)?.[0]) - 1] ?? '')
  }
  await page.getByRole('button', { name: 'Check' }).click()
  await page.getByText('Kept. You can read replies').waitFor()
  return words
}

/** On a page showing a fresh relay's setup link: create the community and its first broker. */
export async function setUpCommunity(
  page: Page,
  options: { community: string; name: string; broker: string; passphrase: string },
): Promise<void> {
  await page.getByLabel('Community name').fill(options.name)
  await page.getByLabel('Short id for links').fill(options.community)
  await page
    .getByLabel('What complainants should know')
    .fill(`The safety team of ${options.name} reads every report.`)
  await page.getByLabel('Your name as a broker').fill(options.broker)
  await page.getByLabel('Passphrase', { exact: true }).fill(options.passphrase)
  await page.getByLabel('Passphrase again').fill(options.passphrase)
  await page.getByRole('button', { name: 'Create the community' }).click()
  await page.getByTestId('recovery-kit').waitFor({ timeout: 30_000 })
}

/** An admin, in a fresh browser context, opens a fresh relay's setup link and creates `community`. */
export async function setUpCommunityOnRelay(
  browser: Browser,
  setupUrl: string | null | undefined,
  options: { community: string; name: string; broker: string; passphrase: string },
): Promise<void> {
  if (!setupUrl) throw new Error('the fresh relay printed no setup link')
  const context = await newContext(browser)
  try {
    const admin = await context.newPage()
    await admin.goto(setupUrl)
    await setUpCommunity(admin, options)
  } finally {
    await context.close()
  }
}

/**
 * A complainant, in a fresh browser context, sends `text` to `community` with follow-up on and
 * waits until the relay stored it. Returns the follow-up words.
 */
export async function sendReport(
  browser: Browser,
  url: string,
  community: string,
  text: string,
  options: { onPost?: (body: string) => void } = {},
): Promise<string[]> {
  const context = await newContext(browser)
  try {
    const page = await context.newPage()
    const onPost = options.onPost
    if (onPost) {
      page.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith(`/communities/${community}/reports`)) {
          onPost(request.postData() ?? '')
        }
      })
    }
    await page.goto(`${url}/c/${community}`)
    await page.locator('[data-trust="trusted"]').waitFor()
    await page.getByLabel('What happened?').fill(text)
    await page.getByRole('button', { name: 'Seal and send' }).click()
    const words = await keepPassphrase(page)
    await page.locator('[data-testid="report-status"] [data-state="stored"]').waitFor({ timeout: 30_000 })
    return words
  } finally {
    await context.close()
  }
}

/**
 * Move the focus with Tab alone until `target` has it (proving it is reachable by keyboard), or
 * fail saying so. Shift+Tab with `backwards`.
 */
export async function tabTo(
  page: Page,
  target: Locator,
  options: { backwards?: boolean } = {},
): Promise<void> {
  await target.waitFor()
  for (let i = 0; i < 150; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab')
  }
  throw new Error(`Tab never reached ${String(target)}`)
}
