/**
 * Crypto-free attachment constants the compose screen needs before anything else loads. Wire
 * constants: a value is never renamed or reused, only added.
 */

/** Metadata a device found and removed from a file, as the person was shown before sending. */
export const STRIPPED_METADATA = [
  'location',
  'camera',
  'author',
  'software',
  'dates',
  'description',
  'thumbnail',
  'identifiers',
  'other',
] as const
export type StrippedMetadata = (typeof STRIPPED_METADATA)[number]

/**
 * How the device cleaned the file: re-encoded (images: decoded and drawn again, which keeps pixels
 * only), metadata removed (PDFs: the document information and XMP are gone, the content stays),
 * nothing to remove (plain text has no metadata container), or not cleaned (the person was told
 * what the file type may still carry and sent it anyway).
 */
export const CLEANING = ['reencoded', 'metadata-removed', 'nothing-to-remove', 'not-cleaned'] as const
export type Cleaning = (typeof CLEANING)[number]
