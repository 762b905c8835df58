import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import emergencyJson from '../../resources/emergency-numbers.json'
import organizationsJson from '../../resources/organizations.json'
import {
  DirectoryError,
  type DirectoryFile,
  parseDirectoryFile,
  parseEmergencyNumbersFile,
  parseResourceFile,
  resourceJsonSchema,
  TOPICS,
} from '.'

/** A small valid directory every rejection below starts from, so each test changes one thing. */
const valid = (): DirectoryFile => ({
  format: 'heard-directory',
  version: 1,
  organizations: [
    {
      id: 'example',
      name: 'Example',
      description: 'A made-up organisation.',
      website: 'https://example.org',
      source_url: 'https://example.org/about',
      verified_at: '2026-11-30',
      status: 'verified',
      services: [
        {
          id: 'example-line',
          name: 'Example line',
          description: 'A made-up service.',
          topics: ['emotional_support', 'online_harassment'],
          service_areas: [{ scope: 'country', name: 'Germany', country: 'DE' }],
          languages: [{ code: 'de' }],
          contacts: [
            {
              type: 'phone',
              number: '030 252 088 38',
              countries: ['DE'],
              available_24_7: false,
              schedules: [
                {
                  freq: 'WEEKLY',
                  byday: 'MO,TU,WE',
                  opens_at: '10:00',
                  closes_at: '16:00',
                  timezone: 'Europe/Berlin',
                },
              ],
              source_url: 'https://example.org/contact',
              verified_at: '2026-11-30',
              status: 'verified',
            },
            {
              type: 'email',
              email: 'help@example.org',
              source_url: 'https://example.org/contact',
              verified_at: '2026-11-30',
              status: 'unverified',
              note: 'Not yet seen on the organisation’s own page.',
            },
          ],
          source_url: 'https://example.org/services',
          verified_at: '2026-11-30',
          status: 'verified',
        },
      ],
    },
  ],
})

/** Runs `parse` and returns the DirectoryError it threw (failing the test if it threw none). */
function refusal(parse: () => unknown): DirectoryError {
  try {
    parse()
  } catch (error) {
    expect(error).toBeInstanceOf(DirectoryError)
    return error as DirectoryError
  }
  throw new Error('expected a DirectoryError, but the input was accepted')
}

const firstService = (file: DirectoryFile) => file.organizations[0]?.services[0] as Record<string, unknown>
const firstContact = (file: DirectoryFile) =>
  file.organizations[0]?.services[0]?.contacts[0] as unknown as Record<string, unknown>

