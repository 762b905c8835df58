import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parsePo } from './po.ts'

/**
 * Node and build only. Who wrote each catalog, as its PO header says
 * (`X-Heard-Provenance: machine-drafted` or `reviewed`). The app shows a "help improve this
 * translation" line for drafted ones; docs/translating.md says when a catalog may be marked reviewed.
 */
export const PROVENANCE_HEADER = 'X-Heard-Provenance'
export const PROVENANCES = ['machine-drafted', 'reviewed'] as const
export type Provenance = (typeof PROVENANCES)[number]

/**
 * A catalog's provenance from its header fields. A missing header counts as drafted, the claim that
 * promises less; a value that is neither is a typo, refused loudly rather than read either way.
 */
export function provenanceOf(headers: Readonly<Record<string, string>>, file: string): Provenance {
  const value = headers[PROVENANCE_HEADER]
  if (value === undefined) return 'machine-drafted'
  if ((PROVENANCES as readonly string[]).includes(value)) return value as Provenance
  throw new Error(`${file}: ${PROVENANCE_HEADER} is "${value}"; it must be one of ${PROVENANCES.join(', ')}`)
}

/** The catalog file of each locale under `localesDir`, by locale. */
export function catalogFiles(localesDir: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (const locale of readdirSync(localesDir).sort()) {
    const file = path.join(localesDir, locale, 'messages.po')
    if (existsSync(file)) files[locale] = file
  }
  return files
}

export function readProvenance(localesDir: string): Record<string, Provenance> {
  const provenance: Record<string, Provenance> = {}
  for (const [locale, file] of Object.entries(catalogFiles(localesDir))) {
    provenance[locale] = provenanceOf(parsePo(readFileSync(file, 'utf8')).headers, file)
  }
  return provenance
}
