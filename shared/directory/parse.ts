import * as v from 'valibot'
import { CONTACT_TYPES, DIRECTORY_FORMAT, type DirectoryFile, DirectoryFileSchema } from './directory.schema'
import {
  EMERGENCY_FORMAT,
  type EmergencyNumbersFile,
  EmergencyNumbersFileSchema,
} from './emergency-numbers.schema'
import { COUNTRY_CODE, ID } from './fields'

/** One reason a file was refused: where (path), which entry (by its id), and the rule it broke. */
export interface DirectoryIssue {
  /** `organizations[0].services[1].contacts[2].source_url` */
  readonly path: string
  /** `organization "samaritans" › service "samaritans-listening" › contact 3 (email)`, or `(file)` */
  readonly entry: string
  readonly rule: string
}

/**
 * The only error the parsers throw: whatever the input (a file, a community override from the
 * network), a caller gets either a typed value or this.
 *
 * `entry` quotes ids, which come from the input; they are limited to `[a-z0-9-]` (or a country
 * code) before being quoted, so nothing else a sender wrote is echoed.
 */
export class DirectoryError extends Error {
  override readonly name = 'DirectoryError'
  constructor(readonly issues: readonly DirectoryIssue[]) {
    super(
      issues
        .slice(0, 3)
        .map((i) => `${i.entry}: ${i.path}: ${i.rule}`)
        .join('; ') + (issues.length > 3 ? `; and ${issues.length - 3} more` : ''),
    )
  }
}

const MAX_ISSUES = 50

/** The noun for an item of each list, so an entry reads as what a contributor calls it. */
const ITEM_NOUN: Readonly<Record<string, string>> = {
  organizations: 'organization',
  services: 'service',
  contacts: 'contact',
  service_areas: 'service area',
  languages: 'language',
  schedules: 'schedule',
  countries: 'country',
  numbers: 'number',
  excluded: 'excluded number',
}

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]{0,63}$/

const field = (value: unknown, key: string): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined

function label(list: string, index: number, value: unknown): string {
  const noun = ITEM_NOUN[list] ?? list
  const id = field(value, 'id')
  if (typeof id === 'string' && id.length <= 100 && ID.test(id)) return `${noun} "${id}"`
  const country = field(value, 'country')
  if (typeof country === 'string' && COUNTRY_CODE.test(country)) {
    const number = field(value, 'number')
    return typeof number === 'string' && /^[0-9]{1,15}$/.test(number)
      ? `${noun} ${country} ${number}`
      : `${noun} ${country}`
  }
  const type = field(value, 'type')
  const kind =
    typeof type === 'string' && (CONTACT_TYPES as readonly string[]).includes(type) ? ` (${type})` : ''
  return `${noun} ${index + 1}${kind}`
}

function describe(issue: v.BaseIssue<unknown>): DirectoryIssue {
  const items = issue.path ?? []
  let path = ''
  const entries: string[] = []
  let list = ''
  for (const item of items) {
    const key = item.key
    if (typeof key === 'number') {
      path += `[${key}]`
      // A list of plain values (topics, countries) is part of its entry, not an entry itself.
      if (typeof item.value === 'object' && item.value !== null && !Array.isArray(item.value))
        entries.push(label(list, key, item.value))
    } else {
      const name = typeof key === 'string' && PLAIN_KEY.test(key) ? key : '(a field)'
      path += path ? `.${name}` : name
      list = name
    }
  }
  let rule = issue.message
  if (issue.type === 'strict_object') {
    if (issue.expected === 'never') rule = 'unknown field'
    else if (issue.received === 'undefined' && items.length > 0)
      rule = list === 'source_url' ? 'missing: every entry cites a public source' : 'missing'
    else rule = 'expected an object'
  } else if (rule.startsWith('Invalid ')) {
    // valibot's default wording quotes the received value; every schema here sets its own, so
    // this only guards a schema added without one.
    rule = `invalid (${issue.type})`
  }
  return { path: path || '(file)', entry: entries.join(' › ') || '(file)', rule }
}

export const describeIssues = (issues: readonly v.BaseIssue<unknown>[]): DirectoryIssue[] =>
  issues.slice(0, MAX_ISSUES).map(describe)

function parseWith<T extends v.GenericSchema>(schema: T, input: unknown): v.InferOutput<T> {
  const result = v.safeParse(schema, input)
  if (!result.success) throw new DirectoryError(describeIssues(result.issues))
  return result.output
}

/** A referral directory file (HSDS-aligned organisations), or a DirectoryError. */
export const parseDirectoryFile = (input: unknown): DirectoryFile => parseWith(DirectoryFileSchema, input)

/** The emergency-number list, or a DirectoryError. */
export const parseEmergencyNumbersFile = (input: unknown): EmergencyNumbersFile =>
  parseWith(EmergencyNumbersFileSchema, input)

export type ResourceFile =
  | { readonly format: typeof DIRECTORY_FORMAT; readonly file: DirectoryFile }
  | { readonly format: typeof EMERGENCY_FORMAT; readonly file: EmergencyNumbersFile }

/**
 * Any file under resources/, told apart by its `format` field, so a file nobody wrote a schema for
 * is refused instead of skipped.
 */
export function parseResourceFile(input: unknown): ResourceFile {
  const format = field(input, 'format')
  if (format === DIRECTORY_FORMAT) return { format, file: parseDirectoryFile(input) }
  if (format === EMERGENCY_FORMAT) return { format, file: parseEmergencyNumbersFile(input) }
  throw new DirectoryError([
    {
      path: 'format',
      entry: '(file)',
      rule: `not a known format (${DIRECTORY_FORMAT}, ${EMERGENCY_FORMAT})`,
    },
  ])
}
