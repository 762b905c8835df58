/**
 * A file's own name often says who made it or where ("IMG_2041 Alex's flat.jpg", a scanner's serial
 * number, a username in a screenshot tool's pattern), so a file goes out under a neutral name unless
 * the person chooses to keep it. The name says only what the file is and its place in the report.
 */

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'avif',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'image/tiff': 'tif',
  'image/bmp': 'bmp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'text/markdown': 'md',
  'text/tab-separated-values': 'tsv',
  'text/html': 'html',
  'image/svg+xml': 'svg',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'video/webm': 'webm',
  'video/x-msvideo': 'avi',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/ogg': 'ogg',
  'audio/wav': 'wav',
  'audio/flac': 'flac',
  'application/zip': 'zip',
  'application/rtf': 'rtf',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/vnd.oasis.opendocument.text': 'odt',
  'application/vnd.oasis.opendocument.spreadsheet': 'ods',
}

const DOCUMENT_TYPES =
  /^application\/(pdf|rtf|msword|vnd\.openxmlformats-officedocument\.|vnd\.oasis\.opendocument\.)/

/**
 * `image-1.jpg`, `document-2.pdf`, `text-3.txt`, `video-4.mp4`, `file-5.bin`: `n` is the file's place
 * in the report, counted from 1. English on purpose: the name travels inside the sealed report and
 * must read the same to a broker in any language (the screen shows its own words around it).
 */
export function neutralName(type: string, n: number): string {
  const media = type.split(';')[0]?.trim().toLowerCase() ?? ''
  const top = media.split('/')[0]
  const stem = DOCUMENT_TYPES.test(media)
    ? 'document'
    : top === 'image' || top === 'video' || top === 'audio' || top === 'text'
      ? top
      : 'file'
  const place = Number.isSafeInteger(n) && n > 0 ? n : 1
  return `${stem}-${place}.${EXTENSIONS[media] ?? 'bin'}`
}
