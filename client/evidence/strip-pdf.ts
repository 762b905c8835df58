import {
  PDFArray,
  type PDFContext,
  PDFDict,
  PDFDocument,
  PDFName,
  type PDFObject,
  PDFRawStream,
  PDFRef,
  PDFStream,
} from 'pdf-lib'
import type { StrippedMetadata } from '../../shared/protocol/attachment-kinds'
import { stripJpegMetadata } from './jpeg-segments'
import { sortKinds } from './metadata-kinds'
import { allDicts, embeddedJpegs, inspectPdf, METADATA_KEYS } from './pdf-metadata'

/**
 * A PDF without its metadata (see pdf-metadata.ts for where it hides), its pages and content as
 * they were. The file is written anew as a single revision: an edited PDF keeps every earlier
 * version of what it changed (incremental updates), and an old Author is still an Author.
 */

export type StrippedPdf =
  | {
      readonly ok: true
      readonly bytes: Uint8Array
      readonly removed: StrippedMetadata[]
      readonly pages: number
    }
  | { readonly ok: false; readonly reason: 'encrypted-pdf' | 'damaged-pdf' | 'cleaning-failed' }

export async function stripPdf(bytes: Uint8Array): Promise<StrippedPdf> {
  let doc: PDFDocument
  let pages: number
  try {
    // updateMetadata: false, or pdf-lib would write its own Producer and dates into the file.
    // Encryption is checked on the loaded document: pdf-lib's EncryptedPDFError is compiled to ES5
    // and fails `instanceof`.
    doc = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true })
    if (doc.isEncrypted) return { ok: false, reason: 'encrypted-pdf' }
    pages = doc.getPageCount()
  } catch {
    return { ok: false, reason: 'damaged-pdf' }
  }
  if (pages === 0) return { ok: false, reason: 'damaged-pdf' }

  const { context } = doc
  let removed: Set<StrippedMetadata>
  let out: Uint8Array
  try {
    removed = await inspectPdf(context, async (jpeg) =>
      (await import('./inspect-metadata')).inspectImage(jpeg),
    )
    removeMetadata(context)
    collectGarbage(context)
    out = await doc.save({
      // Plain objects rather than compressed object streams: the result can be checked by searching
      // its bytes, and older readers open it.
      useObjectStreams: false,
      // Neither may change the document: no page added to an empty one, no form field redrawn.
      addDefaultPage: false,
      updateFieldAppearances: false,
    })
  } catch {
    // pdf-lib read the file but trips over something in it: the person is told, not left waiting.
    return { ok: false, reason: 'cleaning-failed' }
  }
  if (!(await isClean(out, pages))) return { ok: false, reason: 'cleaning-failed' }
  return { ok: true, bytes: out, removed: sortKinds(removed), pages }
}

function removeMetadata(context: PDFContext): void {
  context.trailerInfo.Info = undefined
  context.trailerInfo.ID = undefined
  for (const [dict] of allDicts(context)) for (const key of METADATA_KEYS) dict.delete(PDFName.of(key))
  for (const [ref, stream] of embeddedJpegs(context)) {
    const stripped = stripJpegMetadata(stream.contents)
    if (stripped && stripped.length !== stream.contents.length) {
      context.assign(ref, PDFRawStream.of(stream.dict, stripped))
    }
  }
}

/**
 * Deletes every object the document no longer refers to. pdf-lib writes every object it parsed,
 * referenced or not, so without this the Info dictionary and XMP streams just unlinked above, and
 * any left over from earlier revisions, would still be in the file.
 */
function collectGarbage(context: PDFContext): void {
  const reachable = new Set<PDFRef>()
  const stack: (PDFObject | undefined)[] = [context.trailerInfo.Root, context.trailerInfo.Encrypt]
  for (let item = stack.pop(); stack.length > 0 || item !== undefined; item = stack.pop()) {
    if (item instanceof PDFRef) {
      if (reachable.has(item)) continue
      reachable.add(item)
      stack.push(context.lookup(item))
    } else if (item instanceof PDFStream) stack.push(item.dict)
    else if (item instanceof PDFDict) stack.push(...item.values())
    else if (item instanceof PDFArray) stack.push(...item.asArray())
  }
  for (const [ref] of context.enumerateIndirectObjects()) if (!reachable.has(ref)) context.delete(ref)
}

/** The written file opens, has the same pages, and nothing this module removes is left in it. */
async function isClean(bytes: Uint8Array, pages: number): Promise<boolean> {
  try {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false })
    if (doc.getPageCount() !== pages) return false
    const { context } = doc
    if (context.trailerInfo.Info || context.trailerInfo.ID) return false
    for (const [dict] of allDicts(context)) {
      if (METADATA_KEYS.some((key) => dict.has(PDFName.of(key)))) return false
    }
    return true
  } catch {
    return false
  }
}
