import * as v from 'valibot'
import {
  countryCode,
  DIRECTORY_LIMITS,
  email,
  httpsUrl,
  id,
  isoDate,
  languageTag,
  list,
  phoneNumber,
  provenance,
  text,
  vanityNumber,
} from './fields'
import { TOPICS } from './topics'
import { notesUnverified, uniqueBy, uniqueNested } from './unique'

/**
 * The referral directory (resources/organizations.json and, later, community overrides): Open
 * Referral HSDS 3.0 field names wherever HSDS has the concept, plus Heard's own fields (`topics`,
 * `contacts`, `available_24_7`, `free`, and the provenance triple `source_url` / `verified_at` /
 * `status`). resources/README.md maps each field to HSDS.
 *
 * Two deliberate departures from HSDS, so nobody "fixes" them:
 * - `status` is Heard's verification status. HSDS's `service.status` (active / defunct / …) is
 *   absent: a service that is not active is removed, not flagged, so a closed helpline can never be
 *   shown by a client that ignores a flag.
 * - `contacts` are channels (phone, SMS, chat, e-mail, web), each with its own provenance, since one
 *   organisation's e-mail can be checked while its phone is not. HSDS's `contact` is a named
 *   person; an HSDS export maps phone/sms to `phone` (type voice/text), email to `email`, web and
 *   chat to `url`.
 */

export const DIRECTORY_FORMAT = 'heard-directory' // must not change
export const DIRECTORY_VERSION = 1

export const CONTACT_TYPES = ['phone', 'sms', 'chat', 'email', 'web'] as const
export type ContactType = (typeof CONTACT_TYPES)[number]

const WEEKDAYS = /^(?:MO|TU|WE|TH|FR|SA|SU)(?:,(?:MO|TU|WE|TH|FR|SA|SU))*$/
const CLOCK_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/

/** HSDS `schedule`, reduced to weekly opening hours; times are local to `timezone`. */
export const ScheduleSchema = v.strictObject({
  freq: v.literal('WEEKLY', 'only WEEKLY schedules'),
  byday: v.pipe(v.string('expected a string'), v.regex(WEEKDAYS, 'not a list like MO,TU,WE')),
  opens_at: v.pipe(v.string('expected a string'), v.regex(CLOCK_TIME, 'not a HH:MM time')),
  closes_at: v.pipe(v.string('expected a string'), v.regex(CLOCK_TIME, 'not a HH:MM time')),
  /** IANA zone (`Europe/Berlin`): hours shown to someone abroad must be converted. */
  timezone: v.pipe(
    v.string('expected a string'),
    v.regex(/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)+$/, 'not an IANA zone'),
  ),
  valid_from: v.optional(isoDate),
  valid_to: v.optional(isoDate),
  description: v.optional(text(DIRECTORY_LIMITS.longText)),
})
export type Schedule = v.InferOutput<typeof ScheduleSchema>

/** HSDS `language`. */
export const LanguageSchema = v.strictObject({
  code: languageTag,
  name: v.optional(text(DIRECTORY_LIMITS.shortText)),
  note: v.optional(text(DIRECTORY_LIMITS.longText)),
})
export type Language = v.InferOutput<typeof LanguageSchema>

const channel = {
  description: v.optional(text(DIRECTORY_LIMITS.longText)),
  languages: v.optional(list(LanguageSchema)),
  schedules: v.optional(list(ScheduleSchema)),
  available_24_7: v.optional(
    v.pipe(
      v.boolean('expected a boolean'),
      v.description('Answered at any hour. Absent means unknown, not "no".'),
    ),
  ),
  ...provenance,
}

/** Where a number can be dialled as written: a short or national number means nothing abroad. */
const dialledIn = v.pipe(list(countryCode, 1), uniqueBy(String, 'a country is listed twice'))

export const ContactSchema = v.variant(
  'type',
  [
    v.strictObject({
      type: v.literal('phone'),
      number: phoneNumber,
      /** The letters as advertised; must spell `number` on a phone keypad (checked by resources:check). */
      vanity: v.optional(vanityNumber),
      countries: dialledIn,
      ...channel,
    }),
    v.strictObject({
      type: v.literal('sms'),
      number: phoneNumber,
      countries: dialledIn,
      keyword: v.optional(text(DIRECTORY_LIMITS.shortText)),
      ...channel,
    }),
    v.strictObject({ type: v.literal('chat'), url: httpsUrl, ...channel }),
    v.strictObject({ type: v.literal('email'), email, ...channel }),
    v.strictObject({ type: v.literal('web'), url: httpsUrl, ...channel }),
  ],
  'not a contact type (phone, sms, chat, email, web)',
)
export type Contact = v.InferOutput<typeof ContactSchema>

