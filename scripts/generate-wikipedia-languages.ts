/**
 * Writes client/i18n/wikipedia-languages.json, the report-language picker's list: every language
 * that has a Wikipedia edition, with its BCP 47 tag and its autonym. `npm run languages:generate`.
 *
 * Input: scripts/fixtures/wikipedia.dblist, a byte-for-byte copy of ../shared/data/wikipedia.dblist
 * (see SOURCE), committed so that a fresh clone regenerates and tests without ../shared.
 *
 * Data packages (devDependencies only: the browser gets the generated JSON, never the packages):
 * - `cldr-localenames-full` (Unicode-3.0; credited in NOTICE): each locale's name for its own
 *   language, reviewed by speakers in CLDR's survey. Used first, wherever CLDR has the locale.
 * - `wikidata-lang` (MIT code, CC0 data from Wikidata): each language's Wikimedia code (P424),
 *   ISO 639 codes and native label (P1705). Used for the autonym where CLDR has none, and to
 *   cross-check that a two- or three-letter Wikimedia code means the ISO 639 language of that code.
 * Not used: `@wikimedia/language-data` (GPL-2.0-or-later: its data may not be shipped here, and it
 * calls `als` Albanian), and `Intl.DisplayNames`, which names only about half of these languages in
 * themselves and silently answers in English for the rest.
 *
 * Nothing is hand-typed but OVERRIDES: a small table, reviewed entry by entry, each with its reason
 * and a source. Where no source has an autonym the script stops and names the code; it never
 * falls back to an English name. Deterministic: same inputs and package versions, same bytes, and a
 * unit test holds the committed file to that.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AutonymSource, WikipediaLanguage } from '../client/report/report-languages'
import { formatJsonText, ROOT } from './resources-json'

export const DBLIST = path.join(ROOT, 'scripts', 'fixtures', 'wikipedia.dblist')
export const LANGUAGES_JSON = path.join(ROOT, 'client', 'i18n', 'wikipedia-languages.json')

/** What ../shared/data/README.md records about the list; the copy's hash is checked by a test. */
export const SOURCE = {
  name: 'Wikipedia database list of the Wikimedia production configuration',
  repository: 'wikimedia/operations-mediawiki-config',
  file: 'dblists/wikipedia.dblist',
  version: 'snapshot of 2026-08',
  url: 'https://noc.wikimedia.org/conf/dblists/wikipedia.dblist',
  sha256: '437bd40f0aad67c05e69b05ffe02031c36b119cc59bee185ccab1b28c7ac229c',
} as const

/** Databases in the list that are not language editions: arbitration committees, tests, staff. */
export const NOT_A_LANGUAGE = /^(arbcom_[a-z]+wiki|sysop_[a-z]+wiki|wg_[a-z]+wiki|test2?wiki|tenwiki)$/

/**
 * Read-only editions, from operations-mediawiki-config's closed.dblist as ../shared/REFERRAL-DATA.md
 * lists it. They stay on the list: their speakers exist and may write reports.
 */
export const CLOSED = new Set([
  'aawiki',
  'chowiki',
  'howiki',
  'hzwiki',
  'iiwiki',
  'kjwiki',
  'krwiki',
  'mhwiki',
  'mowiki',
  'muswiki',
  'ngwiki',
])

/**
 * Closed editions the dblist snapshot does not hold, so they are not on the list; said here so that
 * the absence is a decision, not an accident.
 */
export const CLOSED_BUT_ABSENT: Readonly<Record<string, string>> = {
  mowiki:
    'Moldovan: not in the 2026-08 wikipedia.dblist. Its speakers write Romanian, which is on the list (ro).',
}

/** Database names whose language code is not the name with `wiki` cut off and `_` made `-`. */
const RENAMED_DATABASES: Readonly<Record<string, string>> = {
  // The database kept its old name when the edition moved to be-tarask.wikipedia.org (T11823).
  be_x_oldwiki: 'be-tarask',
}

/** Where MediaWiki maps its internal language codes to BCP 47 (LanguageCode::bcp47). */
const MEDIAWIKI_BCP47 =
  'https://gerrit.wikimedia.org/r/plugins/gitiles/mediawiki/core/+/refs/heads/master/includes/language/LanguageCode.php'

