import type { Contact, Organization, Service } from './directory.schema'
import type { EmergencyCountry, EmergencyNumber } from './emergency-numbers.schema'
import { COUNTRY_CODE } from './fields'
import { TOPICS, type Topic } from './topics'

/**
 * The referral matcher of issue #6: who to point a person to, computed on the device so nothing
 * about them (country, languages, harms) ever leaves it. Pure: no DOM, no Node, no clock, no
 * randomness, so the same directory and request give the same list on every device and in tests.
 *
 * Why the rules are what they are (resources/README.md, "How matching works", says it for
 * contributors):
 * - Urgent puts the country's emergency numbers first, then 24/7 crisis lines: someone in danger
 *   needs a line that answers now, before anything that fits their harm better.
 * - The urgent part shows only what a person verified on a public source: a service whose
 *   organisation and service are `verified`, through contacts that are themselves `verified` and
 *   flagged `available_24_7: true` (absent means unknown, and unknown is not good enough when
 *   someone is in danger). A wrong number in a crisis is harm, so an unverified emergency-number
 *   entry is left out entirely rather than shown lower.
 *   Among crisis lines, one that serves the country (or its region) comes before a global one: a
 *   local line knows local services; then more of the person's harms, then id.
 * - A phone or SMS number counts only in the countries it is listed for: a national or short
 *   number dialled abroad reaches nobody. Without a country no number can be offered at all, which
 *   is why the result says `countryKnown: false` and the UI asks instead of guessing. There is no
 *   fallback to IP geolocation: the matcher never sees an IP, and a guessed country would give a
 *   confident wrong emergency number.
 * - Below the urgent part, nearer is better (country, then region, then global), and in the
 *   person's country a service in a language they read comes first. Languages compare by primary
 *   subtag (`pt-BR` reads `pt`), because a directory records `pt` and a browser says `pt-BR`.
 *   Languages not recorded count as "other language", never as "any language".
 * - Within a tier: verified before unverified (unverified entries are listed only below verified
 *   ones, marked by `verified: false` and each contact's own `status`), then more of the person's
 *   harms first, then service id, compared by code unit so the order does not depend on a locale.
 * - Harms filter outside the urgent part: a service sharing none of the person's harms is not a
 *   referral for them. No harms given means every harm.
 * - Each service appears once, in its best tier; a service with no contact usable in the person's
 *   country is dropped, since it would be a referral nobody can reach.
 *
 * `prepareDirectory` does the per-directory work once (grouping by country, topic bit masks,
 * primary language subtags, a total order by id, each service's contacts per country) so that
 * `match` touches only the services that can serve the person's country and never sorts by
 * string. Contact lists are frozen because they are shared by every result that lists them.
 */

export const MATCH_REASONS = [
  'emergency',
  'crisis_24_7',
  'country_language',
  'country',
  'region',
  'global',
] as const
export type MatchReason = (typeof MATCH_REASONS)[number]
export type ServiceReason = Exclude<MatchReason, 'emergency'>
/** The part of the list shown under "In danger right now?": only verified entries ever land here. */
export const URGENT_REASONS: readonly MatchReason[] = ['emergency', 'crisis_24_7']

/** Through which of its service areas a service serves the person. */
export type AreaScope = 'country' | 'region' | 'global'

/** Topics a line must have to count as a crisis line when the person is in danger. */
export const CRISIS_TOPICS: readonly Topic[] = ['suicide_self_harm_crisis', 'emotional_support']

/** A loaded directory: organisations (global plus any overrides) and the emergency numbers. */
export interface DirectoryData {
  readonly organizations: readonly Organization[]
  readonly emergency: readonly EmergencyCountry[]
}

export interface MatchRequest {
  /** ISO 3166-1 alpha-2 the person chose; absent or malformed means unknown (never guessed). */
  readonly country?: string | undefined
  /** BCP 47 tags the person reads; compared by primary subtag. */
  readonly languages: readonly string[]
  /** Topic codes (shared/directory/topics.ts); unknown codes are ignored. Empty means any. */
  readonly harms: readonly string[]
  readonly urgent: boolean
}

export interface EmergencyMatch {
  readonly reason: 'emergency'
  readonly country: string
  /** All of them: a country may type none as ambulance (Korea), so the UI offers every one. */
  readonly numbers: readonly EmergencyNumber[]
  readonly entry: EmergencyCountry
}

export interface ServiceMatch {
  readonly reason: ServiceReason
  readonly organization: Organization
  readonly service: Service
  readonly scope: AreaScope
  /**
   * The contacts usable in the person's country, verified ones first. In `crisis_24_7`, verified
   * ones only, 24/7 ones first. Elsewhere an unverified contact may be listed; the UI marks it.
   */
  readonly contacts: readonly Contact[]
  /** The organisation and the service are both verified. */
  readonly verified: boolean
  /** The person's harms this service lists, in taxonomy order. */
  readonly matchedHarms: readonly Topic[]
  /** The service (or one of its contacts) records a language the person reads. */
  readonly readsLanguage: boolean
}

