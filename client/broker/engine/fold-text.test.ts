import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { foldForSearch } from './fold-text'

/** The plain definition the fast path must agree with: decompose, drop marks, lower case. */
const reference = (text: string) => text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()

// Letters with and without marks from several scripts, combining marks alone, and ASCII. Capital
// sigma (and whatever decomposes to it) is left out: its lower case depends on the letters around
// it, and a run of non-ASCII letters does not see the ASCII ones beside it.
const pieces = [
  'a',
  'Z',
  ' ',
  '.',
  '\n',
  'e\u0301',
  'É',
  'ö',
  'Ñ',
  'ß',
  'İ',
  'ﬁ',
  '①',
  'Å',
  '\u0301',
  '\u0308',
  'ά',
  'Ω',
  'Щ',
  'й',
  'ş',
  'ğ',
  'ا',
  'ب',
  '\u064e',
  'क',
  '\u093f',
  '中',
  'ガ',
  'ｶ',
  '한',
  '😀',
]

describe('foldForSearch', () => {
  it('agrees with decomposing, dropping marks and lower-casing the whole text', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const text = parts.join('')
        expect(foldForSearch(text)).toBe(reference(text))
      }),
      { numRuns: 2000 },
    )
  })

  it('agrees on arbitrary text without capital sigmas', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (text) => {
        fc.pre(!text.normalize('NFKD').includes('Σ'))
        expect(foldForSearch(text)).toBe(reference(text))
      }),
      { numRuns: 20_000 },
    )
  })

  it('matches accented and plain spellings', () => {
    expect(foldForSearch('Café CRÈME')).toBe('cafe creme')
    expect(foldForSearch('Ölçü')).toBe('olcu')
  })
})
