import type { ReportV1 } from '../../../shared/protocol'

/**
 * Search folding: lower case without accents, so "Café" and "cafe" match. The broker's search scans
 * every synced report (tens of MB of text after a large sync), so only runs of non-ASCII characters
 * go through Unicode decomposition, and each distinct run is folded once: most text in most
 * languages repeats a small set of accented letters and words.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: "only ASCII", control characters included
const ASCII_ONLY = /^[\u0000-\u007f]*$/
const NON_ASCII_RUN = /[\u0080-\uffff]+/g

/** Folded runs; dropped whole when full, since a search session sees a bounded vocabulary. */
const folded = new Map<string, string>()
const MAX_FOLDED = 50_000

function foldRun(run: string): string {
  let out = folded.get(run)
  if (out === undefined) {
    out = run.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
    if (folded.size >= MAX_FOLDED) folded.clear()
    folded.set(run, out)
  }
  return out
}

export function foldForSearch(text: string): string {
  // Decomposed before lower-casing, as a whole-text fold would be: compatibility forms (lunate
  // sigma, say) lower-case to other letters than their decompositions do.
  return (ASCII_ONLY.test(text) ? text : text.replace(NON_ASCII_RUN, foldRun)).toLowerCase()
}

/** Each opened report's folded text, worked out once (here, or in the worker that opened it). */
const searchTexts = new WeakMap<ReportV1, string>()

/** What a search looks in: the report's text, place and links, folded. */
export function searchTextOf(report: ReportV1): string {
  let text = searchTexts.get(report)
  if (text === undefined) {
    text = foldForSearch([report.text, report.where ?? '', report.links ?? ''].join('\n'))
    searchTexts.set(report, text)
  }
  return text
}

/** Keep a report's folded text worked out elsewhere (the worker that opened it). */
export function rememberSearchText(report: ReportV1, text: string): void {
  searchTexts.set(report, text)
}
