import { readFileSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import ExifReader from 'exifreader'
import jpeg from 'jpeg-js'
import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CANARY, contains, metadataJpeg, xmpPacket } from '../client/evidence/test/fixtures'
import { SQLITE_FILE } from '../server/db/sqlite-store'
import { filesContaining, textContains } from '../server/test/canary'
import { launchBrowser, newContext } from './browser'
import { checkBothWidths, readable } from './checks'
import { watchContext } from './page-watch'
import { startBuiltRelay, type TestRelay } from './relay'
import { waitForOfflineReady } from './service-worker'
import { keepPassphrase, setUpCommunity, tabTo } from './steps'

/**
 * Issue #8 through the apps, in Chromium against the real relay on SQLite: a complainant attaches
 * a phone photo and a PDF full of metadata (the photo by keyboard alone); nothing that leaves the
 * browser holds the canary; the broker decrypts and downloads copies with no GPS, camera, author
 * or canary, the photo turned upright. A 10 MiB upload cut off midway and reloaded offline
 * resumes when the network returns, sending at most two chunks twice, and arrives byte for byte.
 * Chunks swapped or dropped in the relay's database are named as damage, never shown as a file.
 */

/** A two-page PDF whose document information and XMP hold the canary. */
async function pdfWithMetadata(): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  const font = await doc.embedFont(StandardFonts.Helvetica)
  for (let i = 0; i < 2; i++)
    doc.addPage([300, 200]).drawText(`Evidence page ${i + 1}`, { x: 20, y: 150, font })
  doc.setAuthor(`Author ${CANARY}`)
  doc.setProducer(`Producer ${CANARY}`)
  doc.setTitle(`Title ${CANARY}`)
  const { context, catalog } = doc
  catalog.set(
    PDFName.of('Metadata'),
    context.register(context.stream(xmpPacket(), { Type: 'Metadata', Subtype: 'XML' })),
  )
  return doc.save({ useObjectStreams: false })
}

/** 10 MiB of text with no metadata: the cleaner passes it through byte for byte. */
const bigText = (): Buffer => {
  const line = 'The same message, posted again and again under my talk page. '
  return Buffer.from(line.repeat(Math.ceil((10 * 2 ** 20) / line.length)).slice(0, 10 * 2 ** 20))
}

async function download(page: Page, item: Locator): Promise<Buffer> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    item.getByTestId('attachment-download').click(),
  ])
  return readFileSync((await file.path()) as string)
}