describe('referral directory schema', () => {
  it('accepts the committed directory and emergency numbers', () => {
    expect(parseDirectoryFile(organizationsJson).organizations.length).toBeGreaterThan(0)
    expect(parseEmergencyNumbersFile(emergencyJson).countries.length).toBeGreaterThanOrEqual(200)
    expect(parseResourceFile(organizationsJson).format).toBe('heard-directory')
    expect(parseResourceFile(emergencyJson).format).toBe('heard-emergency-numbers')
  })

  it('accepts the small valid directory the other tests mutate', () => {
    expect(parseDirectoryFile(valid())).toEqual(valid())
  })

  it('refuses an entry without source_url, naming the entry', () => {
    for (const drop of [
      (f: DirectoryFile) => delete (f.organizations[0] as Record<string, unknown> | undefined)?.source_url,
      (f: DirectoryFile) => delete firstService(f).source_url,
      (f: DirectoryFile) => delete firstContact(f).source_url,
    ]) {
      const file = valid()
      drop(file)
      const [issue] = refusal(() => parseDirectoryFile(file)).issues
      expect(issue?.rule).toBe('missing: every entry cites a public source')
      expect(issue?.entry).toMatch(/^organization "example"/)
      expect(issue?.path).toMatch(/source_url$/)
    }
  })

  it('refuses an unknown topic and a malformed phone number', () => {
    const topic = valid()
    firstService(topic).topics = ['emotional_support', 'cyberbullying']
    expect(refusal(() => parseDirectoryFile(topic)).issues[0]).toEqual({
      path: 'organizations[0].services[0].topics[1]',
      entry: 'organization "example" › service "example-line"',
      rule: 'unknown topic',
    })
    for (const number of ['030-CALL-US', '+', '12  34', '(030) 1234', '']) {
      const phone = valid()
      firstContact(phone).number = number
      const [issue] = refusal(() => parseDirectoryFile(phone)).issues
      expect(issue?.entry).toBe('organization "example" › service "example-line" › contact 1 (phone)')
    }
  })

  it('refuses an unverified entry without a note saying why', () => {
    const file = valid()
    const email = file.organizations[0]?.services[0]?.contacts[1] as Record<string, unknown>
    delete email.note
    expect(refusal(() => parseDirectoryFile(file)).issues[0]?.rule).toMatch(/needs a note/)
  })

  it('refuses repeated ids, topics and countries', () => {
    const org = valid()
    const first = org.organizations[0]
    if (first)
      org.organizations.push({ ...first, services: [{ ...first.services[0], id: 'other' } as never] })
    expect(refusal(() => parseDirectoryFile(org)).issues[0]?.rule).toBe('two organisations share this id')

    const service = valid()
    const s = service.organizations[0]
    if (s) service.organizations.push({ ...s, id: 'example-two' })
    expect(refusal(() => parseDirectoryFile(service)).issues[0]).toMatchObject({
      path: 'organizations[1].services[0]',
      rule: 'two services share this id',
    })

    const topics = valid()
    firstService(topics).topics = ['stalking', 'stalking']
    expect(refusal(() => parseDirectoryFile(topics)).issues[0]?.rule).toBe('a topic is listed twice')
  })

  it('refuses links that are not https, so no javascript: or http: reaches an href', () => {
    for (const url of [
      'http://example.org',
      'javascript:alert(1)',
      'https://',
      'data:text/html,x',
      'https://x',
    ]) {
      const file = valid()
      firstContact(file).source_url = url
      expect(refusal(() => parseDirectoryFile(file)).issues[0]?.rule).toBe('not an https URL')
    }
  })

  it('refuses dates that are not on the calendar', () => {
    for (const date of ['2026-02-30', '2026-13-01', '26-11-30', '2026-11-30T00:00:00Z']) {
      const file = valid()
      firstContact(file).verified_at = date
      refusal(() => parseDirectoryFile(file))
    }
  })

  it('refuses a file whose format it does not know, and an unknown version', () => {
    expect(refusal(() => parseResourceFile({ format: 'hsds', organizations: [] })).issues[0]?.path).toBe(
      'format',
    )
    expect(refusal(() => parseDirectoryFile({ ...valid(), version: 2 })).issues[0]?.path).toBe('version')
  })

  it('keeps the topic codes stable (wire constants)', () => {
    expect(TOPICS).toEqual([
      'online_harassment',
      'doxxing',
      'sexual_harassment',
      'threats_of_violence',
      'hate_speech',
      'stalking',
      'suicide_self_harm_crisis',
      'legal_help',
      'digital_security',
      'emotional_support',
    ])
  })

  it('generates a JSON Schema that lists the same topics and requires provenance', () => {
    const schema = JSON.stringify(resourceJsonSchema('directory.schema.json'))
    for (const topic of TOPICS) expect(schema).toContain(`"${topic}"`)
    expect(schema).toContain('"source_url"')
    expect(schema).toContain('"additionalProperties":false')
  })
})

/** Every place in a JSON value, as the keys that lead to it. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const here = [prefix]
  if (Array.isArray(value)) return here.concat(value.flatMap((v, i) => paths(v, [...prefix, i])))
  if (typeof value === 'object' && value !== null)
    return here.concat(Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k])))
  return here
}

type Mutation = { at: number; op: 'replace' | 'delete' | 'add'; key: string; value: unknown }

/** Applies a mutation in place; returns the (possibly replaced) root. */
function mutate(root: unknown, m: Mutation): unknown {
  const all = paths(root)
  const target = all[m.at % all.length] ?? []
  if (target.length === 0) return m.op === 'replace' ? m.value : root
  const parentPath = target.slice(0, -1)
  const last = target[target.length - 1] as string | number
  let parent = root as Record<string | number, unknown>
  for (const k of parentPath) parent = parent[k] as Record<string | number, unknown>
  if (m.op === 'replace') parent[last] = m.value
  else if (m.op === 'delete' && Array.isArray(parent)) parent.splice(last as number, 1)
  else if (m.op === 'delete') delete parent[last]
  else if (typeof parent[last] === 'object' && parent[last] !== null && !Array.isArray(parent[last]))
    (parent[last] as Record<string, unknown>)[m.key] = m.value
  else if (Array.isArray(parent[last])) (parent[last] as unknown[]).push(m.value)
  else parent[last] = m.value
  return root
}