/**
 * HSDS `service_area` with the scope a matcher needs (the ranking: country, region,
 * global); HSDS's free-text `extent` is not enough to match on.
 */
export const ServiceAreaSchema = v.variant(
  'scope',
  [
    v.strictObject({
      scope: v.literal('global'),
      name: text(DIRECTORY_LIMITS.shortText),
      description: v.optional(text(DIRECTORY_LIMITS.longText)),
    }),
    v.strictObject({
      scope: v.literal('region'),
      name: text(DIRECTORY_LIMITS.shortText),
      countries: v.pipe(list(countryCode, 1), uniqueBy(String, 'a country is listed twice')),
      description: v.optional(text(DIRECTORY_LIMITS.longText)),
    }),
    v.strictObject({
      scope: v.literal('country'),
      name: text(DIRECTORY_LIMITS.shortText),
      country: countryCode,
      description: v.optional(text(DIRECTORY_LIMITS.longText)),
    }),
  ],
  'not a scope (global, region, country)',
)
export type ServiceArea = v.InferOutput<typeof ServiceAreaSchema>

const age = v.pipe(v.number('expected a number'), v.integer('not an integer'), v.minValue(0, 'negative'))

export const ServiceSchema = v.strictObject({
  id,
  name: text(DIRECTORY_LIMITS.shortText),
  description: text(DIRECTORY_LIMITS.longText),
  /** HSDS `service.url`: the service's own page. */
  url: v.optional(httpsUrl),
  topics: v.pipe(
    list(v.picklist(TOPICS, 'unknown topic'), 1),
    uniqueBy(String, 'a topic is listed twice'),
    v.description('Kinds of harm this service helps with (Heard taxonomy, shared/directory/topics.ts).'),
  ),
  service_areas: list(ServiceAreaSchema, 1),
  /** Absent: not recorded yet (not "any language"). */
  languages: v.optional(list(LanguageSchema)),
  eligibility_description: v.optional(text(DIRECTORY_LIMITS.longText)),
  minimum_age: v.optional(age),
  maximum_age: v.optional(age),
  free: v.optional(
    v.pipe(v.boolean('expected a boolean'), v.description('Free of charge. Absent means not recorded.')),
  ),
  fees_description: v.optional(text(DIRECTORY_LIMITS.longText)),
  contacts: v.pipe(list(ContactSchema, 1), notesUnverified()),
  ...provenance,
})
export type Service = v.InferOutput<typeof ServiceSchema>

export const OrganizationSchema = v.strictObject({
  id,
  name: text(DIRECTORY_LIMITS.shortText),
  alternate_name: v.optional(text(DIRECTORY_LIMITS.shortText)),
  description: text(DIRECTORY_LIMITS.longText),
  /** HSDS 3.0 `organization.website`: the official site, not a page about it. */
  website: httpsUrl,
  services: v.pipe(list(ServiceSchema, 1), notesUnverified()),
  ...provenance,
})
export type Organization = v.InferOutput<typeof OrganizationSchema>

export const DirectoryFileSchema = v.strictObject({
  $schema: v.optional(v.string('expected a string')),
  format: v.literal(DIRECTORY_FORMAT, `not a ${DIRECTORY_FORMAT} file`),
  version: v.literal(DIRECTORY_VERSION, `not version ${DIRECTORY_VERSION}`),
  note: v.optional(text(DIRECTORY_LIMITS.longText)),
  organizations: v.pipe(
    v.array(OrganizationSchema, 'expected an array'),
    v.maxLength(DIRECTORY_LIMITS.entries, 'too many'),
    uniqueBy((o) => o.id, 'two organisations share this id'),
    notesUnverified(),
    uniqueNested('services', (s: Service) => s.id, 'two services share this id'),
  ),
})
export type DirectoryFile = v.InferOutput<typeof DirectoryFileSchema>
