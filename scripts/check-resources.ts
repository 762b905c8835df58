/**
 * `npm run resources:check`: every file under resources/ must parse against the directory schemas
 * (shared/directory) and pass the checks too heavy for the device: libphonenumber says each phone
 * number exists in each country it is listed for, and each emergency number is an emergency
 * number there. CI runs it through `npm test`.
 *
 * `npm run resources:schema` (`--write-schemas`) rewrites the committed JSON Schema files from the
 * valibot schemas; the check fails while they are stale, so the format is only ever edited once.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import libphonenumber from 'google-libphonenumber'
import {
  type Contact,
  DirectoryError,
  type DirectoryFile,
  type EmergencyNumbersFile,
  parseResourceFile,
  RESOURCE_SCHEMAS,
  type ResourceSchemaName,
  resourceJsonSchema,
} from '../shared/directory'
import { formatJson, RESOURCES, ROOT } from './resources-json'

const phoneUtil = libphonenumber.PhoneNumberUtil.getInstance()
const shortInfo = libphonenumber.ShortNumberInfo.getInstance()
const supportedRegions = new Set<string>(phoneUtil.getSupportedRegions())

/** The code as libphonenumber's region type, or undefined for a region it does not know. */
export const regionOf = (code: string): libphonenumber.RegionCode | undefined =>
  supportedRegions.has(code) ? (code as libphonenumber.RegionCode) : undefined

/**
 * True when `number`, dialled as written in `region`, exists there: either a full number valid for
 * that region, or a valid short number (Samaritans' 116 123 is a six-digit short code, not a
 * national number).
 */
export function isDialableIn(number: string, code: string): boolean {
  const region = regionOf(code)
  if (!region) return false
  try {
    const parsed = phoneUtil.parse(number, region)
    return (
      phoneUtil.isValidNumberForRegion(parsed, region) ||
      shortInfo.isValidShortNumberForRegion(parsed, region)
    )
  } catch {
    // libphonenumber throws on text it cannot read as a number at all.
    return false
  }
}

/** libphonenumber reads letters as keypad digits when parsing, so a vanity number and its digits meet here. */
function e164(number: string, code: string): string | undefined {
  const region = regionOf(code)
  if (!region) return undefined
  try {
    return phoneUtil.format(phoneUtil.parse(number, region), libphonenumber.PhoneNumberFormat.E164)
  } catch {
    return undefined
  }
}

function contactLabel(contact: Contact, index: number): string {
  return `contact ${index + 1} (${contact.type})`
}

/** Problems libphonenumber finds in a directory file that already matched the schema. */
export function checkDirectory(file: DirectoryFile, today: string): string[] {
  const problems: string[] = []
  file.organizations.forEach((org, o) => {
    const orgLabel = `organization "${org.id}"`
    const dated = (label: string, where: string, verifiedAt: string) => {
      if (verifiedAt > today) problems.push(`${label}: ${where}verified_at: in the future`)
    }
    dated(orgLabel, `organizations[${o}].`, org.verified_at)
    org.services.forEach((service, s) => {
      const serviceLabel = `${orgLabel} › service "${service.id}"`
      const servicePath = `organizations[${o}].services[${s}]`
      dated(serviceLabel, `${servicePath}.`, service.verified_at)
      if (
        service.minimum_age !== undefined &&
        service.maximum_age !== undefined &&
        service.minimum_age > service.maximum_age
      )
        problems.push(`${serviceLabel}: ${servicePath}.minimum_age: above maximum_age`)
      service.contacts.forEach((contact, c) => {
        const label = `${serviceLabel} › ${contactLabel(contact, c)}`
        const where = `${servicePath}.contacts[${c}]`
        dated(label, `${where}.`, contact.verified_at)
        if (contact.type !== 'phone' && contact.type !== 'sms') return
        for (const country of contact.countries) {
          if (!isDialableIn(contact.number, country))
            problems.push(`${label}: ${where}.number: not a valid phone number in ${country}`)
        }
        if (contact.type === 'phone' && contact.vanity !== undefined) {
          const country = contact.countries[0] ?? ''
          const spelled = e164(contact.vanity, country)
          if (spelled === undefined || spelled !== e164(contact.number, country))
            problems.push(`${label}: ${where}.vanity: does not spell the number on a phone keypad`)
        }
      })
    })
  })
  return problems
}

