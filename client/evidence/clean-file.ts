import type { Cleaning, StrippedMetadata } from '../../shared/protocol/attachment-kinds'
import { type NotCleanedReason, sniff } from './sniff'

/**
 * Browser only (images need a canvas; PDFs and text also run in Node). The one entry point: a file
 * the person picked → the bytes to send, how they were cleaned and what was taken out, for the
 * person to see before sending. Load it with a dynamic import when a file is attached: the image
 * and PDF code (ExifReader, pdf-lib) are split further and load only for a file that needs them.
 * Nothing here touches the network.
 */

export { neutralName } from './names'
export { NOT_CLEANED_REASONS, type NotCleanedReason } from './sniff'

export interface CleanOptions {
  /**
   * The type the browser reported (File.type, which comes from the file's extension). Used only to
   * tell apart what the bytes cannot: CSV from plain text, a Word file from a ZIP archive.
   * Default: the Blob's own type.
   */
  readonly declaredType?: string
  /** JPEG and WebP quality, 0 to 1. Default 0.92. */
  readonly quality?: number
  /** Images with more pixels are scaled down to this many. Default 4096 × 4096. */
  readonly maxPixels?: number
}

export interface CleanedFile {
  /** What to send: the cleaned file, or the original when cleaning is 'nothing-to-remove' or 'not-cleaned'. */
  readonly bytes: Uint8Array
  /** Media type of `bytes` (a HEIC photo comes out as image/jpeg). */
  readonly type: string
  readonly cleaning: Cleaning
  /** What was found and removed, in display order; empty when nothing was. */
  readonly removed: readonly StrippedMetadata[]
  /** Only when not cleaned: why, as a code the screen words (what the file may still carry). */
  readonly mayStillCarry?: NotCleanedReason
  /** Only when not cleaned: what the file was seen to carry, when it could be read at all. */
  readonly remaining?: readonly StrippedMetadata[]
  /** Images: the size of the cleaned image, after orientation and any scaling down. */
  readonly width?: number
  readonly height?: number
  /** Images: scaled down to fit `maxPixels`. */
  readonly downscaled?: boolean
  /** PDFs: the page count, the same before and after. */
  readonly pages?: number
}

/**
 * Never rejects for what a file contains: unknown, damaged, encrypted or undecodable files come
 * back 'not-cleaned' with a reason. It rejects only if the file cannot be read at all (the browser
 * lost access to it) or a module fails to load.
 */
export async function cleanFile(file: Blob, options: CleanOptions = {}): Promise<CleanedFile> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  const sniffed = sniff(bytes, options.declaredType ?? file.type)
  switch (sniffed.family) {
    case 'image':
      return cleanImage(bytes, sniffed.type, sniffed.animated, options)
    case 'pdf':
      return cleanPdf(bytes)
    case 'text':
      return { bytes, type: sniffed.type, cleaning: 'nothing-to-remove', removed: [] }
    case 'other':
      return notCleaned(bytes, sniffed.type, sniffed.reason)
  }
}

function notCleaned(
  bytes: Uint8Array,
  type: string,
  reason: NotCleanedReason,
  remaining: readonly StrippedMetadata[] = [],
): CleanedFile {
  return {
    bytes,
    type,
    cleaning: 'not-cleaned',
    removed: [],
    mayStillCarry: reason,
    ...(remaining.length ? { remaining } : {}),
  }
}

async function cleanImage(
  bytes: Uint8Array,
  type: string,
  animated: boolean,
  options: CleanOptions,
): Promise<CleanedFile> {
  const [{ inspectImage }, { reencodeImage, UndecodableImageError }] = await Promise.all([
    import('./inspect-metadata'),
    import('./strip-image'),
  ])
  const found = await inspectImage(bytes)
  // Redrawing keeps one frame: an animation would arrive as a still, which is not what was seen.
  if (animated) return notCleaned(bytes, type, 'animated-image', found)
  let image: Awaited<ReturnType<typeof reencodeImage>>
  try {
    image = await reencodeImage(bytes, type, options)
  } catch (error) {
    return notCleaned(
      bytes,
      type,
      error instanceof UndecodableImageError ? 'undecodable-image' : 'cleaning-failed',
      found,
    )
  }
  // Browsers write no metadata when encoding a canvas; checked rather than assumed.
  if ((await inspectImage(image.bytes)).length > 0) return notCleaned(bytes, type, 'cleaning-failed', found)
  return {
    bytes: image.bytes,
    type: image.type,
    cleaning: 'reencoded',
    removed: found,
    width: image.width,
    height: image.height,
    downscaled: image.downscaled,
  }
}

async function cleanPdf(bytes: Uint8Array): Promise<CleanedFile> {
  const { stripPdf } = await import('./strip-pdf')
  const result = await stripPdf(bytes)
  if (!result.ok) return notCleaned(bytes, 'application/pdf', result.reason)
  return {
    bytes: result.bytes,
    type: 'application/pdf',
    cleaning: 'metadata-removed',
    removed: result.removed,
    pages: result.pages,
  }
}
