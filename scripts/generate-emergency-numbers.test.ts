import { readFileSync } from 'node:fs'
import libphonenumber from 'google-libphonenumber'
import { describe, expect, it } from 'vitest'
import { parseEmergencyNumbersFile } from '../shared/directory'
import {
  AOSP_ECCDATA,
  buildEmergencyNumbers,
  EMERGENCY_JSON,
  parseEccData,
  renderEmergencyNumbers,
} from './generate-emergency-numbers'

const committedText = readFileSync(EMERGENCY_JSON, 'utf8')
const committed = parseEmergencyNumbersFile(JSON.parse(committedText))
const source = readFileSync(AOSP_ECCDATA)
const numbersOf = (iso: string) => committed.countries.find((c) => c.country === iso)?.numbers ?? []

describe('emergency numbers generated from AOSP eccdata', () => {
  it('the committed file is exactly what the script generates now', () => {
    // If this fails: `npm run resources:emergency`, then review the diff like any data change.
    expect(committedText).toBe(renderEmergencyNumbers(source))
  })

  it('is deterministic and sorted by country code', () => {
    expect(JSON.stringify(buildEmergencyNumbers(source))).toBe(JSON.stringify(buildEmergencyNumbers(source)))
    const codes = committed.countries.map((c) => c.country)
    expect(codes).toEqual([...codes].sort())
    expect(new Set(codes).size).toBe(codes.length)
  })

  it('covers at least 200 countries and territories', () => {
    expect(committed.countries.length).toBeGreaterThanOrEqual(200)
  })

  it('keeps leading zeros: Australia is 000, a string', () => {
    expect(numbersOf('AU')).toContainEqual({ number: '000', types: ['police', 'ambulance', 'fire'] })
    for (const country of committed.countries)
      for (const n of country.numbers) expect(typeof n.number).toBe('string')
    expect(committedText).toContain('"number": "000"')
  })

  it("has India's national emergency number 112", () => {
    expect(numbersOf('IN').map((n) => n.number)).toContain('112')
  })

  it('states the Korea trap instead of patching it: 119 typed fire only, with a note', () => {
    expect(numbersOf('KR')).toContainEqual({ number: '119', types: ['fire'] })
    expect(committed.countries.find((c) => c.country === 'KR')?.note).toMatch(/ambulance/)
  })

  it('every shipped number is an emergency number for its country in libphonenumber', () => {
    const info = libphonenumber.ShortNumberInfo.getInstance()
    const refused = committed.countries.flatMap((c) =>
      c.numbers
        .filter((n) => !info.isEmergencyNumber(n.number, c.country as libphonenumber.RegionCode))
        .map((n) => `${c.country} ${n.number}`),
    )
    expect(refused).toEqual([])
  })

  it('every entry cites the source file and the copy read', () => {
    expect(committed.source.sha256).toMatch(/^[0-9a-f]{64}$/)
    for (const c of committed.countries) {
      expect(c.source_url).toBe(committed.source.url)
      expect(c.source_ref).toContain('ecc/input/eccdata.txt')
      expect(c.source_ref).toContain(committed.source.sha256)
      expect(c.status).toBe('verified')
    }
  })

  it('accounts for every number in the source: shipped, or excluded with a reason', () => {
    const pairs = new Set(
      parseEccData(source.toString('utf8')).countries.flatMap((c) =>
        c.eccs.map((e) => `${c.iso} ${e.number}`),
      ),
    )
    const shipped = committed.countries.flatMap((c) => c.numbers.map((n) => `${c.country} ${n.number}`))
    const excluded = committed.excluded.map((e) => `${e.country} ${e.number}`)
    expect(new Set([...shipped, ...excluded])).toEqual(pairs)
    expect(shipped.length + excluded.length).toBe(pairs.size)
  })

  it('refuses source text it does not understand rather than dropping it', () => {
    const country = (body: string) => `revision: 2\ncountries {\n  iso_code: "AU"\n${body}\n}\n`
    expect(() =>
      parseEccData(country('  eccs {\n    phone_number: "000"\n    types: POLICE\n  }')),
    ).not.toThrow()
    expect(() => parseEccData(country('  eccs {\n    phone_number: "000"\n    priority: 1\n  }'))).toThrow(
      /line 6: not understood/,
    )
    expect(() => parseEccData(country('  eccs {\n    phone_number: "000"\n  }'))).toThrow(/without a type/)
    expect(() => parseEccData('revision: 2\ncountries {\n  iso_code: "AU"\n')).toThrow(/unclosed/)
    const unknownType = Buffer.from(country('  eccs {\n    phone_number: "000"\n    types: SPACE_FORCE\n  }'))
    expect(() => buildEmergencyNumbers(unknownType)).toThrow(/unknown type SPACE_FORCE/)
  })
})
