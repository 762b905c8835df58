import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import linguiConfig from '../lingui.config'
import { COMPLETE_LOCALES, catalogStatus, percent, statusOf } from './catalog-status'
import { parsePo } from './po'

const root = path.resolve(import.meta.dirname, '..')

const header = (locale: string, provenance?: string) =>
  `msgid ""\nmsgstr ""\n"Language: ${locale}\\n"\n${provenance ? `"X-Heard-Provenance: ${provenance}\\n"\n` : ''}`

const source = parsePo(`${header('en', 'reviewed')}
#: client/report/ComposeForm.tsx
msgid "What happened?"
msgstr "What happened?"

#: client/broker/Console.tsx
#: client/app/Masthead.tsx
msgid "Heard"
msgstr "Heard"

#: client/broker/Console.tsx
msgid "Lock"
msgstr "Lock"

#: client/report/ComposeForm.tsx
msgctxt "verb"
msgid "Report"
msgstr "Report"
`)

describe('catalog status', () => {
  it('counts complainant-path and all messages; empty, fuzzy and missing entries are untranslated', () => {
    const catalog = parsePo(`${header('de', 'machine-drafted')}
#: client/report/ComposeForm.tsx
msgid "What happened?"
msgstr "Was ist passiert?"

#, fuzzy
#: client/broker/Console.tsx
#: client/app/Masthead.tsx
msgid "Heard"
msgstr "Heard"

#: client/broker/Console.tsx
msgid "Lock"
msgstr "Sperren"

#: client/report/ComposeForm.tsx
msgid "Report"
msgstr "Melden"
`)
    const status = statusOf('de', source, catalog)
    expect(status.provenance).toBe('machine-drafted')
    // "Heard" is used outside client/broker/ too, so it is on the complainant path; "Report" exists
    // only without context in this catalog, so the verb is still missing.
    expect(status.complainant).toEqual({ translated: 1, total: 3 })
    expect(status.missingComplainant).toEqual(['Heard', 'Report'])
    expect(status.all).toEqual({ translated: 2, total: 4 })
    expect(percent(status.complainant)).toBe('33 %')
  })

  it('reads a catalog without a provenance line as drafted, and refuses an unknown value', () => {
    expect(statusOf('fr', source, parsePo(header('fr'))).provenance).toBe('machine-drafted')
    expect(() => statusOf('fr', source, parsePo(header('fr', 'reviewd')))).toThrow(/X-Heard-Provenance/)
  })

  it('every catalog header records its provenance (machine-drafted or reviewed)', () => {
    for (const locale of linguiConfig.locales ?? []) {
      const po = parsePo(readFileSync(path.join(root, 'locales', locale, 'messages.po'), 'utf8'))
      expect(po.headers['X-Heard-Provenance'], locale).toMatch(/^(machine-drafted|reviewed)$/)
    }
  })

  it('lists only shipped, translated locales as complete', () => {
    for (const locale of COMPLETE_LOCALES) {
      expect(linguiConfig.locales, locale).toContain(locale)
      expect(locale).not.toBe(linguiConfig.sourceLocale)
    }
  })

  // Locales join COMPLETE_LOCALES once their complainant path is 100 % translated; from then on a
  // new complainant-path message left untranslated fails here.
  for (const status of catalogStatus(root).filter((s) => COMPLETE_LOCALES.includes(s.locale))) {
    it(`${status.locale}: every complainant-path message is translated`, () => {
      expect(status.missingComplainant).toEqual([])
    })
  }
})
