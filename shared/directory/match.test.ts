import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import emergencyJson from '../../resources/emergency-numbers.json'
import organizationsJson from '../../resources/organizations.json'
import type { Contact, Organization, Service, ServiceArea } from './directory.schema'
import type { EmergencyCountry } from './emergency-numbers.schema'
import type { VerificationStatus } from './fields'
import {
  type DirectoryData,
  MATCH_REASONS,
  type Match,
  type MatchRequest,
  match,
  prepareDirectory,
  type ServiceMatch,
  URGENT_REASONS,
} from './match'
import { parseDirectoryFile, parseEmergencyNumbersFile } from './parse'
import { TOPICS, type Topic } from './topics'

const provenance = (status: VerificationStatus = 'verified') => ({
  source_url: 'https://example.org/source',
  verified_at: '2026-11-30',
  status,
  ...(status === 'unverified' ? { note: 'not checked yet' } : {}),
})

const phone = (
  number: string,
  countries: string[],
  opts: { h24?: boolean; status?: VerificationStatus } = {},
): Contact => ({
  type: 'phone',
  number,
  countries,
  ...(opts.h24 === undefined ? {} : { available_24_7: opts.h24 }),
  ...provenance(opts.status),
})
const web = (url: string, opts: { h24?: boolean; status?: VerificationStatus } = {}): Contact => ({
  type: 'web',
  url,
  ...(opts.h24 === undefined ? {} : { available_24_7: opts.h24 }),
  ...provenance(opts.status),
})

const country = (code: string): ServiceArea => ({ scope: 'country', name: code, country: code })
const region = (...codes: string[]): ServiceArea => ({ scope: 'region', name: 'Region', countries: codes })
const GLOBAL: ServiceArea = { scope: 'global', name: 'Worldwide' }

function service(
  id: string,
  opts: {
    topics?: Topic[]
    areas: ServiceArea[]
    languages?: string[]
    contacts?: Contact[]
    status?: VerificationStatus
  },
): Service {
  return {
    id,
    name: id,
    description: 'A made-up service.',
    topics: opts.topics ?? ['online_harassment'],
    service_areas: opts.areas,
    ...(opts.languages ? { languages: opts.languages.map((code) => ({ code })) } : {}),
    contacts: opts.contacts ?? [web(`https://${id}.example.org`)],
    ...provenance(opts.status),
  }
}

const org = (id: string, services: Service[], status: VerificationStatus = 'verified'): Organization => ({
  id,
  name: id,
  description: 'A made-up organisation.',
  website: `https://${id}.example.org`,
  services,
  ...provenance(status),
})

const emergency = (
  code: string,
  number: string,
  status: VerificationStatus = 'verified',
): EmergencyCountry => ({
  country: code,
  numbers: [{ number, types: ['police', 'ambulance', 'fire'] }],
  source_ref: 'test',
  ...provenance(status),
})

/** Each service in its own verified organisation, which is what most tests need. */
const dirOf = (services: Service[], numbers: EmergencyCountry[] = []): DirectoryData => ({
  organizations: services.map((s) => org(`org-${s.id}`, [s])),
  emergency: numbers,
})

const run = (dir: DirectoryData, request: Partial<MatchRequest>) =>
  match(prepareDirectory(dir), { languages: [], harms: [], urgent: false, ...request })

const ids = (matches: readonly Match[]) =>
  matches.map((m) => (m.reason === 'emergency' ? `emergency:${m.country}` : `${m.reason}:${m.service.id}`))

