import { describe, expect, it } from 'vitest'
import { countryName, countryOptions } from './country-names'

describe('countryOptions', () => {
  it('names every country in the reader language and sorts by its collation', () => {
    const en = countryOptions('en')
    expect(en.find((o) => o.code === 'AT')?.name).toBe('Austria')
    const names = en.map((o) => o.name)
    expect(names).toEqual([...names].sort(new Intl.Collator('en').compare))
    // Åland sorts with the A's in English, not after Z.
    expect(names.indexOf('Åland Islands')).toBeLessThan(names.indexOf('Zambia'))
    expect(countryName('DE', 'de')).toBe('Deutschland')
  })

  it('adds codes the directory names, once, and ignores what is not a code', () => {
    const base = countryOptions('en').length
    const more = countryOptions('en', ['AC', 'AT', 'zz', 'not'])
    expect(more.length).toBe(base + 1)
    expect(more.some((o) => o.code === 'AC')).toBe(true)
  })
})
