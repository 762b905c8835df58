import jpeg from 'jpeg-js'
import { decodePDFRawStream, PDFDocument, PDFHexString, PDFName, PDFRawStream, StandardFonts } from 'pdf-lib'
import { describe, expect, it } from 'vitest'
import { cleanFile } from './clean-file'
import { stripPdf } from './strip-pdf'
import { CANARY, contains, metadataJpeg, metadataPng, xmpPacket } from './test/fixtures'

const VISIBLE = 'Visible evidence text'

/**
 * A three-page PDF whose every metadata field holds the canary: document information, XMP on the
 * catalog and on a page, a file identifier, editor data, and a phone photo with its Exif.
 */
async function pdfWithMetadata({ objectStreams = false } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create()
  const font = await doc.embedFont(StandardFonts.Helvetica)
  const photo = await doc.embedJpg(metadataJpeg())
  for (let i = 0; i < 3; i++) {
    const page = doc.addPage([300, 200])
    page.drawText(`${VISIBLE} ${i + 1}`, { x: 20, y: 150, size: 12, font })
    if (i === 0) page.drawImage(photo, { x: 20, y: 20, width: 64, height: 32 })
  }
  doc.setTitle(`Title ${CANARY}`)
  doc.setAuthor(`Author ${CANARY}`)
  doc.setSubject(`Subject ${CANARY}`)
  doc.setKeywords([`Keyword${CANARY}`])
  doc.setCreator(`Creator ${CANARY}`)
  doc.setProducer(`Producer ${CANARY}`)
  doc.setCreationDate(new Date('2024-05-06T07:08:09Z'))
  doc.setModificationDate(new Date('2024-05-07T07:08:09Z'))
  const { context, catalog } = doc
  const xmp = (where: string) =>
    context.register(
      context.stream(xmpPacket().replace('Xmp Title', `Xmp Title ${where}`), {
        Type: 'Metadata',
        Subtype: 'XML',
      }),
    )
  catalog.set(PDFName.of('Metadata'), xmp('catalog'))
  doc.getPage(1).node.set(PDFName.of('Metadata'), xmp('page'))
  doc
    .getPage(2)
    .node.set(PDFName.of('PieceInfo'), context.obj({ Editor: { Private: PDFHexString.fromText(CANARY) } }))
  doc.getPage(2).node.set(PDFName.of('LastModified'), PDFHexString.fromText('D:20240506070809Z'))
  context.trailerInfo.ID = context.obj([PDFHexString.fromText(CANARY), PDFHexString.fromText(CANARY)])
  return doc.save({ useObjectStreams: objectStreams })
}

/** Every stream of the PDF, decoded where pdf-lib can, so a canary cannot hide behind Flate. */
async function allStreamText(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false })
  let text = ''
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream)) continue
    try {
      text += Buffer.from(decodePDFRawStream(object).decode()).toString('latin1')
    } catch {
      text += Buffer.from(object.contents).toString('latin1')
    }
  }
  return text
}