describe('match: the rules of issue #6', () => {
  const crisisAU = service('lifeline-au', {
    topics: ['suicide_self_harm_crisis'],
    areas: [country('AU')],
    contacts: [phone('13 11 14', ['AU'], { h24: true })],
  })
  const crisisGlobal = service('global-chat', {
    topics: ['emotional_support'],
    areas: [GLOBAL],
    contacts: [web('https://chat.example.org', { h24: true })],
  })
  const localHelp = service('local-help', { areas: [country('AU')] })
  const globalHelp = service('global-help', { areas: [GLOBAL] })

  it('urgent puts the emergency numbers first, then 24/7 crisis lines (local before global)', () => {
    const dir = dirOf([globalHelp, localHelp, crisisGlobal, crisisAU], [emergency('AU', '000')])
    const result = run(dir, { country: 'AU', urgent: true })
    expect(ids(result.matches)).toEqual([
      'emergency:AU',
      'crisis_24_7:lifeline-au',
      'crisis_24_7:global-chat',
      'country:local-help',
      'global:global-help',
    ])
    expect(result.emergencyNumberKnown).toBe(true)
  })

  it('without urgency there is no emergency or crisis part; crisis lines rank like any service', () => {
    const dir = dirOf([globalHelp, localHelp, crisisGlobal, crisisAU], [emergency('AU', '000')])
    const result = run(dir, { country: 'AU' })
    expect(ids(result.matches)).toEqual([
      'country:lifeline-au',
      'country:local-help',
      'global:global-chat',
      'global:global-help',
    ])
  })

  it('never puts an unverified organisation, service, contact or emergency entry in the crisis part', () => {
    const unverifiedService = service('unverified-line', {
      topics: ['suicide_self_harm_crisis'],
      areas: [country('AU')],
      status: 'unverified',
      contacts: [phone('13 00 00', ['AU'], { h24: true })],
    })
    const unverifiedContact = service('unverified-contact', {
      topics: ['suicide_self_harm_crisis'],
      areas: [country('AU')],
      contacts: [
        phone('13 00 01', ['AU'], { h24: true, status: 'unverified' }),
        web('https://x.example.org'),
      ],
    })
    const unverifiedOrg = service('unverified-org', {
      topics: ['emotional_support'],
      areas: [GLOBAL],
      contacts: [web('https://y.example.org', { h24: true })],
    })
    const hoursUnknown = service('hours-unknown', {
      topics: ['suicide_self_harm_crisis'],
      areas: [country('AU')],
      contacts: [phone('13 00 02', ['AU'])],
    })
    const dir: DirectoryData = {
      organizations: [
        org('a', [unverifiedService, unverifiedContact, hoursUnknown]),
        org('b', [unverifiedOrg], 'unverified'),
      ],
      emergency: [emergency('AU', '000', 'unverified')],
    }
    const result = run(dir, { country: 'AU', urgent: true })
    expect(result.matches.filter((m) => URGENT_REASONS.includes(m.reason))).toEqual([])
    expect(result.emergencyNumberKnown).toBe(false)
    // Lower down they may appear, below verified entries and marked.
    expect(ids(result.matches)).toEqual([
      'country:hours-unknown',
      'country:unverified-contact',
      'country:unverified-line',
      'global:unverified-org',
    ])
    const line = result.matches.find((m) => m.reason !== 'emergency' && m.service.id === 'unverified-line')
    expect(line).toMatchObject({ verified: false })
  })

  it('a crisis entry lists only verified contacts usable in the country, 24/7 first', () => {
    const mixed = service('mixed', {
      topics: ['emotional_support'],
      areas: [country('GB'), country('IE')],
      contacts: [
        web('https://mixed.example.org'),
        phone('116 123', ['GB', 'IE'], { h24: true }),
        phone('0800 000', ['GB'], { h24: true, status: 'unverified' }),
        phone('1800 000', ['IE'], { h24: true }),
      ],
    })
    const [line] = run(dirOf([mixed]), { country: 'GB', urgent: true }).matches as ServiceMatch[]
    expect(line?.reason).toBe('crisis_24_7')
    expect(line?.contacts.map((c) => (c.type === 'phone' ? c.number : c.type))).toEqual(['116 123', 'web'])
  })

  it('matches languages by primary subtag: pt-BR reads pt, and pt reads pt-PT', () => {
    const pt = service('pt-line', { areas: [country('BR')], languages: ['pt'] })
    const ptPT = service('pt-pt-line', { areas: [country('BR')], contacts: [], languages: [] })
    ptPT.contacts.push({ ...web('https://pt.example.org'), languages: [{ code: 'pt-PT' }] })
    const en = service('en-line', { areas: [country('BR')], languages: ['en'] })
    const none = service('a-unrecorded', { areas: [country('BR')] })
    const byTag = (tag: string) =>
      ids(run(dirOf([en, none, pt, ptPT]), { country: 'br', languages: [tag] }).matches)
    expect(byTag('pt-BR')).toEqual([
      'country_language:pt-line',
      'country_language:pt-pt-line',
      'country:a-unrecorded',
      'country:en-line',
    ])
    expect(byTag('PT')).toEqual(byTag('pt-BR'))
    expect(byTag('en-GB')).toEqual([
      'country_language:en-line',
      'country:a-unrecorded',
      'country:pt-line',
      'country:pt-pt-line',
    ])
  })

  it('still matches languages when a directory records more than 31 of them', () => {
    const codes = Array.from(
      { length: 40 },
      (_, i) => `l${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
    )
    const services = codes.map((code) =>
      service(`svc-${code}`, { areas: [country('IN')], languages: [code] }),
    )
    for (const code of [codes[0], codes[39]] as string[]) {
      const result = run(dirOf(services), { country: 'IN', languages: [`${code}-IN`] })
      expect(ids(result.matches.filter((m) => m.reason === 'country_language'))).toEqual([
        `country_language:svc-${code}`,
      ])
      expect(result.matches).toHaveLength(40)
    }
  })

  it('ranks same country, then region, then global; a service appears once, in its best tier', () => {
    const everywhere = service('everywhere', { areas: [GLOBAL, region('DE', 'AT'), country('DE')] })
    const dach = service('dach', { areas: [region('DE', 'AT', 'CH'), GLOBAL] })
    const world = service('world', { areas: [GLOBAL] })
    const france = service('france', { areas: [country('FR')] })
    expect(ids(run(dirOf([world, dach, france, everywhere]), { country: 'DE' }).matches)).toEqual([
      'country:everywhere',
      'region:dach',
      'global:world',
    ])
    expect(ids(run(dirOf([world, dach, france, everywhere]), { country: 'CH' }).matches)).toEqual([
      'region:dach',
      'global:everywhere',
      'global:world',
    ])
  })

  it('falls back to global services when nothing serves the country', () => {
    const dir = dirOf([service('de-only', { areas: [country('DE')] }), service('world', { areas: [GLOBAL] })])
    const result = run(dir, { country: 'NZ', urgent: true })
    expect(ids(result.matches)).toEqual(['global:world'])
    expect(result).toMatchObject({ countryKnown: true, country: 'NZ', emergencyNumberKnown: false })
  })

  it('without a country: no country tiers, no emergency number, no phone numbers, and says so', () => {
    const dir = dirOf(
      [
        crisisAU,
        localHelp,
        service('world-phone', {
          topics: ['emotional_support'],
          areas: [GLOBAL],
          contacts: [phone('1-800-000-0000', ['US'], { h24: true })],
        }),
        service('world', {
          areas: [GLOBAL],
          contacts: [phone('1 800', ['US']), web('https://w.example.org')],
        }),
        crisisGlobal,
      ],
      [emergency('AU', '000')],
    )
    for (const country of [undefined, '', 'Australia', 'A1']) {
      const result = run(dir, { country, urgent: true })
      expect(result).toMatchObject({ countryKnown: false, country: null, emergencyNumberKnown: false })
      expect(ids(result.matches)).toEqual(['crisis_24_7:global-chat', 'global:world'])
      expect((result.matches[1] as ServiceMatch).contacts.map((c) => c.type)).toEqual(['web'])
    }
  })

  it('within a tier: verified first, then more of the person’s harms, then id; no shared harm, no match', () => {
    const two = service('z-two', { topics: ['doxxing', 'stalking', 'legal_help'], areas: [country('US')] })
    const one = service('a-one', { topics: ['doxxing'], areas: [country('US')] })
    const oneB = service('b-one', { topics: ['stalking', 'legal_help'], areas: [country('US')] })
    const none = service('c-none', { topics: ['legal_help'], areas: [country('US')] })
    const unverified = service('0-unverified', {
      topics: ['doxxing', 'stalking'],
      areas: [country('US')],
      status: 'unverified',
    })
    const result = run(dirOf([none, oneB, two, unverified, one]), {
      country: 'US',
      harms: ['stalking', 'doxxing', 'not-a-topic'],
    })
    expect(ids(result.matches)).toEqual([
      'country:z-two',
      'country:a-one',
      'country:b-one',
      'country:0-unverified',
    ])
    expect((result.matches[0] as ServiceMatch).matchedHarms).toEqual(['doxxing', 'stalking'])
    expect(ids(run(dirOf([none, two]), { country: 'US' }).matches)).toEqual([
      'country:c-none',
      'country:z-two',
    ])
  })

  it('breaks ties by id, whatever the order of the directory', () => {
    const services = ['b', 'a-2', 'a-10', 'c', 'a'].map((id) => service(id, { areas: [GLOBAL] }))
    const expected = ['global:a', 'global:a-10', 'global:a-2', 'global:b', 'global:c']
    expect(ids(run(dirOf(services), {}).matches)).toEqual(expected)
    expect(ids(run(dirOf([...services].reverse()), {}).matches)).toEqual(expected)
  })

  it('drops a service no one in the country can reach', () => {
    const usOnly = service('us-phone', { areas: [GLOBAL], contacts: [phone('1 800', ['US'])] })
    expect(ids(run(dirOf([usOnly]), { country: 'DE' }).matches)).toEqual([])
    expect(ids(run(dirOf([usOnly]), { country: 'US' }).matches)).toEqual(['global:us-phone'])
  })
})

describe('match: the committed directory', () => {
  const dir: DirectoryData = {
    organizations: parseDirectoryFile(organizationsJson).organizations,
    emergency: parseEmergencyNumbersFile(emergencyJson).countries,
  }
  const index = prepareDirectory(dir)

  it('urgent in Australia gives 000 first', () => {
    const result = match(index, { country: 'AU', languages: ['en-AU'], harms: [], urgent: true })
    const [first] = result.matches
    expect(first?.reason).toBe('emergency')
    expect(first?.reason === 'emergency' && first.numbers.map((n) => n.number)).toEqual(['000'])
  })

  it('urgent in the UK gives the emergency numbers, then the Samaritans’ 116 123', () => {
    const result = match(index, { country: 'GB', languages: ['en'], harms: [], urgent: true })
    expect(ids(result.matches).slice(0, 2)).toEqual(['emergency:GB', 'crisis_24_7:samaritans-helpline'])
    const samaritans = result.matches[1] as ServiceMatch
    expect(samaritans.contacts[0]).toMatchObject({ type: 'phone', number: '116 123' })
  })

  it('online harassment in German, in Germany: HateAid first, its unverified phone listed but not first', () => {
    const result = match(index, {
      country: 'DE',
      languages: ['de-DE'],
      harms: ['online_harassment'],
      urgent: false,
    })
    const [first] = result.matches as ServiceMatch[]
    expect(first).toMatchObject({ reason: 'country_language', verified: true })
    expect(first?.service.id).toBe('hateaid-counselling')
    expect(first?.contacts.map((c) => c.status)).toEqual(['verified', 'unverified', 'unverified'])
    const unverified = result.matches.filter((m) => m.reason !== 'emergency' && !m.verified)
    expect(unverified.length).toBeGreaterThan(0)
  })
})

// ---- properties over generated directories ----

const COUNTRIES = ['AU', 'BR', 'DE', 'GB', 'IE', 'US']
const LANGS = ['de', 'en', 'en-GB', 'pt', 'pt-BR', 'zh-Hant']

const status = fc.constantFrom<VerificationStatus>('verified', 'unverified')
const h24 = fc.option(fc.boolean(), { nil: undefined })
const someCountries = fc.subarray(COUNTRIES, { minLength: 1 })

const contactArb: fc.Arbitrary<Contact> = fc.oneof(
  fc
    .record({
      number: fc.constantFrom('000', '116 123', '030 252 088 38'),
      countries: someCountries,
      s: status,
      h: h24,
    })
    .map(({ number, countries, s, h }) =>
      phone(number, countries, { status: s, ...(h === undefined ? {} : { h24: h }) }),
    ),
  fc
    .record({ s: status, h: h24 })
    .map(({ s, h }) => web('https://example.org/w', { status: s, ...(h === undefined ? {} : { h24: h }) })),
)
const areaArb: fc.Arbitrary<ServiceArea> = fc.oneof(
  fc.constant(GLOBAL),
  someCountries.map((cs) => region(...cs)),
  fc.constantFrom(...COUNTRIES).map(country),
)
const serviceArb = fc.record({
  key: fc.nat(50),
  topics: fc.subarray([...TOPICS], { minLength: 1 }),
  areas: fc.array(areaArb, { minLength: 1, maxLength: 3 }),
  languages: fc.option(fc.subarray(LANGS), { nil: undefined }),
  contacts: fc.array(contactArb, { minLength: 1, maxLength: 3 }),
  status,
})
const directoryArb: fc.Arbitrary<DirectoryData> = fc
  .record({
    orgs: fc.array(fc.record({ status, services: fc.array(serviceArb, { minLength: 1, maxLength: 3 }) }), {
      maxLength: 8,
    }),
    emergency: fc
      .subarray(COUNTRIES)
      .chain((cs) => fc.tuple(...cs.map((c) => status.map((s) => emergency(c, '112', s))))),
  })
  .map(({ orgs, emergency: numbers }) => {
    let n = 0
    return {
      organizations: orgs.map((o, i) =>
        org(
          `org-${i}`,
          o.services.map((s) =>
            service(`s${s.key}-${n++}`, {
              topics: s.topics,
              areas: s.areas,
              ...(s.languages ? { languages: s.languages } : {}),
              contacts: s.contacts,
              status: s.status,
            }),
          ),
          o.status,
        ),
      ),
      emergency: numbers,
    }
  })
const requestArb: fc.Arbitrary<MatchRequest> = fc.record({
  country: fc.option(fc.constantFrom(...COUNTRIES, 'au', 'NZ', 'XXX', ''), { nil: undefined }),
  languages: fc.subarray([...LANGS, 'PT-br', 'x']),
  harms: fc.subarray([...TOPICS, 'bogus']),
  urgent: fc.boolean(),
})

const isUrgent = (m: Match) => URGENT_REASONS.includes(m.reason)

describe('match: properties', () => {
  it('never throws, and returns only entries and contacts of the directory', () => {
    fc.assert(
      fc.property(directoryArb, requestArb, (dir, request) => {
        const result = match(prepareDirectory(dir), request)
        const services = new Map(dir.organizations.flatMap((o) => o.services.map((s) => [s, o] as const)))
        const seen = new Set<Service>()
        for (const m of result.matches) {
          if (m.reason === 'emergency') {
            expect(dir.emergency).toContain(m.entry)
            continue
          }
          expect(services.get(m.service)).toBe(m.organization)
          expect(seen.has(m.service)).toBe(false)
          seen.add(m.service)
          for (const c of m.contacts) expect(m.service.contacts).toContain(c)
        }
      }),
    )
  })

  it('puts nothing unverified in the urgent part, and nothing there unless urgent', () => {
    fc.assert(
      fc.property(directoryArb, requestArb, (dir, request) => {
        for (const m of match(prepareDirectory(dir), request).matches.filter(isUrgent)) {
          expect(request.urgent).toBe(true)
          if (m.reason === 'emergency') {
            expect(m.entry.status).toBe('verified')
            continue
          }
          expect([m.organization.status, m.service.status, m.verified]).toEqual([
            'verified',
            'verified',
            true,
          ])
          expect(m.contacts.length).toBeGreaterThan(0)
          for (const c of m.contacts) expect(c.status).toBe('verified')
          expect(m.contacts[0]?.available_24_7).toBe(true)
        }
      }),
    )
  })

  it('respects the tier order, and without a country offers global entries only', () => {
    fc.assert(
      fc.property(directoryArb, requestArb, (dir, request) => {
        const result = match(prepareDirectory(dir), request)
        const ranks = result.matches.map((m) => MATCH_REASONS.indexOf(m.reason))
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
        const reads = new Set(request.languages.map((l) => l.split('-')[0]?.toLowerCase()))
        for (const m of result.matches) {
          if (m.reason === 'emergency') continue
          const tags = [
            ...(m.service.languages ?? []),
            ...m.service.contacts.flatMap((c) => c.languages ?? []),
          ]
          expect(m.readsLanguage).toBe(tags.some((l) => reads.has(l.code.split('-')[0]?.toLowerCase())))
          if (m.reason === 'country_language' || m.reason === 'country')
            expect(m.reason === 'country_language').toBe(m.readsLanguage)
        }
        if (!result.countryKnown)
          for (const m of result.matches) expect(m.reason !== 'emergency' && m.scope).toBe('global')
      }),
    )
  })

  it('is pure: the same input gives the same output, and inputs are not changed', () => {
    fc.assert(
      fc.property(directoryArb, requestArb, (dir, request) => {
        const dirBefore = structuredClone(dir)
        const requestBefore = structuredClone(request)
        const index = prepareDirectory(dir)
        const first = match(index, request)
        const second = match(index, request)
        const fresh = match(prepareDirectory(dir), request)
        expect(second).toEqual(first)
        expect(fresh).toEqual(first)
        expect(dir).toEqual(dirBefore)
        expect(request).toEqual(requestBefore)
      }),
    )
  })
})
