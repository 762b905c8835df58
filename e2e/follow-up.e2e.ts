import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FakeCommunity } from '../server/test/fixtures'
import { openBrokerSession, postBrokerReply, readMailbox } from '../server/test/mailbox-client'
import { boxPublicKey, boxSecretKey, fromBase64url, open, utf8 } from '../shared/crypto'
import { decodeReply, envelopeFromJson, parseEnvelopeJson } from '../shared/protocol'
import { launchBrowser, newContext } from './browser'
import { checkBothWidths, readable } from './checks'
import { brokerReads, publishCommunity } from './community'
import { watchContext } from './page-watch'
import { startBuiltRelay, type TestRelay } from './relay'

/**
 * Follow-up in real Chromium: a report sent with follow-up carries a mailbox; a broker replies
 * (by a test helper, as the broker console will); a fresh browser with only the eight words reads
 * the reply and answers; the brokers can open the answer.
 */
describe('follow-up', () => {
  let relay: TestRelay
  let browser: Browser
  let community: FakeCommunity

  beforeAll(async () => {
    ;[relay, browser] = await Promise.all([startBuiltRelay(), launchBrowser()])
    community = await publishCommunity(relay.url, 'wiki-follow')
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  it("a fresh browser with only the passphrase reads the brokers' reply and answers them", async () => {
    const url = `${relay.url}/c/${community.id}`
    const first = await newContext(browser)
    const page = await first.newPage()
    await page.goto(url)
    await page.locator('[data-trust="trusted"]').waitFor()
    await page.getByLabel('What happened?').fill('I want to hear back about this.')
    await page.getByRole('button', { name: 'Seal and send' }).click()
    // The words appear once the follow-up keys are derived (scrypt, about a second).
    await page.locator('[data-testid="passphrase-words"] li').last().waitFor({ timeout: 30_000 })
    const words = await page.locator('[data-testid="passphrase-words"] li').allTextContents()
    expect(words).toHaveLength(8)
    await page.locator('[data-testid="report-status"] [data-state="stored"]').waitFor({ timeout: 30_000 })
    await first.close()

    // The broker opens the report, finds the mailbox and reply key, and answers.
    const [held] = await brokerReads(relay.url, community)
    const followUp = held?.report.followUp
    if (!followUp) throw new Error('the report carries no follow-up mailbox')
    const broker = community.brokers[0]
    if (!broker) throw new Error('no broker')
    const replyText = `We read your report. ${crypto.randomUUID()}`
    await postBrokerReply({
      baseUrl: relay.url,
      community: community.id,
      mailbox: followUp.mailbox,
      brokerSignKeyPair: broker.sign,
      replyBoxKey: boxPublicKey(fromBase64url(followUp.replyKey) ?? new Uint8Array()),
      text: replyText,
    })

    // Another device: nothing but the words.
    const second = await newContext(browser)
    const watch = await watchContext(second, relay.origin)
    const reader = await second.newPage()
    await reader.goto(`${url}/follow-up`)
    const violations = await checkBothWidths(reader, 'follow-up-locked')
    const input = reader.getByLabel('Your passphrase (eight words)')
    await input.fill(`${words.slice(0, 7).join(' ')} notaword`)
    await reader.getByRole('button', { name: 'Open replies' }).click()
    await reader.getByText('“notaword” is not one of the passphrase words').waitFor()
    await input.fill(words.join(' ').toUpperCase())
    await reader.getByRole('button', { name: 'Open replies' }).click()
    const thread = reader.getByTestId('thread')
    await thread.locator('[data-from="broker"]').getByText(replyText).waitFor({ timeout: 30_000 })

    const answer = `Thank you; more details here. ${crypto.randomUUID()}`
    await reader.getByLabel('Write to the brokers').fill(answer)
    await reader.getByRole('button', { name: 'Seal and send' }).click()
    await thread.locator('[data-from="me"]').getByText(answer).waitFor({ timeout: 30_000 })
    violations.push(...(await checkBothWidths(reader, 'follow-up-thread')))

    // The brokers can open the answer; it was sealed on the device.
    const token = await openBrokerSession({
      baseUrl: relay.url,
      community: community.id,
      brokerSignKeyPair: broker.sign,
    })
    const page2 = await readMailbox({
      baseUrl: relay.url,
      community: community.id,
      token,
      mailbox: followUp.mailbox,
    })
    const mine = page2.messages.filter((m) => m.sender === 'complainant')
    expect(mine).toHaveLength(1)
    const opened = await open(
      envelopeFromJson(parseEnvelopeJson(mine[0]?.envelope)),
      boxSecretKey(broker.box.secretKey),
    )
    expect(decodeReply(opened).text).toBe(answer)
    expect(JSON.stringify(mine[0]?.envelope)).not.toContain(answer)
    expect(new TextDecoder().decode(utf8(JSON.stringify(page2)))).not.toContain(replyText)

    expect(violations, readable(violations)).toEqual([])
    expect(watch.problems(), readable(watch.problems())).toEqual([])
    await second.close()
  })
})
