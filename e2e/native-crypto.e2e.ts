import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, newContext } from './browser'
import { bundleScript } from './bundle-script'

/**
 * shared/crypto takes the host's own base64 decoder where there is one (Chromium has it, Node 20
 * does not), so the Node property tests never reach that path. Here it runs in Debian's Chromium
 * and must answer exactly as the portable decoder does, tampered input included.
 */

type Probe = typeof import('./probes/native-crypto-probe')

describe('native fast paths in Chromium', () => {
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    const [script, launched] = await Promise.all([
      bundleScript('e2e/probes/native-crypto-probe.ts', 'HeardProbe'),
      launchBrowser(),
    ])
    browser = launched
    page = await (await newContext(browser)).newPage()
    await page.goto('about:blank')
    await page.addScriptTag({ content: script })
  })

  afterAll(async () => {
    await browser?.close()
  })

  const probe = <T>(fn: (api: Probe) => T): Promise<T> =>
    page.evaluate(`(${fn.toString()})(window.HeardProbe)`) as Promise<T>

  it('has the native decoder, so the comparison below is not vacuous', async () => {
    expect(await probe((api) => api.hasNativeBase64())).toBe(true)
  })

  it('decodes canonical base64url exactly as the portable decoder, and refuses what it refuses', async () => {
    expect(await probe((api) => api.checkBase64(20_000))).toBeNull()
  })
})
