import { describe, expect, it } from 'vitest'
import { autonym } from './autonym'
import { LOCALES } from './locales'

describe('autonyms', () => {
  it('name each UI language in itself, never by its code or its English name', () => {
    const english = new Intl.DisplayNames(['en'], { type: 'language' })
    for (const locale of LOCALES) {
      const name = autonym(locale)
      expect(name, locale).not.toBe(locale)
      if (locale !== 'en') expect(name, locale).not.toBe(english.of(locale))
    }
    expect(new Set(LOCALES.map(autonym)).size).toBe(LOCALES.length)
  })

  it.each([
    ['de', 'Deutsch'],
    ['es', 'Español'],
    ['ar', 'العربية'],
    ['fa', 'فارسی'],
    ['he', 'עברית'],
    ['hi', 'हिन्दी'],
    ['id', 'Bahasa Indonesia'],
    ['zh-Hans', '中文（简体）'],
    ['sw', 'Kiswahili'],
  ] as const)('%s is %s', (locale, name) => {
    expect(autonym(locale)).toBe(name)
  })
})