/** Problems libphonenumber finds in the emergency list: every number must be an emergency number. */
export function checkEmergencyNumbers(file: EmergencyNumbersFile, today: string): string[] {
  const problems: string[] = []
  file.countries.forEach((entry, i) => {
    const label = `country ${entry.country}`
    if (entry.verified_at > today) problems.push(`${label}: countries[${i}].verified_at: in the future`)
    const region = regionOf(entry.country)
    if (!region) problems.push(`${label}: countries[${i}].country: not a region libphonenumber knows`)
    entry.numbers.forEach((n, j) => {
      if (!region || !shortInfo.isEmergencyNumber(n.number, region))
        problems.push(
          `${label}: countries[${i}].numbers[${j}].number: ${n.number} is not an emergency number in ${entry.country} (libphonenumber)`,
        )
    })
  })
  return problems
}

export interface FileReport {
  readonly file: string
  readonly problems: readonly string[]
  readonly summary?: string
}

/** Checks one JSON text as the resource file `name`; problems are prefixed with the file's path. */
export function checkResourceText(text: string, name: string, today = isoToday()): FileReport {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return { file: name, problems: [`${name}: not valid JSON (${(error as Error).message})`] }
  }
  try {
    const parsed = parseResourceFile(json)
    if (parsed.format === 'heard-directory') {
      const { organizations } = parsed.file
      const services = organizations.flatMap((o) => o.services)
      return {
        file: name,
        problems: checkDirectory(parsed.file, today).map((p) => `${name}: ${p}`),
        summary: `${organizations.length} organisations, ${services.length} services, ${services.reduce((n, s) => n + s.contacts.length, 0)} contacts`,
      }
    }
    const numbers = parsed.file.countries.reduce((n, c) => n + c.numbers.length, 0)
    return {
      file: name,
      problems: checkEmergencyNumbers(parsed.file, today).map((p) => `${name}: ${p}`),
      summary: `${parsed.file.countries.length} countries and territories, ${numbers} emergency numbers`,
    }
  } catch (error) {
    if (!(error instanceof DirectoryError)) throw error
    return { file: name, problems: error.issues.map((i) => `${name}: ${i.entry}: ${i.path}: ${i.rule}`) }
  }
}

const isoToday = () => new Date().toISOString().slice(0, 10)

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name)
      return statSync(file).isDirectory() ? listFiles(file) : [file]
    })
}

const SCHEMA_FILE = /\.schema\.json$/

/** The committed JSON Schema `name` as it must read, generated from the valibot schemas. */
export function renderJsonSchema(name: ResourceSchemaName): string {
  return formatJson(resourceJsonSchema(name), path.join(RESOURCES, name))
}

/**
 * Checks every file under `dir`. Markdown is documentation; `*.schema.json` must be exactly what
 * the valibot schemas generate; any other file must be JSON in a known format, so a file without a
 * schema cannot slip past CI.
 */
export function checkResources(dir = RESOURCES, today = isoToday()): FileReport[] {
  const reports: FileReport[] = []
  const shown = (file: string) => path.relative(ROOT, file) || file
  for (const file of listFiles(dir)) {
    const name = shown(file)
    if (file.endsWith('.md')) continue
    if (SCHEMA_FILE.test(file)) {
      const base = path.basename(file)
      const known = base in RESOURCE_SCHEMAS
      const fresh = known && readFileSync(file, 'utf8') === renderJsonSchema(base as ResourceSchemaName)
      reports.push({
        file: name,
        problems: fresh
          ? []
          : [
              known
                ? `${name}: stale: run \`npm run resources:schema\` to regenerate it from shared/directory`
                : `${name}: no valibot schema of that name in shared/directory`,
            ],
      })
    } else if (file.endsWith('.json')) {
      reports.push(checkResourceText(readFileSync(file, 'utf8'), name, today))
    } else {
      reports.push({ file: name, problems: [`${name}: not a resource file (JSON data or Markdown)`] })
    }
  }
  return reports
}

function main(args: string[]): number {
  const dirFlag = args.indexOf('--dir')
  const dir = dirFlag >= 0 && args[dirFlag + 1] ? path.resolve(args[dirFlag + 1] ?? '') : RESOURCES
  if (args.includes('--write-schemas')) {
    for (const name of Object.keys(RESOURCE_SCHEMAS) as ResourceSchemaName[]) {
      writeFileSync(path.join(dir, name), renderJsonSchema(name))
      console.log(`wrote ${path.relative(ROOT, path.join(dir, name))}`)
    }
    return 0
  }
  const reports = checkResources(dir)
  const problems = reports.flatMap((r) => r.problems)
  for (const r of reports) {
    if (r.problems.length === 0) console.log(`ok   ${r.file}${r.summary ? `: ${r.summary}` : ''}`)
  }
  for (const p of problems) console.error(`FAIL ${p}`)
  console.log(
    problems.length === 0
      ? `resources:check: ${reports.length} files ok`
      : `resources:check: ${problems.length} problem(s) in ${reports.filter((r) => r.problems.length > 0).length} file(s)`,
  )
  return problems.length === 0 ? 0 : 1
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(main(process.argv.slice(2)))
}