interface Override {
  /** The BCP 47 tag, where the Wikimedia code is not one or means another language. */
  readonly bcp47?: string
  readonly autonym?: string
  /** One line: why the data packages are not followed here. */
  readonly reason: string
  /** Where a reviewer can check it. */
  readonly source: string
}

/**
 * The reviewed exceptions. Keep it small: fix the data upstream where that is possible, and add a
 * row here only with a reason and a source a reviewer can open.
 */
export const OVERRIDES: Readonly<Record<string, Override>> = {
  als: {
    bcp47: 'gsw',
    autonym: 'Alemannisch',
    reason:
      'als.wikipedia.org is Alemannic, not Tosk Albanian (ISO 639-3 als); CLDR’s gsw autonym is the Swiss German “Schwiizertüütsch”',
    source: 'https://als.wikipedia.org/',
  },
  ami: {
    autonym: 'Pangcah',
    reason:
      'Wikidata’s native label is the English exonym “Amis”; the speakers’ own name, which the edition uses',
    source: 'https://ami.wikipedia.org/',
  },
  arz: {
    autonym: 'مصرى',
    reason:
      'Wikidata’s native label for Egyptian Arabic is the code “arz”; the edition’s own name for its language',
    source: 'https://arz.wikipedia.org/',
  },
  'bat-smg': {
    bcp47: 'sgs',
    reason: 'Samogitian; bat-smg is no BCP 47 tag (MediaWiki: T27522)',
    source: MEDIAWIKI_BCP47,
  },
  'be-tarask': {
    bcp47: 'be-tarask',
    autonym: 'беларуская (тарашкевіца)',
    reason:
      'A registered BCP 47 tag as it stands (variant tarask); Wikidata’s label names the orthography alone, CLDR has no self-name',
    source: 'https://be-tarask.wikipedia.org/',
  },
  bh: {
    bcp47: 'bho',
    reason:
      'bh.wikipedia.org is written in Bhojpuri (Wikidata Q33268); bh is the collective code for the Bihari languages',
    source: 'https://www.wikidata.org/wiki/Q33268',
  },
  blk: {
    autonym: 'ပအိုဝ်ႏ',
    reason: 'Wikidata has no native label for Pa’O (Q7121294) and CLDR no locale; the edition’s own name',
    source: 'https://blk.wikipedia.org/',
  },
  bxr: {
    autonym: 'буряад',
    reason: 'Wikidata’s Russia Buriat item (bxr) has no native label; the edition’s own name',
    source: 'https://bxr.wikipedia.org/',
  },
  'cbk-zam': {
    bcp47: 'cbk',
    reason: 'Chavacano; cbk-zam is no BCP 47 tag (MediaWiki: T124657)',
    source: MEDIAWIKI_BCP47,
  },
  diq: {
    bcp47: 'diq',
    reason:
      'Wikidata tags Zazaki with the macrolanguage zza; the edition is written in Dimli, its member diq, kept as is',
    source: 'https://iso639-3.sil.org/code/diq',
  },
  eml: {
    bcp47: 'egl',
    reason: 'ISO 639-3 retired eml (split into egl and rgn); MediaWiki tags the edition egl (T36217)',
    source: MEDIAWIKI_BCP47,
  },
  fat: {
    autonym: 'Mfantse',
    reason: 'Fante: neither CLDR nor Wikidata has the edition; its own name for its language',
    source: 'https://fat.wikipedia.org/',
  },
  'fiu-vro': {
    bcp47: 'vro',
    reason: 'Võro; fiu-vro is no BCP 47 tag (MediaWiki: T31186)',
    source: MEDIAWIKI_BCP47,
  },
  gom: {
    autonym: 'गोंयची कोंकणी / Gõychi Konknni',
    reason:
      'Wikidata’s native label for Goan Konkani is its English name; the edition writes both its scripts',
    source: 'https://gom.wikipedia.org/',
  },
  got: {
    autonym: '𐌲𐌿𐍄𐌹𐍃𐌺',
    reason: 'Wikidata has no native label for Gothic (Q35722) and CLDR no locale; the edition’s own name',
    source: 'https://got.wikipedia.org/',
  },
  gpe: {
    autonym: 'Ghanaian Pidgin',
    reason:
      'No source has one; an English-lexifier pidgin whose speakers name it in English words, as the edition does',
    source: 'https://gpe.wikipedia.org/',
  },
  gur: {
    autonym: 'Farefare',
    reason: 'Neither CLDR nor Wikidata has the edition; its own name for the language (Frafra in English)',
    source: 'https://gur.wikipedia.org/',
  },
  id: {
    autonym: 'Bahasa Indonesia',
    reason:
      'CLDR’s “Indonesia” reads as the country; the language calls itself Bahasa Indonesia, as the edition does',
    source: 'https://id.wikipedia.org/',
  },
  iu: {
    autonym: 'ᐃᓄᒃᑎᑐᑦ',
    reason:
      'Wikidata’s native label is the Latin “Inuktitut”, identical to English; the edition writes syllabics first',
    source: 'https://iu.wikipedia.org/',
  },
  kj: {
    autonym: 'Oshikwanyama',
    reason:
      'Wikidata’s native label is the English “Kwanyama”; the language’s own name carries its noun prefix',
    source: 'https://en.wikipedia.org/wiki/Kwanyama_dialect',
  },
  'map-bms': {
    bcp47: 'jv-x-bms',
    reason: 'Banyumasan, a Javanese dialect without an ISO 639 code: Javanese plus a private-use subtag',
    source: MEDIAWIKI_BCP47,
  },
  'nds-nl': {
    bcp47: 'nds-NL',
    reason: 'Dutch Low Saxon: Low German of the Netherlands, with the region subtag in BCP 47’s case',
    source: MEDIAWIKI_BCP47,
  },
  ng: {
    autonym: 'Oshindonga',
    reason:
      'Wikidata’s native label is the English “Ndonga”; the language’s own name carries its noun prefix',
    source: 'https://en.wikipedia.org/wiki/Ndonga_dialect',
  },
  nrm: {
    bcp47: 'nrf',
    reason: 'nrm.wikipedia.org is Norman; ISO 639-3 nrm is Narom, a language of Sarawak (MediaWiki: T25216)',
    source: MEDIAWIKI_BCP47,
  },
  pdc: {
    autonym: 'Deitsch',
    reason:
      'Wikidata’s native label is the English “Pennsylvania Dutch”; the speakers’ and the edition’s own name',
    source: 'https://pdc.wikipedia.org/',
  },
  pnb: {
    autonym: 'پنجابی',
    reason:
      'Wikidata gives pnb to the Shahmukhi script item (Q133800), whose label is in Gurmukhi; Western Punjabi in Shahmukhi',
    source: 'https://pnb.wikipedia.org/',
  },
  rmy: {
    bcp47: 'rmy',
    reason:
      'Wikidata tags Romani with the macrolanguage rom; the edition is written in Vlax Romani, its member rmy, kept as is',
    source: 'https://iso639-3.sil.org/code/rmy',
  },
  'roa-rup': {
    bcp47: 'rup',
    reason: 'Aromanian; roa-rup is no BCP 47 tag (MediaWiki: T17988)',
    source: MEDIAWIKI_BCP47,
  },
  'roa-tara': {
    bcp47: 'nap-x-tara',
    reason:
      'Tarantino, a dialect without an ISO 639 code: Neapolitan plus a private-use subtag (roa-tara would read as script “Tara”)',
    source: MEDIAWIKI_BCP47,
  },
  simple: {
    bcp47: 'en-x-simple',
    autonym: 'Simple English',
    reason:
      'English, kept apart from en by a private-use subtag (MediaWiki’s en-simple uses an unregistered variant); CLDR would say “English”',
    source: 'https://simple.wikipedia.org/',
  },
  tay: {
    autonym: 'Tayal',
    reason: 'Wikidata’s native label is the English exonym “Atayal”; the speakers’ own name',
    source: 'https://en.wikipedia.org/wiki/Atayal_language',
  },
  ts: {
    autonym: 'Xitsonga',
    reason:
      'Wikidata’s native label is the English “Tsonga”; the language’s own name carries its noun prefix',
    source: 'https://ts.wikipedia.org/',
  },
  war: {
    autonym: 'Winaray',
    reason:
      'Wikidata’s native label “Binisaya” is also the common name of Cebuano; the edition calls its language Winaray',
    source: 'https://war.wikipedia.org/',
  },
  'zh-classical': {
    bcp47: 'lzh',
    reason: 'Literary Chinese; zh-classical is no BCP 47 tag (MediaWiki: T30443)',
    source: MEDIAWIKI_BCP47,
  },
  'zh-min-nan': {
    bcp47: 'nan',
    reason: 'Min Nan; zh-min-nan is a grandfathered tag whose preferred value is nan (MediaWiki: T30442)',
    source: MEDIAWIKI_BCP47,
  },
  'zh-yue': {
    bcp47: 'yue',
    reason: 'Cantonese; zh-yue is an extlang form whose preferred value is yue (MediaWiki: T30441)',
    source: MEDIAWIKI_BCP47,
  },
}

