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
 * A page's JSON text: `{"<key>":[items],"next":"<seq>"}`. Stored envelopes are canonical JSON
 * already, so each item splices its envelope text in rather than parse and re-serialise it. A page
 * stops near PAGE_BYTES (always holding at least one row) so memory stays bounded; `next` is the
 * last seq included, or `after` when the page is empty.
 */
export function envelopePage<Row extends { readonly seq: number; readonly envelopeText: string }>(
  key: string,
  rows: readonly Row[],
  after: number,
  item: (row: Row) => string,
): string {
  const items: string[] = []
  let bytes = 0
  let next = after
  for (const row of rows) {
    if (items.length > 0 && bytes + row.envelopeText.length > PAGE_BYTES) break
    items.push(item(row))
    bytes += row.envelopeText.length
    next = row.seq
  }
  return `{"${key}":[${items.join(',')}],"next":"${next}"}`
}
