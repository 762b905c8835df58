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

  it('picks an exact match, in any case', () => {
    expect(pickLocale(['de'])).toBe('de')
    expect(pickLocale(['EN'])).toBe('en')
    expect(pickLocale(['zh-hans'])).toBe('zh-Hans')
  })

  it('else the same language without region or script', () => {
    expect(pickLocale(['pt-BR'])).toBe('pt')
    expect(pickLocale(['es-419'])).toBe('es')
    expect(pickLocale(['fa-AF'])).toBe('fa')
    expect(pickLocale(['sw-KE'])).toBe('sw')
    expect(pickLocale(['en-GB', 'fr'])).toBe('en')
  })

  it('reads deprecated and three-letter codes as their languages', () => {
    expect(pickLocale(['iw'])).toBe('he')
    expect(pickLocale(['in'])).toBe('id')
    expect(pickLocale(['swh'])).toBe('sw')
    expect(pickLocale(['pes'])).toBe('fa')
  })

  it('else the fallback table: Swiss German, Dari, spoken Arabic', () => {
    expect(pickLocale(['gsw'])).toBe('de')
    expect(pickLocale(['gsw-CH', 'en'])).toBe('de')
    expect(pickLocale(['prs'])).toBe('fa')
    expect(pickLocale(['arz-EG'])).toBe('ar')
    expect(pickLocale(['ary'])).toBe('ar')
  })

  it('gives Simplified Chinese to Simplified readers only', () => {
    for (const tag of ['zh', 'zh-CN', 'zh-SG', 'zh-Hans-HK', 'cmn'])
      expect(pickLocale([tag]), tag).toBe('zh-Hans')
    for (const tag of ['zh-TW', 'zh-HK', 'zh-MO', 'zh-Hant', 'zh-Hant-CN', 'yue', 'yue-Hant']) {
      expect(pickLocale([tag]), tag).toBe('en')
    }
    // A Traditional reader's next preference is tried before English.
    expect(pickLocale(['zh-TW', 'ja', 'fr'])).toBe('fr')
  })

  it('does not answer a language with a neighbour', () => {
    for (const tag of ['yi', 'uk', 'be', 'ca', 'ur', 'ms', 'nb', 'nn', 'hi-Latn', 'sr-Cyrl']) {
      expect(pickLocale([tag]), tag).toBe('en')
    }
    expect(pickLocale(['uk', 'ru'])).toBe('ru')
  })

  it('skips what is not a language tag, and ends in English', () => {
    expect(pickLocale(['xx', 'EN'])).toBe('en')
    expect(pickLocale(['', 'not a tag', 'ar-EG'])).toBe('ar')
    expect(pickLocale([])).toBe('en')
  })

  it('knows right-to-left scripts by language', () => {
    expect(directionOf('ar')).toBe('rtl')
    expect(directionOf('fa-IR')).toBe('rtl')
    expect(directionOf('he')).toBe('rtl')
    expect(directionOf('en')).toBe('ltr')
    expect(directionOf('zh-Hans')).toBe('ltr')
  })
})
