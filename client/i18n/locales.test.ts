import { existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import linguiConfig from '../../lingui.config'
import { directionOf, LOCALES, pickLocale, SOURCE_LOCALE } from './locales'

describe('locales', () => {
  it('match lingui.config.ts, and each has a catalog', () => {
    expect([...LOCALES]).toEqual(linguiConfig.locales)
    expect(SOURCE_LOCALE).toBe(linguiConfig.sourceLocale)
    for (const locale of LOCALES) {
      expect(existsSync(path.resolve(import.meta.dirname, `../../locales/${locale}/messages.po`))).toBe(true)
    }
  })

  it('picks an exact or language-only match, else English', () => {
    expect(pickLocale(['en-GB', 'fr'])).toBe('en')
    expect(pickLocale(['xx', 'EN'])).toBe('en')
    expect(pickLocale([])).toBe('en')
  })

  it('knows right-to-left scripts by language', () => {
    expect(directionOf('ar')).toBe('rtl')
    expect(directionOf('fa-IR')).toBe('rtl')
    expect(directionOf('en')).toBe('ltr')
  })
})