// ---------------------------------------------------------------------------------------------
// Sources

interface WikidataLanguage {
  readonly wd: string
  readonly label?: string | null
  readonly native?: string | null
  readonly wmCode?: readonly string[] | null
  readonly iso6391?: readonly string[] | null
  readonly iso6393?: readonly string[] | null
}

const packageFile = (...parts: string[]) => path.join(ROOT, 'node_modules', ...parts)

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T
}

/** wikidata-lang's whole table; its `data/languages.json` is the CC0 data, not the MIT code. */
export function wikidataLanguages(): readonly WikidataLanguage[] {
  return readJson<WikidataLanguage[]>(packageFile('wikidata-lang', 'data', 'languages.json'))
}

/** CLDR's name for `tag` in the locale `tag` itself, or undefined where CLDR has none. */
export function cldrAutonym(tag: string): string | undefined {
  const file = packageFile('cldr-localenames-full', 'main', tag, 'languages.json')
  if (!existsSync(file)) return undefined
  const data = readJson<{
    main: Record<string, { localeDisplayNames: { languages: Record<string, string> } }>
  }>(file)
  const name = data.main[tag]?.localeDisplayNames.languages[tag]?.trim()
  return name || undefined
}

export function packageVersions(): Record<string, string> {
  const version = (name: string) => readJson<{ version: string }>(packageFile(name, 'package.json')).version
  return {
    'cldr-localenames-full': version('cldr-localenames-full'),
    'wikidata-lang': version('wikidata-lang'),
  }
}

