import { MAX_PAGE_SIZE, ProtocolError } from '../../shared/protocol'

/** Cursor paging shared by the routes that list stored envelopes (reports, mailboxes). */

/** Soft cap on one page's envelope text, in characters (bytes: it is ASCII). */
const PAGE_BYTES = 4 * 1024 * 1024

/** `after`: empty or absent is 0, otherwise at most 15 digits. */
export function parseCursor(value: string | undefined): number {
  if (value === undefined || value === '') return 0
  if (!/^\d{1,15}$/.test(value)) throw new ProtocolError('invalid_cursor')
  return Number(value)
}

/** `limit`: 1 to MAX_PAGE_SIZE, 100 when absent. */
export function parseLimit(value: string | undefined): number {
  if (value === undefined) return 100
  const limit = /^\d{1,3}$/.test(value) ? Number(value) : 0
  if (limit < 1 || limit > MAX_PAGE_SIZE) throw new ProtocolError('invalid_limit')
  return limit
}

/**
 * A page's JSON: `{"<key>":[items],"next":"<seq>"}`, as UTF-8 bytes. Stored envelopes are canonical
 * JSON already, so each item is its fields (`fields`, the item's text up to and including
 * `"envelope":`) then its envelope text spliced in, written straight into one buffer: joining a
 * page of strings and encoding the result cost several times more (a broker's sync reads 2.6 MB
 * pages). A page stops near PAGE_BYTES (always holding at least one row) so memory stays bounded;
 * `next` is the last seq included, or `after` when the page is empty.
 */
export function envelopePage<Row extends { readonly seq: number; readonly envelopeText: string }>(
  key: string,
  rows: readonly Row[],
  after: number,
  fields: (row: Row) => string,
): Uint8Array<ArrayBuffer> {
  const parts: string[] = []
  let bytes = 0
  let next = after
  for (const row of rows) {
    if (parts.length > 0 && bytes + row.envelopeText.length > PAGE_BYTES) break
    parts.push(`${parts.length > 0 ? ',' : ''}${fields(row)}`, row.envelopeText, '}')
    bytes += row.envelopeText.length
    next = row.seq
  }
  parts.unshift(`{"${key}":[`)
  parts.push(`],"next":"${next}"}`)
  let length = 0
  for (const part of parts) length += Buffer.byteLength(part, 'utf8')
  // Its own memory (never the shared pool), every byte of it written below.
  const out = Buffer.allocUnsafeSlow(length)
  let at = 0
  for (const part of parts) at += out.write(part, at, 'utf8')
  return out
}
