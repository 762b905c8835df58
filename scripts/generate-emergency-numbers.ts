/**
 * Writes resources/emergency-numbers.json from Android's emergency-number database
 * (../shared/data/aosp-eccdata.txt, Apache-2.0, credited in NOTICE): `npm run resources:emergency`.
 *
 * A number is shipped only where two independent sources agree: AOSP lists it with a service type,
 * and libphonenumber's `ShortNumberInfo.isEmergencyNumber` accepts it for that country. Every other
 * number in the source is listed under `excluded` with the reason, so nothing is dropped silently
 * and a reviewer can hand-check it (e.g. against ITU-T E.129) before adding it back by other means.
 *
 * Deterministic: the same input file and libphonenumber version give the same bytes (countries in
 * code order, each country's numbers in the source's order), and a unit test holds the committed
 * file to that.
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import libphonenumber from 'google-libphonenumber'
import {
  EMERGENCY_FORMAT,
  EMERGENCY_SERVICE_TYPES,
  EMERGENCY_VERSION,
  type EmergencyCountry,
  type EmergencyNumbersFile,
  type EmergencyServiceType,
  type ExcludedNumber,
  parseEmergencyNumbersFile,
} from '../shared/directory'
import { regionOf } from './check-resources'
import { formatJson, RESOURCES, ROOT } from './resources-json'

export const AOSP_ECCDATA = path.resolve(ROOT, '../shared/data/aosp-eccdata.txt')
export const EMERGENCY_JSON = path.join(RESOURCES, 'emergency-numbers.json')

/**
 * What ../shared/REFERRAL-DATA.md records about the copy in ../shared/data. It names no commit, so
 * the exact bytes read are pinned by their SHA-256 instead (computed, not typed in).
 */
const SOURCE = {
  name: 'Android Open Source Project emergency number database (eccdata)',
  project: 'platform/packages/services/Telephony',
  file: 'ecc/input/eccdata.txt',
  version:
    'Android 14 branch, read from a mirror; last data change 2023-12-08 ("Remove PL emergency numbers")',
  // The file's home in AOSP; it may have changed since: `version` and `sha256` say which copy was read.
  url: 'https://android.googlesource.com/platform/packages/services/Telephony/+/refs/heads/main/ecc/input/eccdata.txt',
  license: 'Apache-2.0',
} as const

/**
 * REFERRAL-DATA.md says its facts, this file among them, were checked "in November 2026" and
 * gives no day: the last day of that month is used, and the file's note says so.
 */
export const VERIFIED_AT = '2026-11-30'

/** AOSP's type names → Heard's; `TYPE_UNSPECIFIED` maps to nothing (no service to name). */
const TYPE_MAP: Readonly<Record<string, EmergencyServiceType | null>> = {
  POLICE: 'police',
  AMBULANCE: 'ambulance',
  FIRE: 'fire',
  MARINE_GUARD: 'marine_guard',
  MOUNTAIN_RESCUE: 'mountain_rescue',
  TYPE_UNSPECIFIED: null,
}

/**
 * Known gaps in the source, stated on the entry rather than patched: a type is only added when a
 * second source has been checked and recorded, never from memory. Reviewed by hand; keep it small.
 */
const COUNTRY_NOTES: Readonly<Record<string, string>> = {
  KR: "AOSP types 119 as fire only, but Korea's 119 also dispatches ambulances. The type is kept as the source states until a second source is checked and recorded; for a country with no ambulance-typed number, offer all its numbers.",
}

export interface AospEcc {
  readonly number: string
  readonly types: readonly string[]
}
export interface AospCountry {
  readonly iso: string
  readonly eccs: readonly AospEcc[]
  readonly fallback: string | undefined
}

/**
 * Parses eccdata.txt (protobuf text format, `protobuf_ecc_data.proto`). Strict on purpose: a field
 * this parser does not know stops the build, because a new AOSP field could change what a number
 * means. `routing` (how Android places the call) is read and dropped: nothing a person dials.
 */
export function parseEccData(text: string): { revision: number; countries: AospCountry[] } {
  let revision: number | undefined
  const countries: AospCountry[] = []
  let country: { iso?: string; eccs: AospEcc[]; fallback?: string } | undefined
  let ecc: { number?: string; types: string[] } | undefined
  const lines = text.split('\n')
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim()
    const value = (re: RegExp) => re.exec(line)?.[1]
    const fail = (why: string): never => {
      throw new Error(`eccdata.txt line ${index + 1}: ${why}: ${line}`)
    }
    if (line === '' || line.startsWith('#')) continue
    if (!country) {
      const rev = value(/^revision: (\d+)$/)
      if (rev !== undefined) revision = Number(rev)
      else if (line === 'countries {') country = { eccs: [] }
      else fail('not understood at the top level')
    } else if (!ecc) {
      const iso = value(/^iso_code: "([A-Z]{2})"$/)
      const fallback = value(/^ecc_fallback: "([0-9]+)"$/)
      if (iso !== undefined) country.iso = iso
      else if (fallback !== undefined) country.fallback = fallback
      else if (line === 'eccs {') ecc = { types: [] }
      else if (line === '}') {
        countries.push({
          iso: country.iso ?? fail('a country without iso_code'),
          eccs: country.eccs,
          fallback: country.fallback,
        })
        country = undefined
      } else fail('not understood in a country')
    } else {
      const number = value(/^phone_number: "([0-9]+)"$/)
      const type = value(/^types: ([A-Z_]+)$/)
      if (number !== undefined) ecc.number = number
      else if (type !== undefined) ecc.types.push(type)
      else if (/^routing: [A-Z_]+$/.test(line)) {
        // Dropped on purpose: see the comment above.
      } else if (line === '}') {
        if (ecc.types.length === 0) fail('an ecc without a type')
        country.eccs.push({ number: ecc.number ?? fail('an ecc without a number'), types: ecc.types })
        ecc = undefined
      } else fail('not understood in an ecc')
    }
  }
  if (country || ecc) throw new Error('eccdata.txt: unclosed block at end of file')
  if (revision === undefined) throw new Error('eccdata.txt: no revision')
  return { revision, countries }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

