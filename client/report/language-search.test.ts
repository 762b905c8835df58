import { describe, expect, it } from 'vitest'
import languages from '../i18n/wikipedia-languages.json'
import { exactLanguage, languageOptions, optionForValue, searchLanguages } from './language-search'
import { foldForSearch, type WikipediaLanguage } from './report-languages'
import { languageName } from './suggest-language'

const list = languages as readonly WikipediaLanguage[]
const optionsIn = (locale: string) => languageOptions(list, (tag) => languageName(tag, locale), locale)
const en = optionsIn('en')
const fr = optionsIn('fr')
const codes = (found: readonly { code: string }[]) => found.map((o) => o.code)

describe('report-language search', () => {
  it('folds case and diacritics, in the query and in the names alike', () => {
    expect(foldForSearch('  Français ')).toBe('francais')
    expect(foldForSearch('ÉCOLE')).toBe('ecole')
    expect(codes(searchLanguages(en, 'francais'))).toContain('fr')
    expect(codes(searchLanguages(en, 'FRANÇAIS'))).toContain('fr')
    expect(codes(searchLanguages(en, 'tieng viet'))).toContain('vi')
  })

  it('finds a language by its autonym, by its name in the UI language, and by code', () => {
    expect(codes(searchLanguages(en, 'alem'))[0]).toBe('als')
    expect(codes(searchLanguages(en, 'German'))).toContain('de')
    expect(codes(searchLanguages(fr, 'allemand'))).toContain('de')
    expect(codes(searchLanguages(en, 'zh-yue'))).toContain('zh-yue')
    expect(codes(searchLanguages(en, 'yue'))).toContain('zh-yue')
    expect(codes(searchLanguages(en, 'gsw'))).toEqual(['als'])
    expect(codes(searchLanguages(en, 'العربية'))).toContain('ar')
  })

  it('puts names that start with the text before names that only contain it', () => {
    // "Manx" starts with it; "Romansh" only contains it.
    const man = codes(searchLanguages(en, 'man'))
    expect(man.indexOf('gv')).toBeGreaterThanOrEqual(0)
    expect(man.indexOf('gv')).toBeLessThan(man.indexOf('rm'))
    expect(searchLanguages(en, '')).toHaveLength(list.length)
    expect(searchLanguages(en, 'no language is called this')).toEqual([])
  })

  it('shows the UI-language name only where there is one, never a code, and not twice', () => {
    const byCode = new Map(en.map((o) => [o.code, o]))
    expect(byCode.get('de')).toMatchObject({ autonym: 'Deutsch', name: 'German', tag: 'de' })
    expect(byCode.get('en')?.name).toBeNull()
    for (const option of en) {
      expect(option.name).not.toBe(option.tag)
      expect(option.name).not.toBe(option.code)
    }
  })

  it('takes exactly named languages as their tag, and nothing when the text is ambiguous or unknown', () => {
    expect(exactLanguage(en, 'Deutsch')?.tag).toBe('de')
    expect(exactLanguage(en, 'german')?.tag).toBe('de')
    expect(exactLanguage(en, 'ca')?.tag).toBe('ca')
    expect(exactLanguage(en, 'Alemannisch')?.tag).toBe('gsw')
    // "English" is the name of en and of simple in English; only en calls itself that.
    expect(exactLanguage(en, 'English')?.code).toBe('en')
    expect(exactLanguage(en, 'Ngiemboon')).toBeNull()
    expect(exactLanguage(en, '   ')).toBeNull()
  })

  it('finds the option a stored value stands for, by tag or by Wikimedia code', () => {
    expect(optionForValue(en, 'gsw')?.code).toBe('als')
    expect(optionForValue(en, 'GSW')?.code).toBe('als')
    expect(optionForValue(en, 'zh-yue')?.code).toBe('zh-yue')
    expect(optionForValue(en, 'nds-nl')?.code).toBe('nds-nl')
    expect(optionForValue(en, 'Ngiemboon')).toBeNull()
    expect(optionForValue(en, '')).toBeNull()
  })
})
