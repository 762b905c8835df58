/**
 * Browser only. An image decoded and drawn again: the output holds the pixels and nothing else, so
 * Exif, GPS, XMP, IPTC, maker notes, thumbnails and comments are gone whatever format or vendor
 * extension they came in. Removing them field by field would have to know every one; redrawing
 * does not. The cost is one lossy generation for JPEG and WebP, at a quality where the difference
 * does not show, and colours converted to sRGB (the ICC profile is not carried over).
 */

export interface ReencodeOptions {
  /** JPEG and WebP quality, 0 to 1. */
  readonly quality?: number
  /**
   * The most pixels drawn; a larger image is scaled down to fit. Safari will not allocate a canvas
   * over 16.7 million pixels (4096 × 4096), and a 48-megapixel phone photo is far over it.
   */
  readonly maxPixels?: number
}

export interface Reencoded {
  readonly bytes: Uint8Array
  /** What the browser actually wrote, which is not always what was asked (see below). */
  readonly type: string
  readonly width: number
  readonly height: number
  readonly downscaled: boolean
}

/** The browser could not decode the image: the caller keeps the original and says so. */
export class UndecodableImageError extends Error {
  constructor(cause: unknown) {
    super('the browser could not decode this image', { cause })
    this.name = 'UndecodableImageError'
  }
}

export const DEFAULT_QUALITY = 0.92
export const DEFAULT_MAX_PIXELS = 4096 * 4096

/**
 * What a decoded image is written as: the same format where browsers can write it; photos in
 * formats they cannot write (HEIC, HEIF, AVIF) as JPEG; graphics (GIF, BMP, TIFF) as PNG, which
 * keeps their sharp edges and flat colours exactly.
 */
export function outputTypeFor(inputType: string): 'image/jpeg' | 'image/png' | 'image/webp' {
  if (inputType === 'image/png' || inputType === 'image/webp') return inputType
  if (inputType === 'image/gif' || inputType === 'image/bmp' || inputType === 'image/tiff') return 'image/png'
  return 'image/jpeg'
}

export async function reencodeImage(
  bytes: Uint8Array,
  inputType: string,
  { quality = DEFAULT_QUALITY, maxPixels = DEFAULT_MAX_PIXELS }: ReencodeOptions = {},
): Promise<Reencoded> {
  const bitmap = await decode(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: inputType }))
  try {
    const scale = Math.min(1, Math.sqrt(maxPixels / (bitmap.width * bitmap.height)))
    const width = Math.max(1, Math.floor(bitmap.width * scale))
    const height = Math.max(1, Math.floor(bitmap.height * scale))
    const type = outputTypeFor(inputType)
    const blob = await draw(bitmap, width, height, type, quality)
    return {
      bytes: new Uint8Array(await blob.arrayBuffer()),
      // Safari cannot write WebP and hands back a PNG instead; the file must be labelled as what it is.
      type: blob.type || type,
      width,
      height,
      downscaled: scale < 1,
    }
  } finally {
    bitmap.close()
  }
}

/**
 * Decodes with the Exif orientation applied, so a photo taken sideways comes out the way it looked
 * on the phone: once Exif is gone nothing could turn it upright again.
 */
async function decode(blob: Blob): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(blob, { imageOrientation: 'from-image' })
  } catch (error) {
    // A browser from before 'from-image' was specified rejects the value itself; those browsers
    // applied the orientation by default.
    if (!(error instanceof TypeError)) throw new UndecodableImageError(error)
  }
  try {
    return await createImageBitmap(blob)
  } catch (error) {
    throw new UndecodableImageError(error)
  }
}

async function draw(
  bitmap: ImageBitmap,
  width: number,
  height: number,
  type: string,
  quality: number,
): Promise<Blob> {
  if (typeof OffscreenCanvas === 'function') {
    const canvas = new OffscreenCanvas(width, height)
    const context = canvas.getContext('2d')
    if (context) {
      paint(context, bitmap, width, height, type)
      return canvas.convertToBlob({ type, quality })
    }
  }
  // Safari before 16.4 has no 2D OffscreenCanvas; a worker there has no canvas at all and throws.
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  const context = canvas.getContext('2d')
  if (!context) throw new Error('no 2D canvas')
  paint(context, bitmap, width, height, type)
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error('the canvas could not be encoded'))),
      type,
      quality,
    ),
  )
}

function paint(
  context: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D,
  bitmap: ImageBitmap,
  width: number,
  height: number,
  type: string,
): void {
  if (type === 'image/jpeg') {
    // JPEG has no transparency: transparent pixels would otherwise turn black.
    context.fillStyle = '#fff'
    context.fillRect(0, 0, width, height)
  }
  context.imageSmoothingQuality = 'high'
  context.drawImage(bitmap, 0, 0, width, height)
}
