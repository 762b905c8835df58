import { readFileSync } from 'node:fs'
import path from 'node:path'
import linguiConfig from '../lingui.config'
import { entryKey, type PoEntry, type PoFile, parsePo } from './po'
import { type Provenance, provenanceOf } from './provenance'

/**
 * Node only. How much of each catalog is translated: of the complainant path (messages used by any
 * file outside client/broker/: compose, send, acknowledgement, follow-up, crisis path, quick exit,
 * the shell) and of all messages. The English catalog, which a test keeps exactly equal to the
 * code, says which messages exist and where they are used; a translation counts when it is not
 * empty and not marked fuzzy.
 */

/**
 * Locales whose complainant path must stay 100 % translated: `npm test` fails on any gap. A
 * locale is added here once its complainant path reaches 100 % (see `npm run i18n:status`), so
 * it cannot slip back when new messages are added. The broker console may fall back to English.
 */
export const COMPLETE_LOCALES: readonly string[] = [
  'es',
  'fr',
  'de',
  'pt',
  'ru',
  'ar',
  'fa',
  'he',
  'hi',
  'id',
  'zh-Hans',
  'sw',
]

export const isComplainantPath = (entry: Pick<PoEntry, 'references'>): boolean =>
  entry.references.some((file) => !file.startsWith('client/broker/'))

export interface Count {
  readonly translated: number
  readonly total: number
}

export interface LocaleStatus {
  readonly locale: string
  readonly provenance: Provenance
  readonly complainant: Count
  readonly all: Count
  /** Complainant-path messages without a translation (English source text). */
  readonly missingComplainant: readonly string[]
}

export function statusOf(locale: string, source: PoFile, catalog: PoFile, file = locale): LocaleStatus {
  const translations = new Map<string, PoEntry>(catalog.entries.map((e) => [entryKey(e), e]))
  const isTranslated = (entry: PoEntry): boolean => {
    const found = translations.get(entryKey(entry))
    return found !== undefined && found.msgstr !== '' && !found.fuzzy
  }
  const complainant = source.entries.filter(isComplainantPath)
  const missingComplainant = complainant.filter((e) => !isTranslated(e)).map((e) => e.msgid)
  return {
    locale,
    provenance: provenanceOf(catalog.headers, file),
    complainant: { translated: complainant.length - missingComplainant.length, total: complainant.length },
    all: { translated: source.entries.filter(isTranslated).length, total: source.entries.length },
    missingComplainant,
  }
}

const readCatalog = (root: string, locale: string): { file: string; po: PoFile } => {
  const file = path.join(root, 'locales', locale, 'messages.po')
  return { file, po: parsePo(readFileSync(file, 'utf8')) }
}

/** Every locale in lingui.config.ts but the source, in its order. */
export function catalogStatus(root: string): LocaleStatus[] {
  const source = readCatalog(root, linguiConfig.sourceLocale ?? 'en').po
  return (linguiConfig.locales ?? [])
    .filter((locale) => locale !== linguiConfig.sourceLocale)
    .map((locale) => {
      const { file, po } = readCatalog(root, locale)
      return statusOf(locale, source, po, path.relative(root, file))
    })
}

export const percent = ({ translated, total }: Count): string =>
  total === 0 ? '100 %' : `${Math.floor((100 * translated) / total)} %`
