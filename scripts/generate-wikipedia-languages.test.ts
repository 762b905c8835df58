import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { AUTONYM_SOURCES, tagOf, type WikipediaLanguage } from '../client/report/report-languages'
import {
  CLOSED,
  CLOSED_BUT_ABSENT,
  codeOfDatabase,
  DBLIST,
  LANGUAGES_JSON,
  languageEditions,
  OVERRIDES,
  readDblist,
  renderWikipediaLanguages,
  SOURCE,
  sha256,
} from './generate-wikipedia-languages'
import { ROOT } from './resources-json'

const committedText = readFileSync(LANGUAGES_JSON, 'utf8')
const committed = JSON.parse(committedText) as WikipediaLanguage[]
const dblist = readFileSync(DBLIST)
const editions = languageEditions(readDblist(dblist.toString('utf8')))
const byCode = new Map(committed.map((l) => [l.code, l]))

/**
 * Languages whose name for themselves is, letter for letter, their English name: English took the
 * speakers' word unchanged. Each was checked against the edition's own main page. Nothing else may
 * equal the English name, so a silent English fallback fails the test.
 */
const AUTONYM_IS_THE_ENGLISH_NAME: Readonly<Record<string, string>> = {
  atj: 'Atikamekw is the people’s own word, used unchanged in English',
  avk: 'Kotava, a constructed language: English uses its own name',
  bcl: 'Bikol is the speakers’ own name, used unchanged in English',
  bi: 'Bislama, a creole: English uses its own name',
  ho: 'Hiri Motu, a pidgin: English uses its own name',
  kr: 'Kanuri is the speakers’ own name, used unchanged in English',
  lad: 'Ladino is the speakers’ own name for Judaeo-Spanish',
  nov: 'Novial, a constructed language: English uses its own name',
  pag: 'Pangasinan is the speakers’ own name, used unchanged in English',
  pcd: 'picard is French-side Picard’s own word; English borrowed it',
  sco: 'Scots calls itself Scots',
  vo: 'Volapük, a constructed language: English uses its own name',
}

/**
 * An autonym from the language's own CLDR locale is the name its speakers chose in CLDR's review,
 * even where English uses the same word (Afrikaans, Esperanto, Hausa, Wolof…): never a fallback,
 * since CLDR's root locale names no languages. The list above is for the other sources only.
 */
const fromOwnLocale = (language: WikipediaLanguage) => language.source === 'cldr'

const english = (() => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' })
  } catch {
    return null
  }
})()

describe('Wikipedia languages for the report-language picker', () => {
  it('the committed file is exactly what the generator makes now', () => {
    // If this fails: `npm run languages:generate`, then review the diff like any data change.
    expect(committedText).toBe(renderWikipediaLanguages(dblist.toString('utf8')))
  })

  it('reads the reviewed snapshot of the dblist, the same bytes as ../shared/data where that is present', () => {
    expect(sha256(dblist)).toBe(SOURCE.sha256)
    const shared = path.resolve(ROOT, '../shared/data/wikipedia.dblist')
    if (existsSync(shared)) expect(sha256(readFileSync(shared))).toBe(SOURCE.sha256)
  })

  it('has every language edition of the dblist exactly once, and nothing else', () => {
    const codes = committed.map((l) => l.code)
    expect(new Set(codes).size).toBe(codes.length)
    expect([...codes].sort()).toEqual(editions.map(codeOfDatabase).sort())
    expect(committed.length).toBeGreaterThanOrEqual(330)
  })

  it('leaves out the wikis that are not languages', () => {
    for (const dbname of ['arbcom_enwiki', 'sysop_itwiki', 'wg_enwiki', 'testwiki', 'test2wiki', 'tenwiki'])
      expect(editions).not.toContain(dbname)
    for (const code of ['arbcom-en', 'test', 'test2', 'ten', 'wg-en', 'sysop-it'])
      expect(byCode.has(code)).toBe(false)
  })

  it('maps database names to Wikimedia codes and those to BCP 47', () => {
    expect(codeOfDatabase('zh_yuewiki')).toBe('zh-yue')
    expect(codeOfDatabase('simplewiki')).toBe('simple')
    expect(codeOfDatabase('be_x_oldwiki')).toBe('be-tarask')
    expect(codeOfDatabase('roa_rupwiki')).toBe('roa-rup')
    const tags = Object.fromEntries(committed.map((l) => [l.code, tagOf(l)]))
    expect(tags).toMatchObject({
      als: 'gsw',
      'bat-smg': 'sgs',
      'be-tarask': 'be-tarask',
      'cbk-zam': 'cbk',
      'fiu-vro': 'vro',
      'map-bms': 'jv-x-bms',
      'nds-nl': 'nds-NL',
      'roa-rup': 'rup',
      simple: 'en-x-simple',
      'zh-classical': 'lzh',
      'zh-min-nan': 'nan',
      'zh-yue': 'yue',
      de: 'de',
    })
    for (const language of committed) {
      // Well-formed BCP 47, and `bcp47` only where it says something `code` does not.
      expect(() => Intl.getCanonicalLocales(tagOf(language))).not.toThrow()
      expect(language.bcp47).not.toBe(language.code)
    }
    // Each tag names one edition, so a stored tag finds its way back to one entry.
    const allTags = committed.map(tagOf)
    expect(new Set(allTags).size).toBe(allTags.length)
  })

  it('als is Alemannic, not Albanian', () => {
    expect(byCode.get('als')).toMatchObject({ bcp47: 'gsw', autonym: 'Alemannisch' })
  })

  it('marks the closed editions closed and keeps them', () => {
    const closed = committed.filter((l) => l.closed).map((l) => `${l.code}wiki`)
    expect(closed.sort()).toEqual([...CLOSED].filter((dbname) => !CLOSED_BUT_ABSENT[dbname]).sort())
    expect(byCode.get('aa')).toMatchObject({ closed: true })
    expect(byCode.get('en')?.closed).toBeUndefined()
    for (const absent of Object.keys(CLOSED_BUT_ABSENT)) expect(editions).not.toContain(absent)
  })

  it('gives every language a non-empty autonym from a named source', () => {
    for (const language of committed) {
      expect(language.autonym.trim(), language.code).not.toBe('')
      expect(language.autonym, language.code).not.toBe(language.code)
      expect(AUTONYM_SOURCES).toContain(language.source)
      if (language.source === 'override') expect(OVERRIDES[language.code]?.autonym).toBe(language.autonym)
    }
  })

  it('never shows an English name as an autonym', () => {
    // Without the platform's English names there is nothing to compare with; Node 20 has them.
    expect(english).not.toBeNull()
    const same = committed.filter((language) => {
      const name = english?.of(tagOf(language))
      return name !== undefined && name.toLowerCase() === language.autonym.toLowerCase()
    })
    const unexplained = same.filter((l) => !fromOwnLocale(l) && !AUTONYM_IS_THE_ENGLISH_NAME[l.code])
    expect(unexplained.map((l) => `${l.code}: ${l.autonym}`)).toEqual([])
    // And the allowance is not kept for names that have since changed.
    const stale = Object.keys(AUTONYM_IS_THE_ENGLISH_NAME).filter(
      (code) => !same.some((l) => l.code === code),
    )
    expect(stale).toEqual([])
  })

  it('every override says why and where to check', () => {
    for (const [code, override] of Object.entries(OVERRIDES)) {
      expect(override.reason.length, code).toBeGreaterThan(20)
      expect(override.source, code).toMatch(/^https:\/\//)
      expect(override.bcp47 ?? override.autonym, code).toBeDefined()
    }
  })
})
