/**
 * Node and build only. A reader for the PO catalogs Lingui writes (locales/<locale>/messages.po):
 * the header fields and the live entries. Obsolete entries (`#~`) are left out; plural forms are not
 * read because Lingui keeps plurals inside one ICU message.
 */

export interface PoEntry {
  readonly msgctxt: string | null
  readonly msgid: string
  readonly msgstr: string
  /** Source files that use the message, from `#:` lines (Lingui writes them without line numbers). */
  readonly references: readonly string[]
  readonly fuzzy: boolean
}

export interface PoFile {
  /** Header fields by name, e.g. `Language`, `X-Heard-Provenance`. */
  readonly headers: Readonly<Record<string, string>>
  readonly entries: readonly PoEntry[]
}

/** The key Lingui itself tells messages apart by: context and source text. */
export const entryKey = (entry: Pick<PoEntry, 'msgctxt' | 'msgid'>): string =>
  `${entry.msgctxt ?? ''}\u0004${entry.msgid}`

export function parsePo(text: string): PoFile {
  const entries: PoEntry[] = []
  let headers: Record<string, string> = {}
  for (const block of text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const entry = parseBlock(block)
    if (entry === null) continue
    if (entry.msgid === '' && entry.msgctxt === null) headers = parseHeaders(entry.msgstr)
    else entries.push(entry)
  }
  return { headers, entries }
}

type Field = 'msgctxt' | 'msgid' | 'msgstr'

function parseBlock(block: string): PoEntry | null {
  const fields: Partial<Record<Field, string>> = {}
  const references: string[] = []
  let fuzzy = false
  let current: Field | null = null
  for (const raw of block.split('\n')) {
    const line = raw.trim()
    if (line.startsWith('#~')) return null // obsolete: no longer in the code
    if (line.startsWith('#:')) references.push(...line.slice(2).trim().split(/\s+/).filter(Boolean))
    else if (line.startsWith('#,')) fuzzy ||= /\bfuzzy\b/.test(line)
    else if (line.startsWith('#') || line === '') continue
    else if (line.startsWith('"') && current !== null) fields[current] += unquote(line)
    else {
      const match = /^(msgctxt|msgid|msgstr)\s+(".*")$/.exec(line)
      // msgid_plural and msgstr[n] are not written by Lingui; anything else is not PO.
      if (!match) throw new Error(`Unreadable PO line: ${line}`)
      current = match[1] as Field
      fields[current] = unquote(match[2] as string)
    }
  }
  if (fields.msgid === undefined) return null
  return {
    msgctxt: fields.msgctxt ?? null,
    msgid: fields.msgid,
    msgstr: fields.msgstr ?? '',
    references,
    fuzzy,
  }
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' }

function unquote(quoted: string): string {
  return quoted.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c)
}

function parseHeaders(msgstr: string): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const line of msgstr.split('\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim()
  }
  return headers
}
