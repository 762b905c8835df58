import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { boxPublicKey, fromBase64url, seal } from '../shared/crypto'
import {
  canonicalEnvelopeText,
  EnvelopeKind,
  encodeReport,
  envelopeToJson,
  readSignedManifest,
} from '../shared/protocol'
import { launchBrowser, newContext } from './browser'
import { startBuiltRelay, type TestRelay } from './relay'
import { setUpCommunity } from './steps'

/**
 * A sync large enough for the broker console to open reports on two cores (the page and
 * client/broker/engine/open-worker.ts), in the built app: every report is listed and searchable,
 * what cannot be opened is still listed and says why, and the same inbox comes back from the
 * device after the vault is locked and opened again.
 */

const COMMUNITY = 'parallel-wiki'
const PASSPHRASE = 'correct horse battery staple'
const REPORTS = 240
const MARKER = 'quixotry'

describe('broker sync on two cores', () => {
  let relay: TestRelay
  let browser: Browser
  let page: Page
  const workers: string[] = []

  beforeAll(async () => {
    ;[relay, browser] = await Promise.all([startBuiltRelay(), launchBrowser()])
    page = await (await newContext(browser)).newPage()
    page.on('worker', (worker) => workers.push(worker.url()))
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  async function post(envelopeText: string): Promise<void> {
    const res = await fetch(`${relay.url}/api/v1/communities/${COMMUNITY}/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: envelopeText,
    })
    if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${await res.text()}`)
  }

  const sealReport = async (text: string, to: Uint8Array) =>
    envelopeToJson(
      await seal(encodeReport({ v: 1, text }), [boxPublicKey(to)], {
        version: 1,
        kind: EnvelopeKind.report,
        community: COMMUNITY,
      }),
    )

  it('opens every report, keeps what it cannot open, and reads the same back after unlocking', async () => {
    await page.goto(relay.setupUrl)
    await setUpCommunity(page, {
      community: COMMUNITY,
      name: 'Parallel Wiki',
      broker: 'Ada',
      passphrase: PASSPHRASE,
    })
    await page.getByRole('button', { name: 'Go to the inbox' }).click()
    await page.getByTestId('sync-status').getByText('Up to date.').waitFor({ timeout: 30_000 })

    const manifest = await (await fetch(`${relay.url}/api/v1/communities/${COMMUNITY}/manifest`)).json()
    const brokerKey = fromBase64url(readSignedManifest(manifest).manifest.brokers[0]?.boxKey ?? '')
    if (!brokerKey) throw new Error('no broker key in the manifest')

    for (let i = 0; i < REPORTS; i++) {
      const text = `Report number ${i} about a harassment campaign.${i === 7 ? ` ${MARKER}` : ''}`
      await post(canonicalEnvelopeText(await sealReport(text, brokerKey)))
    }
    // One whose body was altered at the relay (which cannot tell: it holds no key).
    const damaged = await sealReport('altered on the way', brokerKey)
    const at = damaged.ct.length >> 1
    const flipped = damaged.ct[at] === 'A' ? 'B' : 'A'
    await post(
      canonicalEnvelopeText({ ...damaged, ct: damaged.ct.slice(0, at) + flipped + damaged.ct.slice(at + 1) }),
    )

    const inbox = page.getByTestId('inbox')
    const expectInbox = async () => {
      await expect.poll(() => inbox.getAttribute('data-count'), { timeout: 60_000 }).toBe(String(REPORTS + 1))
      await page.getByTestId('sync-status').getByText('Up to date.').waitFor()
      expect(await page.getByText('Cannot be opened: damaged or altered').count()).toBe(1)
      await page.getByRole('searchbox').fill(MARKER)
      await expect.poll(() => inbox.getAttribute('data-count')).toBe('1')
      // Report 7 is the relay's eighth.
      expect(await inbox.textContent()).toMatch(/#8 /)
      await page.getByRole('searchbox').fill('')
    }

    await page.getByRole('button', { name: 'Sync now' }).click()
    await expectInbox()
    // The split happened: the page started the opening worker from the built app.
    expect(workers.some((url) => /\/assets\/open-worker-[\w-]+\.js$/.test(url))).toBe(true)

    await page.getByRole('button', { name: 'Lock' }).click()
    await page.getByLabel('Passphrase').fill(PASSPHRASE)
    await page.getByRole('button', { name: 'Unlock' }).click()
    await inbox.waitFor({ timeout: 30_000 })
    await expectInbox()
  })
})