// ---------------------------------------------------------------------------------------------
// The list

/** The dblist's database names: one a line; blank lines and `#` comments skipped. */
export function readDblist(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
}

/** A language edition's Wikimedia code from its database name: `zh_yuewiki` → `zh-yue`. */
export function codeOfDatabase(dbname: string): string {
  const renamed = RENAMED_DATABASES[dbname]
  if (renamed) return renamed
  const match = /^([a-z][a-z0-9_]*)wiki$/.exec(dbname)
  if (!match?.[1]) throw new Error(`wikipedia.dblist: "${dbname}" is not a Wikipedia database name`)
  return match[1].replaceAll('_', '-')
}

/** The database names of language editions, in the list's order. */
export const languageEditions = (dbnames: readonly string[]): string[] =>
  dbnames.filter((dbname) => !NOT_A_LANGUAGE.test(dbname))

const isWellFormedTag = (tag: string): boolean => {
  try {
    return Intl.getCanonicalLocales(tag).length === 1
  } catch {
    return false
  }
}

/**
 * The BCP 47 tag of an edition. A two- or three-letter code is an ISO 639 code and is kept as it
 * is (not canonicalized: CLDR's aliases would turn `tw` into `ak` and `sh` into `sr-Latn`), once
 * Wikidata agrees that it names the same language. Any other shape needs a reviewed override.
 */
function bcp47Of(code: string, wikidata: readonly WikidataLanguage[]): string {
  const override = OVERRIDES[code]?.bcp47
  if (override) {
    if (!isWellFormedTag(override)) throw new Error(`OVERRIDES.${code}.bcp47 "${override}" is not BCP 47`)
    return override
  }
  if (!/^[a-z]{2,3}$/.test(code))
    throw new Error(`"${code}" is not an ISO 639 code: add its BCP 47 tag to OVERRIDES, with a source`)
  const entries = wikidata.filter((l) => l.wmCode?.includes(code))
  const iso = entries.flatMap((l) => [...(l.iso6391 ?? []), ...(l.iso6393 ?? [])])
  if (iso.length > 0 && !iso.includes(code))
    throw new Error(
      `Wikidata says the "${code}" edition is ${entries.map((l) => `${l.label} (${l.wd})`).join(' or ')}, ISO 639 ${iso.join('/')}, not ${code}: add a reviewed OVERRIDES entry`,
    )
  return code
}