describe('evidence: cleaned on the device, sealed in chunks, resumable, checked by the broker', () => {
  let relay: TestRelay
  let browser: Browser
  const community = 'evidence-wiki'
  const passphrase = 'correct horse battery staple evidence'

  beforeAll(async () => {
    ;[relay, browser] = await Promise.all([startBuiltRelay(), launchBrowser()])
  })

  afterAll(async () => {
    await browser?.close()
    await relay?.stop()
  })

  it('strips, seals, resumes and verifies; damage at the relay is named; nothing readable at the relay', async () => {
    const problems: string[] = []
    const admin: BrowserContext = await newContext(browser)
    const adminWatch = await watchContext(admin, relay.origin)
    const console_ = await admin.newPage()
    await console_.goto(relay.setupUrl)
    await setUpCommunity(console_, { community, name: 'Evidence Wiki', broker: 'Ada', passphrase })
    await console_.getByRole('button', { name: 'Go to the inbox' }).click()

    // 1. A photo (by keyboard alone) and a PDF; every request body is checked for the canary.
    const complainant = await newContext(browser)
    const bodies: Buffer[] = []
    complainant.on('request', (request) => {
      bodies.push(Buffer.from(request.url()), request.postDataBuffer() ?? Buffer.alloc(0))
    })
    const form = await complainant.newPage()
    await form.goto(`${relay.url}/c/${community}`)
    await form.locator('[data-trust="trusted"]').waitFor()
    await form.getByLabel('What happened?').fill('Screenshots of the messages are attached.')
    const input = form.getByTestId('evidence-input')
    await tabTo(form, input)
    // Space opens the picker from the focused input; Enter does too, if the first press is lost.
    const chooser = await Promise.all([
      form.waitForEvent('filechooser', { timeout: 5_000 }),
      form.keyboard.press('Space'),
    ])
      .then(([opened]) => opened)
      .catch(async () => {
        await tabTo(form, input)
        const [opened] = await Promise.all([form.waitForEvent('filechooser'), form.keyboard.press('Enter')])
        return opened
      })
    await chooser.setFiles({
      name: 'IMG_2041.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from(metadataJpeg()),
    })
    await input.setInputFiles({
      name: 'statement.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(await pdfWithMetadata()),
    })
    const items = form.getByTestId('evidence-item')
    await form
      .locator('[data-testid="evidence-item"][data-state="ready"]')
      .nth(1)
      .waitFor({ timeout: 30_000 })
    const photoStatus = (await items.nth(0).getByTestId('evidence-status').textContent()) ?? ''
    expect(photoStatus).toContain('location')
    expect(photoStatus).toContain('camera make and model')
    expect((await items.nth(1).getByTestId('evidence-status').textContent()) ?? '').toContain('author name')
    problems.push(...(await checkBothWidths(form, 'evidence-compose')))
    await form.getByRole('button', { name: 'Seal and send' }).click()
    await keepPassphrase(form)
    await form
      .locator('[data-testid="attachment-progress"][data-complete="true"]')
      .waitFor({ timeout: 60_000 })
    problems.push(...(await checkBothWidths(form, 'evidence-sent')))
    for (const body of bodies) expect(contains(body, CANARY)).toBe(false)
    await complainant.close()

    // 2. 10 MiB, cut off midway, reloaded offline, resumed online.
    const large = await newContext(browser)
    const stored = new Map<number, number>()
    large.on('requestfinished', async (request) => {
      const index = /\/chunks\/(\d+)$/.exec(request.url())?.[1]
      if (request.method() !== 'PUT' || index === undefined) return
      const response = await request.response()
      if (response && response.status() < 300) stored.set(Number(index), (stored.get(Number(index)) ?? 0) + 1)
    })
    // Slow the chunks down so the cut lands in the middle of the upload.
    await large.route('**/attachments/**', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 120))
      await route.continue().catch(() => undefined)
    })
    const page = await large.newPage()
    await page.goto(`${relay.url}/c/${community}`)
    await waitForOfflineReady(page, relay.staticDir)
    await page.locator('[data-trust="trusted"]').waitFor()
    await page.getByLabel('What happened?').fill('The whole thread, exported.')
    await page.getByLabel('I want to be able to read replies').uncheck()
    const text = bigText()
    await page
      .getByTestId('evidence-input')
      .setInputFiles({ name: 'thread.txt', mimeType: 'text/plain', buffer: text })
    await page.locator('[data-testid="evidence-item"][data-state="ready"]').waitFor({ timeout: 30_000 })
    await page.getByRole('button', { name: 'Seal and send' }).click()
    const bar = page.locator('[data-testid="attachment-row"] progress').first()
    await expect
      .poll(async () => Number(await bar.getAttribute('value')), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(3)
    await large.setOffline(true)
    await page.reload()
    await page.getByLabel('What happened?').waitFor()
    await large.setOffline(false)
    const mine = page.locator('.mine__item [data-testid="attachment-progress"][data-complete="true"]')
    await mine.waitFor({ timeout: 120_000 })
    const total = Math.max(...stored.keys()) + 1
    expect(stored.size).toBe(total)
    const twice = [...stored.values()].filter((n) => n > 1).length
    expect(twice).toBeLessThanOrEqual(2)
    await large.close()

    // 3. The broker decrypts on the device and downloads the cleaned copies.
    await console_.getByRole('button', { name: 'Sync now' }).click()
    const inbox = console_.getByTestId('inbox')
    await inbox.locator('[data-case]').nth(1).waitFor({ timeout: 30_000 })
    const openById = async (id: string) => {
      await inbox.locator(`[data-case="${id}"] button`).first().click()
      const opened = console_.getByTestId('case')
      await opened.getByRole('button', { name: 'Read the report' }).click()
      await opened.getByTestId('report-body').waitFor()
      return opened
    }
    // The inbox hides report text behind content notes: open each case until the words show.
    const openCaseSaying = async (words: string): Promise<{ id: string; view: Locator }> => {
      const ids = await inbox
        .locator('[data-case]')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-case') ?? ''))
      for (const id of ids) {
        const opened = await openById(id)
        if (((await opened.getByTestId('report-body').textContent()) ?? '').includes(words))
          return { id, view: opened }
        await opened.getByRole('button', { name: 'Back to the reports' }).click()
      }
      throw new Error(`no case says ${words}`)
    }
    let { view } = await openCaseSaying('Screenshots of the messages')
    const files = view.getByTestId('case-attachment')
    await files.nth(1).waitFor()
    await files.nth(0).getByRole('button', { name: 'Decrypt and open' }).click()
    await files.nth(0).getByTestId('attachment-image').waitFor({ timeout: 30_000 })
    problems.push(...(await checkBothWidths(console_, 'evidence-broker-image')))
    const photo = await download(console_, files.nth(0))
    expect(contains(photo, CANARY)).toBe(false)
    const tags = ExifReader.load(photo.buffer.slice(photo.byteOffset, photo.byteOffset + photo.length), {
      expanded: true,
    }) as { gps?: unknown; exif?: Record<string, unknown> }
    expect(tags.gps).toBeUndefined()
    expect(tags.exif?.Model).toBeUndefined()
    expect(tags.exif?.Make).toBeUndefined()
    const pixels = jpeg.decode(photo)
    expect([pixels.width, pixels.height]).toEqual([32, 64])
    await files.nth(1).getByRole('button', { name: 'Decrypt and open' }).click()
    const pdfBytes = await download(console_, files.nth(1))
    expect(contains(pdfBytes, CANARY)).toBe(false)
    const pdf = await PDFDocument.load(pdfBytes, { updateMetadata: false })
    expect(pdf.getPageCount()).toBe(2)
    expect(pdf.getAuthor()).toBeUndefined()

    // 4. The large file arrives byte for byte.
    await view.getByRole('button', { name: 'Back to the reports' }).click()
    const opened = await openCaseSaying('The whole thread')
    const largeId = opened.id
    view = opened.view
    const thread = view.getByTestId('case-attachment').first()
    await thread.getByRole('button', { name: 'Decrypt and open' }).click()
    expect((await download(console_, thread)).equals(text)).toBe(true)

    // 5. The relay swaps two chunks, then drops one: the broker is told, and shown no file.
    const db = new Database(path.join(relay.dataDir, SQLITE_FILE))
    db.pragma('busy_timeout = 5000')
    const rows = db
      .prepare('SELECT idx, envelope FROM attachment_chunks WHERE report = ? ORDER BY idx')
      .all(largeId) as { idx: number; envelope: Buffer }[]
    const [first, second] = rows as [(typeof rows)[0], (typeof rows)[0]]
    const put = db.prepare('UPDATE attachment_chunks SET envelope = ? WHERE report = ? AND idx = ?')
    put.run(second.envelope, largeId, 0)
    put.run(first.envelope, largeId, 1)
    const reopen = async () => {
      await view.getByRole('button', { name: 'Back to the reports' }).click()
      view = await openById(largeId)
      const item = view.getByTestId('case-attachment').first()
      await item.getByRole('button', { name: 'Decrypt and open' }).click()
      const damaged = item.getByTestId('attachment-damaged')
      await damaged.waitFor({ timeout: 30_000 })
      return damaged
    }
    let damaged = await reopen()
    expect(await damaged.getAttribute('data-problem')).toBe('altered')
    expect(await damaged.textContent()).toContain('Attachment damaged')
    expect(await view.getByTestId('case-attachment').first().getByTestId('attachment-download').count()).toBe(
      0,
    )
    problems.push(...(await checkBothWidths(console_, 'evidence-broker-damaged')))
    put.run(first.envelope, largeId, 0)
    put.run(second.envelope, largeId, 1)
    db.prepare('DELETE FROM attachment_chunks WHERE report = ? AND idx = ?').run(largeId, 2)
    db.close()
    damaged = await reopen()
    expect(await damaged.getAttribute('data-problem')).toBe('missing')
    expect(await damaged.textContent()).toContain('Part 3 is missing')

    // 6. Nothing readable at the relay.
    expect(filesContaining(relay.dataDir, CANARY)).toEqual([])
    expect(textContains(relay.output(), CANARY)).toBe(false)
    expect(problems, readable(problems)).toEqual([])
    expect(adminWatch.problems(), readable(adminWatch.problems())).toEqual([])
    await admin.close()
  })
})