const MARKER = 'Ⓜ︎leak-check'

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('replace', 'delete', 'add'),
  key: fc.oneof(
    fc.string(),
    fc.constantFrom('source_url', 'status', 'note', '__proto__', 'constructor', 'type'),
  ),
  value: fc.oneof(
    fc.jsonValue(),
    fc.anything(),
    fc.constantFrom(
      MARKER,
      `${MARKER}@example.org`,
      `https://${MARKER}.org`,
      'unverified',
      'phone',
      'global',
      7,
    ),
  ),
})

/** Untrusted input (a community override from the network) must never crash a parser. */
describe('parsing untrusted directory data', () => {
  const expectOnlyTypedFailure = (parse: () => unknown) => {
    try {
      parse()
    } catch (error) {
      expect(error).toBeInstanceOf(DirectoryError)
      const issues = (error as DirectoryError).issues
      expect(issues.length).toBeGreaterThan(0)
      for (const issue of issues) {
        expect(typeof issue.path).toBe('string')
        expect(typeof issue.entry).toBe('string')
        expect(typeof issue.rule).toBe('string')
        // Every rule has a message of Heard's own; the fallback means a schema was added without one.
        expect(issue.rule).not.toMatch(/^invalid \(/)
      }
      // Refused values are never echoed: only ids and plain field names are quoted.
      expect((error as Error).message).not.toContain(MARKER)
      expect(JSON.stringify(issues)).not.toContain(MARKER)
    }
  }

  it('random mutations of a valid directory give a value or a DirectoryError, nothing else', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        const input = mutations.reduce<unknown>((root, m) => mutate(root, m), structuredClone(valid()))
        expectOnlyTypedFailure(() => parseDirectoryFile(input))
        expectOnlyTypedFailure(() => parseResourceFile(input))
      }),
      { numRuns: 500 },
    )
  })

  it('random mutations of the committed directory behave the same', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const input = mutations.reduce<unknown>(
          (root, m) => mutate(root, m),
          structuredClone(organizationsJson),
        )
        expectOnlyTypedFailure(() => parseDirectoryFile(input))
      }),
      { numRuns: 200 },
    )
  })

  it('random mutations of emergency entries give a value or a DirectoryError', () => {
    const small = { ...structuredClone(emergencyJson), countries: emergencyJson.countries.slice(0, 4) }
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const input = mutations.reduce<unknown>((root, m) => mutate(root, m), structuredClone(small))
        expectOnlyTypedFailure(() => parseEmergencyNumbersFile(input))
        expectOnlyTypedFailure(() => parseResourceFile(input))
      }),
      { numRuns: 300 },
    )
  })

  it('any value at all gives a value or a DirectoryError', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withMap: true, withSet: true }), (input) => {
        expectOnlyTypedFailure(() => parseDirectoryFile(input))
        expectOnlyTypedFailure(() => parseEmergencyNumbersFile(input))
        expectOnlyTypedFailure(() => parseResourceFile(input))
      }),
      { numRuns: 300 },
    )
  })

  it('a mutation that keeps the file valid keeps every entry’s provenance', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        let parsed: DirectoryFile
        try {
          parsed = parseDirectoryFile(mutate(structuredClone(valid()), m))
        } catch {
          return
        }
        for (const org of parsed.organizations) {
          for (const entry of [org, ...org.services, ...org.services.flatMap((s) => s.contacts)]) {
            expect(entry.source_url).toMatch(/^https:\/\//)
            expect(['verified', 'unverified']).toContain(entry.status)
            if (entry.status === 'unverified') expect(entry.note).toBeTruthy()
          }
        }
      }),
      { numRuns: 300 },
    )
  })
})
