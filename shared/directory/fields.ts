import * as v from 'valibot'

/**
 * Field schemas shared by the directory and the emergency numbers. Messages are Heard's own, never
 * valibot's defaults, so a message never quotes the value it refused: the same schemas will parse
 * community overrides arriving from the network.
 */

export const VERIFICATION_STATUSES = ['verified', 'unverified'] as const
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number]

export const DIRECTORY_LIMITS = {
  /** Names, labels, one-line text, in chars. */
  shortText: 200,
  /** Descriptions and notes, in chars. */
  longText: 2_000,
  /** A URL, in chars. */
  url: 2_000,
  /** A phone number as written, in chars. */
  phone: 32,
  /** Items in any one list (contacts, areas, languages…). */
  list: 500,
  /** Organisations in one file, and countries in the emergency list (there are under 300). */
  entries: 100_000,
} as const

export const text = (max: number) =>
  v.pipe(v.string('expected a string'), v.minLength(1, 'empty'), v.maxLength(max, 'too long'))

export const list = <T extends v.GenericSchema>(item: T, min = 0) =>
  v.pipe(
    v.array(item, 'expected an array'),
    v.minLength(min, min === 1 ? 'needs at least one' : `needs at least ${min}`),
    v.maxLength(DIRECTORY_LIMITS.list, 'too many'),
  )

/** Stable ids: lower-case letters and digits in dash-separated words (`samaritans-helpline`). */
export const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/
export const id = v.pipe(
  v.string('expected a string'),
  v.maxLength(100, 'too long'),
  v.regex(ID, 'not an id'),
)

/**
 * ISO 3166-1 alpha-2, upper case, as AOSP and libphonenumber use it. User-assigned codes such as
 * `XK` (Kosovo) pass: both sources use them.
 */
export const COUNTRY_CODE = /^[A-Z]{2}$/
export const countryCode = v.pipe(v.string('expected a string'), v.regex(COUNTRY_CODE, 'not a country code'))

/**
 * A BCP 47-ish language tag (HSDS allows ISO 639-1 or 639-3): a 2–3 letter primary language, then
 * subtags of 2–8 letters or digits (`de`, `pt-BR`, `zh-Hant`). Not checked against the registry.
 */
export const LANGUAGE_TAG = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/
export const languageTag = v.pipe(
  v.string('expected a string'),
  v.maxLength(35, 'too long'),
  v.regex(LANGUAGE_TAG, 'not a language tag'),
)

/** A calendar date, `YYYY-MM-DD`, that exists (no 2026-02-30). */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value)
  if (!m) return false
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
  return date.toISOString().slice(0, 10) === value
}
export const isoDate = v.pipe(
  v.string('expected a string'),
  v.regex(ISO_DATE, 'not a YYYY-MM-DD date'),
  v.check(isIsoDate, 'not a calendar date'),
)

/**
 * Only https: a referral opened in a crisis must not be downgradable, and `javascript:` or `data:`
 * links must never reach an `href`.
 */
export const HTTPS_URL = /^https:\/\/[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$/
export const httpsUrl = v.pipe(
  v.string('expected a string'),
  v.maxLength(DIRECTORY_LIMITS.url, 'too long'),
  v.regex(HTTPS_URL, 'not an https URL'),
)

/** Deliberately plain: one `@`, no spaces. Deliverability is a human's job when verifying. */
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
export const email = v.pipe(
  v.string('expected a string'),
  v.maxLength(254, 'too long'),
  v.regex(EMAIL, 'not an e-mail address'),
)

/**
 * A phone number as the organisation writes it, dialable as written in the listed countries:
 * digits in groups separated by one space or dash, an optional leading `+`. Leading zeros are
 * meaningful (`000`, `030 …`), which is why numbers are strings. Whether the number exists in the
 * numbering plan is checked by `npm run resources:check` with libphonenumber, which is too large to
 * ship to the device.
 */
export const PHONE_NUMBER = /^\+?[0-9]+(?:[ -][0-9]+)*$/
export const phoneNumber = v.pipe(
  v.string('expected a string'),
  v.maxLength(DIRECTORY_LIMITS.phone, 'too long'),
  v.regex(PHONE_NUMBER, 'not a phone number (digits, spaces, dashes, optional leading +)'),
)

/** A number with letters as the organisation advertises it (`1-800-THE-LOST`). */
export const VANITY_NUMBER = /^\+?[0-9A-Z]+(?:[ -][0-9A-Z]+)*$/
export const vanityNumber = v.pipe(
  v.string('expected a string'),
  v.maxLength(DIRECTORY_LIMITS.phone, 'too long'),
  v.regex(VANITY_NUMBER, 'not a vanity number'),
)

export const MISSING_NOTE = 'an unverified entry needs a note saying what is unchecked'

/**
 * Provenance every entry carries, at every level (organisation, service, contact, country): a
 * public page that states the fact, the day a person last checked it there, and whether they could.
 */
export const provenance = {
  source_url: v.pipe(httpsUrl, v.description("The public page that states this entry's facts.")),
  verified_at: v.pipe(
    isoDate,
    v.description('The day a person last checked the facts against source_url (YYYY-MM-DD).'),
  ),
  status: v.pipe(
    v.picklist(VERIFICATION_STATUSES, 'not verified or unverified'),
    v.description(
      'verified: confirmed on source_url. unverified: seen but not confirmed there; never shown in the crisis path.',
    ),
  ),
  note: v.optional(
    v.pipe(
      text(DIRECTORY_LIMITS.longText),
      v.description('Why the entry is unverified, or what a reviewer must know.'),
    ),
  ),
}
