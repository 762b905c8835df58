import * as v from 'valibot'
import { countryCode, DIRECTORY_LIMITS, list, provenance, text } from './fields'
import { notesUnverified, uniqueBy } from './unique'

/**
 * resources/emergency-numbers.json: the numbers the crisis path shows first, one entry per country
 * or territory, generated from Android's emergency-number database by
 * scripts/generate-emergency-numbers.ts (never edited by hand) and kept only where libphonenumber
 * agrees the number is an emergency number there.
 */

export const EMERGENCY_FORMAT = 'heard-emergency-numbers' // must not change
export const EMERGENCY_VERSION = 1

/**
 * AOSP's service categories that name a service honestly. Its `TYPE_UNSPECIFIED` names none, so
 * such numbers are left out (listed under `excluded`). Wire constants: never renamed or reused.
 */
export const EMERGENCY_SERVICE_TYPES = [
  'police',
  'ambulance',
  'fire',
  'marine_guard',
  'mountain_rescue',
] as const
export type EmergencyServiceType = (typeof EMERGENCY_SERVICE_TYPES)[number]

/** Why a number in the source is not shipped. Wire constants. */
export const EXCLUSION_REASONS = ['no_service_type', 'not_emergency_in_libphonenumber'] as const
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number]

/**
 * Bare digits, as dialled: a string because leading zeros are the number (Australia's `000`,
 * Turkmenistan's `001`). Emergency numbers have no spaces or `+`.
 */
export const EMERGENCY_NUMBER = /^[0-9]{2,15}$/
const emergencyNumber = v.pipe(
  v.string('expected a string (leading zeros matter)'),
  v.regex(EMERGENCY_NUMBER, 'not an emergency number (2 to 15 digits)'),
)

export const EmergencyNumberSchema = v.strictObject({
  number: emergencyNumber,
  types: v.pipe(
    list(v.picklist(EMERGENCY_SERVICE_TYPES, 'unknown service type'), 1),
    uniqueBy(String, 'a type is listed twice'),
  ),
})
export type EmergencyNumber = v.InferOutput<typeof EmergencyNumberSchema>

export const EmergencyCountrySchema = v.strictObject({
  country: countryCode,
  numbers: v.pipe(
    list(EmergencyNumberSchema, 1),
    uniqueBy((n) => n.number, 'a number is listed twice'),
  ),
  /** Which version of the source, for a reader who opens source_url and finds it changed. */
  source_ref: text(DIRECTORY_LIMITS.longText),
  ...provenance,
})
export type EmergencyCountry = v.InferOutput<typeof EmergencyCountrySchema>

export const ExcludedNumberSchema = v.strictObject({
  country: countryCode,
  number: emergencyNumber,
  /** The source's own type names, unmapped, so a reviewer can find the line in the source. */
  source_types: list(v.pipe(v.string('expected a string'), v.regex(/^[A-Z_]+$/, 'not a type name')), 1),
  reason: v.picklist(EXCLUSION_REASONS, 'unknown reason'),
})
export type ExcludedNumber = v.InferOutput<typeof ExcludedNumberSchema>

export const EmergencyNumbersFileSchema = v.strictObject({
  $schema: v.optional(v.string('expected a string')),
  format: v.literal(EMERGENCY_FORMAT, `not a ${EMERGENCY_FORMAT} file`),
  version: v.literal(EMERGENCY_VERSION, `not version ${EMERGENCY_VERSION}`),
  note: v.optional(text(DIRECTORY_LIMITS.longText)),
  source: v.strictObject({
    name: text(DIRECTORY_LIMITS.shortText),
    project: text(DIRECTORY_LIMITS.shortText),
    file: text(DIRECTORY_LIMITS.shortText),
    version: text(DIRECTORY_LIMITS.longText),
    sha256: v.pipe(v.string('expected a string'), v.regex(/^[0-9a-f]{64}$/, 'not a SHA-256 in hex')),
    url: provenance.source_url,
    license: text(DIRECTORY_LIMITS.shortText),
  }),
  checked_with: v.strictObject({
    package: text(DIRECTORY_LIMITS.shortText),
    version: text(DIRECTORY_LIMITS.shortText),
    function: text(DIRECTORY_LIMITS.shortText),
  }),
  countries: v.pipe(
    v.array(EmergencyCountrySchema, 'expected an array'),
    v.maxLength(DIRECTORY_LIMITS.entries, 'too many'),
    uniqueBy((c) => c.country, 'a country is listed twice'),
    notesUnverified(),
  ),
  excluded: v.pipe(
    v.array(ExcludedNumberSchema, 'expected an array'),
    v.maxLength(DIRECTORY_LIMITS.entries, 'too many'),
  ),
})
export type EmergencyNumbersFile = v.InferOutput<typeof EmergencyNumbersFileSchema>
