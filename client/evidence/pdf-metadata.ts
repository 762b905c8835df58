import {
  decodePDFRawStream,
  PDFArray,
  type PDFContext,
  PDFDict,
  PDFHexString,
  PDFName,
  type PDFObject,
  PDFRawStream,
  type PDFRef,
  PDFStream,
  PDFString,
} from 'pdf-lib'
import type { StrippedMetadata } from '../../shared/protocol/attachment-kinds'
import { hasJpegMetadata } from './jpeg-segments'
import { kindsOfField } from './metadata-kinds'
import { findXmpPackets, kindsInXmp } from './xmp'

/**
 * Where a PDF keeps metadata, shared by the inspection (before) and the removal (after) so the two
 * cannot drift apart: what is listed to the person is what is taken out.
 *
 * - the trailer's /Info dictionary (Title, Author, Subject, Keywords, Creator, Producer, dates);
 * - the trailer's /ID, which identifies the file across copies and versions;
 * - /Metadata XMP streams, on the catalog and on any page, image, font or form;
 * - /PieceInfo (an editor's private data: Illustrator keeps a whole copy of its own file there)
 *   and the /LastModified date that goes with it;
 * - Exif, XMP and IPTC inside embedded JPEG photos, which a PDF stores as the original file.
 */

/** Keys removed from every dictionary in the file. */
export const METADATA_KEYS = ['Metadata', 'PieceInfo', 'LastModified'] as const

/** Document information keys whose meaning in a PDF differs from the same name elsewhere. */
const INFO_KINDS: Readonly<Record<string, readonly StrippedMetadata[]>> = {
  Title: ['description'],
  Subject: ['description'],
  Keywords: ['description'],
  Author: ['author'],
  // In a PDF the Creator is the program that made the original document, not a person.
  Creator: ['software'],
  Producer: ['software'],
  CreationDate: ['dates'],
  ModDate: ['dates'],
  Trapped: [],
}

/** Every dictionary in the file: indirect objects, stream dictionaries and dictionaries inside them. */
export function* allDicts(context: PDFContext): Generator<[PDFDict, PDFRef, PDFObject]> {
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    const stack: PDFObject[] = [object]
    for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
      if (item instanceof PDFStream) stack.push(item.dict)
      else if (item instanceof PDFArray) stack.push(...item.asArray())
      else if (item instanceof PDFDict) {
        yield [item, ref, object]
        stack.push(...item.values())
      }
    }
  }
}

/** Embedded photos a PDF stores as JPEG files (DCTDecode alone), with their indirect reference. */
export function* embeddedJpegs(context: PDFContext): Generator<[PDFRef, PDFRawStream]> {
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream)) continue
    const filter = object.dict.lookup(PDFName.of('Filter'))
    const only = filter instanceof PDFArray && filter.size() === 1 ? filter.lookup(0) : filter
    if (only === PDFName.of('DCTDecode')) yield [ref, object]
  }
}

const text = (value: PDFObject | undefined): string | undefined =>
  value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : undefined

/** A field counts only if it says something: producers often write empty Title or Author strings. */
function isEmpty(value: PDFObject | undefined): boolean {
  const t = text(value)
  return value === undefined || (t !== undefined && t.trim() === '')
}

/**
 * The kinds of metadata the loaded PDF carries. `inspectJpeg` reads an embedded photo; it is passed
 * in so a PDF without one never loads the image metadata reader.
 */
export async function inspectPdf(
  context: PDFContext,
  inspectJpeg: (bytes: Uint8Array) => Promise<readonly StrippedMetadata[]>,
): Promise<Set<StrippedMetadata>> {
  const kinds = new Set<StrippedMetadata>()
  const info = context.lookup(context.trailerInfo.Info)
  if (info instanceof PDFDict) {
    for (const [name, value] of info.entries()) {
      if (isEmpty(context.lookup(value))) continue
      const key = name.decodeText()
      for (const kind of INFO_KINDS[key] ?? kindsOfField(key)) kinds.add(kind)
    }
  }
  if (context.trailerInfo.ID) kinds.add('identifiers')
  for (const [dict] of allDicts(context)) {
    if (dict.has(PDFName.of('PieceInfo'))) kinds.add('other')
    if (dict.has(PDFName.of('LastModified'))) kinds.add('dates')
    const metadata = dict.lookup(PDFName.of('Metadata'))
    if (metadata instanceof PDFRawStream) {
      let found = 0
      for (const packet of findXmpPackets(decoded(metadata))) {
        for (const kind of kindsInXmp(packet)) kinds.add(kind)
        found++
      }
      // A metadata stream that cannot be read is still removed, and still said to be.
      if (!found) kinds.add('other')
    }
  }
  for (const [, stream] of embeddedJpegs(context)) {
    if (hasJpegMetadata(stream.contents))
      for (const kind of await inspectJpeg(stream.contents)) kinds.add(kind)
  }
  return kinds
}

function decoded(stream: PDFRawStream): Uint8Array {
  try {
    return decodePDFRawStream(stream).decode()
  } catch {
    return stream.contents
  }
}