/** Wikidata's native label for the edition, when exactly one candidate item has a usable one. */
function wikidataAutonym(
  code: string,
  tag: string,
  wikidata: readonly WikidataLanguage[],
): string | undefined {
  const primary = tag.split('-')[0] ?? tag
  const candidates = wikidata.filter((l) => l.wmCode?.includes(code) || l.wmCode?.includes(tag))
  // Several items can share a Wikimedia code (Buryat and Russia Buriat): the one whose ISO code is
  // the tag's language is meant.
  const exact = candidates.filter((l) => l.iso6391?.includes(primary) || l.iso6393?.includes(primary))
  const chosen = exact.length === 1 ? exact : candidates
  if (chosen.length !== 1) return undefined
  const native = chosen[0]?.native?.trim()
  // A "native label" equal to a code is a placeholder (arz), not a name.
  return native && native !== code && native !== tag ? native : undefined
}

export function buildWikipediaLanguages(dblistText: string): WikipediaLanguage[] {
  const wikidata = wikidataLanguages()
  const dbnames = readDblist(dblistText)
  for (const closed of CLOSED)
    if (!dbnames.includes(closed) && !CLOSED_BUT_ABSENT[closed])
      throw new Error(
        `closed edition ${closed} is missing from wikipedia.dblist: say why in CLOSED_BUT_ABSENT`,
      )
  const unused = Object.keys(OVERRIDES).filter(
    (code) => !languageEditions(dbnames).some((dbname) => codeOfDatabase(dbname) === code),
  )
  if (unused.length > 0) throw new Error(`OVERRIDES for editions not in the list: ${unused.join(', ')}`)

  // Every problem at once, so one run tells a reviewer everything the overrides must answer.
  const problems: string[] = []
  const languages = languageEditions(dbnames).flatMap((dbname): WikipediaLanguage[] => {
    const code = codeOfDatabase(dbname)
    let tag: string
    try {
      tag = bcp47Of(code, wikidata)
    } catch (error) {
      problems.push((error as Error).message)
      return []
    }
    const override = OVERRIDES[code]?.autonym
    const cldr = cldrAutonym(tag)
    const fromWikidata = wikidataAutonym(code, tag, wikidata)
    const [autonym, source]: [string | undefined, AutonymSource] = override
      ? [override, 'override']
      : cldr
        ? [cldr, 'cldr']
        : [fromWikidata, 'wikidata']
    if (!autonym) {
      problems.push(
        `no autonym for "${code}" (${tag}) in CLDR or Wikidata: add one to OVERRIDES with a source, never an English name`,
      )
      return []
    }
    return [
      {
        code,
        ...(tag !== code ? { bcp47: tag } : {}),
        autonym,
        source,
        ...(CLOSED.has(dbname) ? { closed: true as const } : {}),
      },
    ]
  })
  if (problems.length > 0) throw new Error(`wikipedia-languages:\n- ${problems.join('\n- ')}`)
  const seen = new Set<string>()
  for (const { code } of languages) {
    if (seen.has(code)) throw new Error(`"${code}" appears twice in wikipedia.dblist`)
    seen.add(code)
  }
  return languages.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
}

/** The file's bytes: one language a line, laid out by biome so the lint step accepts it as it is. */
export function renderWikipediaLanguages(dblistText = readFileSync(DBLIST, 'utf8')): string {
  const lines = buildWikipediaLanguages(dblistText).map((language) => `  ${JSON.stringify(language)}`)
  return formatJsonText(`[\n${lines.join(',\n')}\n]\n`, LANGUAGES_JSON)
}

export const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex')

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const input = readFileSync(DBLIST)
  if (sha256(input) !== SOURCE.sha256)
    throw new Error(
      `${path.relative(ROOT, DBLIST)} is not the reviewed snapshot: update SOURCE with the new copy`,
    )
  const text = renderWikipediaLanguages(input.toString('utf8'))
  writeFileSync(LANGUAGES_JSON, text)
  const languages = JSON.parse(text) as WikipediaLanguage[]
  const count = (source: AutonymSource) => languages.filter((l) => l.source === source).length
  console.log(
    `wrote ${path.relative(ROOT, LANGUAGES_JSON)}: ${languages.length} languages (autonyms: ${count('cldr')} CLDR, ${count('wikidata')} Wikidata, ${count('override')} overrides; ${languages.filter((l) => l.closed).length} closed editions) from ${JSON.stringify(packageVersions())}`,
  )
}