export type Match = EmergencyMatch | ServiceMatch

export interface MatchResult {
  /** False when the person chose no country: the list is global only, and the UI should ask. */
  readonly countryKnown: boolean
  readonly country: string | null
  /** False when there is no verified emergency entry for the country: the UI must say so plainly. */
  readonly emergencyNumberKnown: boolean
  /** Ordered by MATCH_REASONS, then as the header says. */
  readonly matches: readonly Match[]
}

interface Entry {
  readonly organization: Organization
  readonly service: Service
  readonly verified: boolean
  readonly languages: readonly string[]
  /** Contacts usable in a country where one of its numbers is dialled, and usable anywhere else. */
  readonly contactsIn: ReadonlyMap<string, readonly Contact[]>
  readonly contactsElsewhere: readonly Contact[]
  /** The same for the crisis part: verified contacts only, 24/7 ones first. */
  readonly crisisIn: ReadonlyMap<string, readonly Contact[]>
  readonly crisisElsewhere: readonly Contact[]
}

/** What a country sees, prepared once, as lists of entry positions (`order`, in id order). */
interface CountryView {
  readonly local: Int32Array
  /** Region services that do not also serve the country directly. */
  readonly regional: Int32Array
  /** Global services already in `local` or `regional`. */
  readonly shadowed: ReadonlySet<number>
  /** Services with a number dialled in the country, and crisis services with a 24/7 one. */
  readonly dialled: ReadonlySet<number>
  readonly crisisDialled: ReadonlySet<number>
}

declare const indexBrand: unique symbol

/**
 * What `prepareDirectory` builds; opaque, read-only, reusable for any number of matches. The hot
 * loop reads typed arrays by position instead of walking 50,000 objects: on a busy phone, memory
 * access rather than arithmetic is what a match costs.
 */
export interface DirectoryIndex {
  readonly [indexBrand]: true
  readonly entries: readonly Entry[]
  readonly topics: Uint16Array
  readonly flags: Uint8Array
  /** Bit i: reads the i-th language in `languageBits`; languages past the 31st set LANGUAGE_OVERFLOW. */
  readonly languages: Int32Array
  readonly languageBits: ReadonlyMap<string, number>
  readonly countries: ReadonlyMap<string, CountryView>
  readonly worldwide: Int32Array
  readonly emergency: ReadonlyMap<string, EmergencyCountry>
}

const VERIFIED = 1
/** Has a verified 24/7 contact that is not a number (chat, web, e-mail) in a crisis service. */
const CRISIS_ANYWHERE = 2
/** Has a contact that is not a number, so it is reachable from any country. */
const REACHABLE_ANYWHERE = 4
const LANGUAGE_OVERFLOW = 8
const LANGUAGE_WORD = 31

const TOPIC_BIT: ReadonlyMap<string, number> = new Map(TOPICS.map((t, i) => [t, 1 << i]))
const CRISIS_MASK = CRISIS_TOPICS.reduce((mask, t) => mask | (TOPIC_BIT.get(t) ?? 0), 0)
/** Every subset of the taxonomy as a frozen list, and its size, so a match allocates neither. */
const TOPIC_LISTS: readonly (readonly Topic[])[] = Array.from({ length: 1 << TOPICS.length }, (_, mask) =>
  Object.freeze(TOPICS.filter((_, i) => (mask & (1 << i)) !== 0)),
)
const TOPIC_COUNT = Uint8Array.from(TOPIC_LISTS, (list) => list.length)