export function libphonenumberVersion(): string {
  const pkg = JSON.parse(
    readFileSync(path.join(ROOT, 'node_modules/google-libphonenumber/package.json'), 'utf8'),
  )
  return String(pkg.version)
}

/** The emergency-number file for these source bytes, as data (validated against the schema). */
export function buildEmergencyNumbers(source: Buffer): EmergencyNumbersFile {
  const { revision, countries } = parseEccData(source.toString('utf8'))
  const digest = sha256(source)
  const shortInfo = libphonenumber.ShortNumberInfo.getInstance()
  const isEmergencyIn = (number: string, code: string) => {
    const region = regionOf(code)
    return region !== undefined && shortInfo.isEmergencyNumber(number, region)
  }
  const sourceRef = `AOSP ${SOURCE.project} ${SOURCE.file}, revision ${revision}, sha256 ${digest}`

  const entries: EmergencyCountry[] = []
  const excluded: ExcludedNumber[] = []
  for (const country of [...countries].sort((a, b) => (a.iso < b.iso ? -1 : a.iso > b.iso ? 1 : 0))) {
    // The same number listed twice in one country is one number with both lines' types.
    const merged = new Map<string, Set<string>>()
    for (const ecc of country.eccs) {
      const types = merged.get(ecc.number) ?? new Set<string>()
      for (const t of ecc.types) types.add(t)
      merged.set(ecc.number, types)
    }
    const numbers: EmergencyCountry['numbers'] = []
    for (const [number, sourceTypes] of merged) {
      const types = EMERGENCY_SERVICE_TYPES.filter((t) =>
        [...sourceTypes].some((s) => {
          if (!(s in TYPE_MAP)) throw new Error(`eccdata.txt: unknown type ${s} (${country.iso} ${number})`)
          return TYPE_MAP[s] === t
        }),
      )
      const exclude = (reason: ExcludedNumber['reason']) =>
        excluded.push({ country: country.iso, number, source_types: [...sourceTypes], reason })
      if (types.length === 0) exclude('no_service_type')
      else if (!isEmergencyIn(number, country.iso)) exclude('not_emergency_in_libphonenumber')
      else numbers.push({ number, types })
    }
    if (numbers.length === 0) continue
    const note = COUNTRY_NOTES[country.iso]
    entries.push({
      country: country.iso,
      numbers,
      source_url: SOURCE.url,
      source_ref: sourceRef,
      verified_at: VERIFIED_AT,
      status: 'verified',
      ...(note ? { note } : {}),
    })
  }
  for (const iso of Object.keys(COUNTRY_NOTES)) {
    if (!entries.some((e) => e.country === iso))
      throw new Error(`COUNTRY_NOTES names ${iso}, which has no entry`)
  }

  return parseEmergencyNumbersFile({
    $schema: './emergency-numbers.schema.json',
    format: EMERGENCY_FORMAT,
    version: EMERGENCY_VERSION,
    note: `Generated by scripts/generate-emergency-numbers.ts; do not edit by hand. A number is listed when AOSP gives it a service type and libphonenumber confirms it is an emergency number in that country; the rest are under "excluded" with the reason. AOSP's per-country fallback (ecc_fallback) is not a number the country declared and is not listed. verified_at is ${VERIFIED_AT} because the source notes say the data was checked in November 2026 without a day.`,
    source: { ...SOURCE, sha256: digest },
    checked_with: {
      package: 'google-libphonenumber',
      version: libphonenumberVersion(),
      function: 'ShortNumberInfo.isEmergencyNumber(number, country)',
    },
    countries: entries,
    excluded,
  })
}

/** The bytes resources/emergency-numbers.json must hold, from the source file as it is now. */
export function renderEmergencyNumbers(source = readFileSync(AOSP_ECCDATA)): string {
  return formatJson(buildEmergencyNumbers(source), EMERGENCY_JSON)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = renderEmergencyNumbers()
  writeFileSync(EMERGENCY_JSON, text)
  const file = parseEmergencyNumbersFile(JSON.parse(text))
  const numbers = file.countries.reduce((n, c) => n + c.numbers.length, 0)
  console.log(
    `wrote ${path.relative(ROOT, EMERGENCY_JSON)}: ${file.countries.length} countries and territories, ${numbers} numbers, ${file.excluded.length} excluded`,
  )
}