describe('stripPdf', () => {
  it.each([false, true])('leaves no trace of the metadata (object streams: %s)', async (objectStreams) => {
    const original = await pdfWithMetadata({ objectStreams })
    // The fixture does carry what the test says it does.
    expect((await allStreamText(original)).includes(CANARY) || contains(original, CANARY)).toBe(true)

    const result = await stripPdf(original)
    if (!result.ok) throw new Error(result.reason)
    expect(result.pages).toBe(3)
    expect(result.removed).toEqual([
      'location',
      'camera',
      'author',
      'software',
      'dates',
      'description',
      'thumbnail',
      'identifiers',
      'other',
    ])
    expect(contains(result.bytes, CANARY)).toBe(false)
    expect(contains(result.bytes, 'CanaryMake')).toBe(false)
    expect(contains(result.bytes, '/Metadata')).toBe(false)
    expect(contains(result.bytes, '/Info')).toBe(false)
    const streams = await allStreamText(result.bytes)
    expect(streams).not.toContain(CANARY)
    expect(streams).not.toContain('CanaryMake')

    const reopened = await PDFDocument.load(result.bytes, { updateMetadata: false })
    expect(reopened.getPageCount()).toBe(3)
    expect(reopened.context.trailerInfo.Info).toBeUndefined()
    expect(reopened.context.trailerInfo.ID).toBeUndefined()
    // The content stays: text on every page, and the photo still drawn on the first.
    const hex = (text: string) => Buffer.from(text, 'latin1').toString('hex').toUpperCase()
    for (let i = 1; i <= 3; i++) expect(streams).toContain(hex(`${VISIBLE} ${i}`))
    const photos = reopened.context
      .enumerateIndirectObjects()
      .flatMap(([, o]) =>
        o instanceof PDFRawStream && o.dict.get(PDFName.of('Filter')) === PDFName.of('DCTDecode') ? [o] : [],
      )
    expect(photos).toHaveLength(1)
    const photo = jpeg.decode(photos[0]?.contents ?? new Uint8Array(), { useTArray: true })
    expect([photo.width, photo.height]).toEqual([64, 32])
  })

  it('reports only what is there', async () => {
    const doc = await PDFDocument.create({ updateMetadata: false })
    doc.addPage()
    doc.setAuthor('Someone')
    doc.setTitle('   ')
    const result = await stripPdf(await doc.save())
    expect(result).toMatchObject({ ok: true, removed: ['author'], pages: 1 })

    const bare = await PDFDocument.create({ updateMetadata: false })
    bare.addPage()
    expect(await stripPdf(await bare.save())).toMatchObject({ ok: true, removed: [], pages: 1 })
  })

  it('drops what an earlier revision left behind', async () => {
    const original = await pdfWithMetadata()
    // An incremental update: a new Info object (an edit in a PDF editor), the old one still in the file.
    const update = `\n900 0 obj\n<< /Title (Newer title) >>\nendobj\ntrailer\n<< /Root 1 0 R /Info 900 0 R /Size 901 >>\n%%EOF\n`
    const original2 = new Uint8Array([...original, ...new TextEncoder().encode(update)])
    const doc = await PDFDocument.load(original2, { updateMetadata: false })
    expect(doc.context.trailerInfo.Info?.toString()).toBe('900 0 R')

    const result = await stripPdf(original2)
    if (!result.ok) throw new Error(result.reason)
    expect(result.removed).toContain('description')
    expect(contains(result.bytes, CANARY)).toBe(false)
    expect(contains(result.bytes, 'Newer title')).toBe(false)
  })

  it('gives an encrypted PDF back untouched, with a reason', async () => {
    const doc = await PDFDocument.create({ updateMetadata: false })
    doc.addPage()
    const plain = Buffer.from(await doc.save({ useObjectStreams: false })).toString('latin1')
    // The shape of a password-protected file: an /Encrypt dictionary named by the trailer.
    const encrypted = plain
      .replace(/\nxref\n/, '\n999 0 obj\n<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 >>\nendobj\nxref\n')
      .replace(/trailer\s*<</, 'trailer\n<< /Encrypt 999 0 R')
    const bytes = Buffer.from(encrypted, 'latin1')
    expect(await stripPdf(bytes)).toEqual({ ok: false, reason: 'encrypted-pdf' })
    const cleaned = await cleanFile(new Blob([bytes], { type: 'application/pdf' }))
    expect(cleaned).toMatchObject({ cleaning: 'not-cleaned', mayStillCarry: 'encrypted-pdf', removed: [] })
    expect(Buffer.from(cleaned.bytes).equals(bytes)).toBe(true)
  })

  it('never throws on garbage, truncated or empty PDFs', async () => {
    const original = await pdfWithMetadata()
    const inputs = [
      new TextEncoder().encode('%PDF-1.7\nthis is not a PDF at all'),
      new TextEncoder().encode('%PDF-'),
      original.subarray(0, Math.floor(original.length / 3)),
      original.subarray(0, original.length - 40),
      new TextEncoder().encode(
        '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF',
      ),
    ]
    for (const input of inputs) {
      const cleaned = await cleanFile(new Blob([input as Uint8Array<ArrayBuffer>]))
      expect(cleaned.type).toBe('application/pdf')
      if (cleaned.cleaning === 'not-cleaned') {
        expect(['damaged-pdf', 'cleaning-failed']).toContain(cleaned.mayStillCarry)
        expect(cleaned.bytes).toBe(cleaned.bytes)
      } else {
        // pdf-lib reads what it can of a damaged file; whatever it wrote must hold no metadata.
        expect(cleaned.cleaning).toBe('metadata-removed')
        expect(contains(cleaned.bytes, CANARY)).toBe(false)
      }
    }
  })
})

describe('cleanFile', () => {
  it('cleans a PDF whatever the browser says it is', async () => {
    const cleaned = await cleanFile(
      new Blob([(await pdfWithMetadata()) as Uint8Array<ArrayBuffer>], { type: 'image/png' }),
    )
    expect(cleaned).toMatchObject({ type: 'application/pdf', cleaning: 'metadata-removed', pages: 3 })
    expect(cleaned.removed).toContain('author')
    expect(contains(cleaned.bytes, CANARY)).toBe(false)
  })

  it('sends plain text as it is', async () => {
    const text = new TextEncoder().encode('They wrote this to me on 3 May.\n')
    const cleaned = await cleanFile(new Blob([text], { type: 'text/plain' }))
    expect(cleaned).toEqual({ bytes: text, type: 'text/plain', cleaning: 'nothing-to-remove', removed: [] })
  })

  it('sends other files as they are, saying what they may carry', async () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3])
    const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
    expect(await cleanFile(new Blob([zip], { type: docx }))).toEqual({
      bytes: zip,
      type: docx,
      cleaning: 'not-cleaned',
      removed: [],
      mayStillCarry: 'office-document',
    })
    const unknown = await cleanFile(new Blob([new Uint8Array([0, 159, 146, 150])]))
    expect(unknown).toMatchObject({
      type: 'application/octet-stream',
      cleaning: 'not-cleaned',
      mayStillCarry: 'unknown-type',
    })
  })

  it('keeps an animation whole, and says what it still carries', async () => {
    const cleaned = await cleanFile(
      new Blob([metadataPng(8, 4, { animated: true }) as Uint8Array<ArrayBuffer>]),
    )
    expect(cleaned).toMatchObject({
      type: 'image/png',
      cleaning: 'not-cleaned',
      mayStillCarry: 'animated-image',
      removed: [],
    })
    expect(cleaned.remaining).toContain('location')
  })
})