const primary = (tag: string): string => {
  const dash = tag.indexOf('-')
  return (dash === -1 ? tag : tag.slice(0, dash)).toLowerCase()
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
const isDialled = (c: Contact): c is Extract<Contact, { countries: string[] }> =>
  c.type === 'phone' || c.type === 'sms'
/** A number dialled as written reaches someone only in the countries it is listed for. */
const usableIn = (country: string | null) => (c: Contact) =>
  isDialled(c) ? country !== null && c.countries.includes(country) : true
const h24First = (a: Contact, b: Contact) =>
  Number(b.available_24_7 === true) - Number(a.available_24_7 === true)

/** Builds the index once per directory version; reads its input and never changes it. */
export function prepareDirectory(dir: DirectoryData): DirectoryIndex {
  const flat: { organization: Organization; service: Service }[] = []
  for (const organization of dir.organizations)
    for (const service of organization.services) flat.push({ organization, service })
  flat.sort((a, b) => byCodeUnit(a.service.id, b.service.id))

  const entries: Entry[] = []
  const topicsOf = new Uint16Array(flat.length)
  const flags = new Uint8Array(flat.length)
  const languageMasks = new Int32Array(flat.length)
  const languageBits = new Map<string, number>()
  const local = new Map<string, number[]>()
  const regional = new Map<string, number[]>()
  const dialled = new Map<string, Set<number>>()
  const crisisDialled = new Map<string, Set<number>>()
  const worldwide: number[] = []
  const add = <T>(map: Map<string, T>, key: string, empty: () => T): T => {
    const found = map.get(key)
    if (found !== undefined) return found
    const value = empty()
    map.set(key, value)
    return value
  }

  flat.forEach(({ organization, service }, order) => {
    const verified = organization.status === 'verified' && service.status === 'verified'
    let topics = 0
    for (const t of service.topics) topics |= TOPIC_BIT.get(t) ?? 0
    const languages = new Set<string>()
    for (const l of service.languages ?? []) languages.add(primary(l.code))
    for (const c of service.contacts) for (const l of c.languages ?? []) languages.add(primary(l.code))
    const checked = verified ? service.contacts.filter((c) => c.status === 'verified') : []
    const contacts = [...checked, ...service.contacts.filter((c) => !checked.includes(c))]
    const isCrisis = verified && (topics & CRISIS_MASK) !== 0
    const h24 = isCrisis ? checked.filter((c) => c.available_24_7 === true) : []

    const dialledCountries = new Set(contacts.flatMap((c) => (isDialled(c) ? c.countries : [])))
    const contactsIn = new Map<string, readonly Contact[]>()
    const crisisIn = new Map<string, readonly Contact[]>()
    for (const country of dialledCountries) {
      const usable = usableIn(country)
      contactsIn.set(country, Object.freeze(contacts.filter(usable)))
      crisisIn.set(country, Object.freeze(checked.filter(usable).sort(h24First)))
      add(dialled, country, () => new Set()).add(order)
      if (h24.some((c) => isDialled(c) && c.countries.includes(country)))
        add(crisisDialled, country, () => new Set()).add(order)
    }
    const nowhere = usableIn(null)
    entries.push({
      organization,
      service,
      verified,
      languages: [...languages],
      contactsIn,
      contactsElsewhere: Object.freeze(contacts.filter(nowhere)),
      crisisIn,
      crisisElsewhere: Object.freeze(checked.filter(nowhere).sort(h24First)),
    })
    topicsOf[order] = topics
    let overflow = false
    for (const l of languages) {
      if (!languageBits.has(l) && languageBits.size < LANGUAGE_WORD) languageBits.set(l, languageBits.size)
      const bit = languageBits.get(l)
      if (bit === undefined) overflow = true
      else languageMasks[order] = (languageMasks[order] as number) | (1 << bit)
    }
    flags[order] =
      (overflow ? LANGUAGE_OVERFLOW : 0) |
      (verified ? VERIFIED : 0) |
      (h24.some(nowhere) ? CRISIS_ANYWHERE : 0) |
      (contacts.some(nowhere) ? REACHABLE_ANYWHERE : 0)

    const countries = new Set<string>()
    const regionCountries = new Set<string>()
    let isGlobal = false
    for (const area of service.service_areas) {
      if (area.scope === 'country') countries.add(area.country)
      else if (area.scope === 'region') for (const c of area.countries) regionCountries.add(c)
      else isGlobal = true
    }
    for (const c of countries) add(local, c, () => []).push(order)
    for (const c of regionCountries) if (!countries.has(c)) add(regional, c, () => []).push(order)
    if (isGlobal) worldwide.push(order)
  })

  const globalSet = new Set(worldwide)
  const countries = new Map<string, CountryView>()
  for (const c of new Set([...local.keys(), ...regional.keys(), ...dialled.keys()])) {
    const near = [...(local.get(c) ?? []), ...(regional.get(c) ?? [])]
    countries.set(c, {
      local: Int32Array.from(local.get(c) ?? []),
      regional: Int32Array.from(regional.get(c) ?? []),
      shadowed: new Set(near.filter((o) => globalSet.has(o))),
      dialled: dialled.get(c) ?? new Set(),
      crisisDialled: crisisDialled.get(c) ?? new Set(),
    })
  }

  const emergency = new Map<string, EmergencyCountry>()
  for (const e of dir.emergency)
    if (e.status === 'verified' && !emergency.has(e.country)) emergency.set(e.country, e)

  return {
    entries,
    topics: topicsOf,
    flags,
    languages: languageMasks,
    languageBits,
    countries,
    worldwide: Int32Array.from(worldwide),
    emergency,
  } as unknown as DirectoryIndex
}

/**
 * A candidate's whole rank in one float, so a tier sorts as numbers (Float64Array, no comparator):
 * tier, then a sub-rank (verified for ordinary tiers, scope for crisis lines), then fewer missing
 * harms, then id order. All terms stay below 2^53, so the float is exact.
 */
const TIER = 2 ** 33
const SUB = 2 ** 30
/** Orders fit below this: DIRECTORY_LIMITS allows at most 100,000 × 500 = 5·10^7 services. */
const HARMS = 2 ** 26
const TIERS: readonly ServiceReason[] = ['crisis_24_7', 'country_language', 'country', 'region', 'global']
const SCOPES: readonly AreaScope[] = ['country', 'region', 'global']
const NO_VIEW: CountryView = {
  local: new Int32Array(0),
  regional: new Int32Array(0),
  shadowed: new Set(),
  dialled: new Set(),
  crisisDialled: new Set(),
}

/** The ranked referrals for one person; see the header for the rules. Never throws on odd input. */
export function match(index: DirectoryIndex, request: MatchRequest): MatchResult {
  const raw = typeof request.country === 'string' ? request.country.toUpperCase() : ''
  const country = COUNTRY_CODE.test(raw) ? raw : null
  let wanted = 0
  for (const h of request.harms) wanted |= TOPIC_BIT.get(h) ?? 0
  const reads = new Set<string>()
  let readsMask = 0
  let readsOther = false
  for (const l of request.languages)
    if (typeof l === 'string') {
      const p = primary(l)
      reads.add(p)
      const bit = index.languageBits.get(p)
      if (bit === undefined) readsOther = true
      else readsMask |= 1 << bit
    }
  const { topics, flags, entries, languages } = index
  const readsAny = (o: number): boolean => {
    if (((languages[o] as number) & readsMask) !== 0) return true
    if (!readsOther || ((flags[o] as number) & LANGUAGE_OVERFLOW) === 0) return false
    for (const l of (entries[o] as Entry).languages) if (reads.has(l)) return true
    return false
  }

  const emergencyEntry = country === null ? undefined : index.emergency.get(country)
  const matches: Match[] = []
  if (request.urgent && emergencyEntry !== undefined)
    matches.push({
      reason: 'emergency',
      country: emergencyEntry.country,
      numbers: emergencyEntry.numbers,
      entry: emergencyEntry,
    })

  const view = (country === null ? undefined : index.countries.get(country)) ?? NO_VIEW
  const urgent = request.urgent
  const keys = new Float64Array(view.local.length + view.regional.length + index.worldwide.length)
  let n = 0
  const rank = (o: number, scope: number) => {
    const harms = TOPIC_COUNT[(topics[o] as number) & wanted] as number
    const f = flags[o] as number
    if (urgent && ((f & CRISIS_ANYWHERE) !== 0 || view.crisisDialled.has(o))) {
      keys[n++] = scope * SUB + (15 - harms) * HARMS + o
      return
    }
    if (wanted !== 0 && harms === 0) return
    if ((f & REACHABLE_ANYWHERE) === 0 && !view.dialled.has(o)) return
    const tier = scope === 0 ? (readsAny(o) ? 1 : 2) : scope + 2
    keys[n++] = tier * TIER + ((f & VERIFIED) !== 0 ? 0 : SUB) + (15 - harms) * HARMS + o
  }
  for (const o of view.local) rank(o, 0)
  for (const o of view.regional) rank(o, 1)
  const shadowed = view.shadowed.size > 0 ? view.shadowed : null
  for (const o of index.worldwide) if (shadowed === null || !shadowed.has(o)) rank(o, 2)

  for (const key of keys.subarray(0, n).sort()) {
    const tier = Math.floor(key / TIER)
    const sub = Math.floor((key % TIER) / SUB)
    const o = key % HARMS
    const e = entries[o] as Entry
    const reason = TIERS[tier] as ServiceReason
    const crisis = reason === 'crisis_24_7'
    // Most services have no number dialled here: the view's small set says so without a lookup.
    const dialledHere = country !== null && view.dialled.has(o)
    const contacts = crisis
      ? ((dialledHere ? e.crisisIn.get(country) : undefined) ?? e.crisisElsewhere)
      : ((dialledHere ? e.contactsIn.get(country) : undefined) ?? e.contactsElsewhere)
    matches.push({
      reason,
      organization: e.organization,
      service: e.service,
      scope: crisis ? (SCOPES[sub] as AreaScope) : tier <= 2 ? 'country' : (SCOPES[tier - 2] as AreaScope),
      contacts,
      verified: e.verified,
      matchedHarms: TOPIC_LISTS[(topics[o] as number) & wanted] ?? [],
      readsLanguage: readsAny(o),
    })
  }

  return {
    countryKnown: country !== null,
    country,
    emergencyNumberKnown: emergencyEntry !== undefined,
    matches,
  }
}
