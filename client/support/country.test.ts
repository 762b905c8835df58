import { describe, expect, it } from 'vitest'
import { ISO_COUNTRIES } from './countries'
import { countryFromLanguages } from './country'

describe('countryFromLanguages', () => {
  it('takes the region a tag states outright', () => {
    expect(countryFromLanguages(['de-AT', 'de', 'en'])).toBe('AT')
    expect(countryFromLanguages(['zh-Hant-TW'])).toBe('TW')
    expect(countryFromLanguages(['pt-br'])).toBe('BR')
  })

  it('never guesses a country from a bare language', () => {
    expect(countryFromLanguages(['de'])).toBeNull()
    expect(countryFromLanguages(['fr', 'en'])).toBeNull()
    expect(countryFromLanguages([])).toBeNull()
  })

  it('uses the first tag that has a region, skipping bare and broken ones', () => {
    expect(countryFromLanguages(['de', 'fr-CH', 'en-US'])).toBe('CH')
    expect(countryFromLanguages(['not a tag', 'nl-BE'])).toBe('BE')
  })

  it('does not take a region that is not a country', () => {
    // es-419 is "Spanish as in Latin America": no one country, so no emergency number to offer.
    expect(countryFromLanguages(['es-419', 'es-MX'])).toBeNull()
  })
})

describe('ISO_COUNTRIES', () => {
  it('lists each code once, sorted, as two capital letters', () => {
    expect(new Set(ISO_COUNTRIES).size).toBe(ISO_COUNTRIES.length)
    expect([...ISO_COUNTRIES].sort()).toEqual(ISO_COUNTRIES)
    for (const code of ISO_COUNTRIES) expect(code).toMatch(/^[A-Z]{2}$/)
    expect(ISO_COUNTRIES.length).toBe(250)
  })
})
