/**
 * Platform-neutral. The locales the app ships, and how one is chosen. Keep `LOCALES` equal to
 * `locales` in lingui.config.ts (a unit test checks).
 */
export const SOURCE_LOCALE = 'en'
export const LOCALES = [
  'en',
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
] as const
export type Locale = (typeof LOCALES)[number]

/** Languages written right to left (primary subtag). */
const RTL_LANGUAGES = new Set(['ar', 'dv', 'fa', 'he', 'ku', 'ps', 'sd', 'ug', 'ur', 'yi'])

/**
 * Languages Heard has no catalog for, whose speakers read one it has in the same script. Kept short
 * on purpose: a wrong language is worse than the next language the person listed, so anything not
 * here falls through to that (and in the end to English). Deliberately absent:
 * - `yi` (Yiddish): neither Hebrew, whose script it shares, nor German, whose grammar it shares, is
 *   the person's language;
 * - `uk`, `be` → `ru`: someone who asked for Ukrainian or Belarusian is not answered in Russian;
 * - `ca`, `gl`, `eu` → `es`; `ur` → `hi` (another script); `ms` → `id` (close, but not the same
 *   standard, and its speakers usually list a second language that fits better);
 * - `nb`, `nn`, `no`: no Scandinavian catalog ships, so there is nothing sensible to map them to;
 * - Traditional Chinese (`zh-TW`, `zh-HK`, `zh-Hant`…) and `yue`: see `sameScript` below.
 */
const FALLBACKS: Readonly<Record<string, Locale>> = {
  // Swiss German (Alemannic) is spoken; Swiss German speakers read and write Standard German.
  gsw: 'de',
  // Dari is the Persian of Afghanistan: one language, one script. (Intl already reads prs as fa-AF;
  // this keeps the mapping if an engine does not.)
  prs: 'fa',
  // Spoken Arabic varieties (Egyptian, Levantine, Mesopotamian, Moroccan, Tunisian): their speakers
  // read and write Modern Standard Arabic, the language of the catalog.
  arz: 'ar',
  apc: 'ar',
  ajp: 'ar',
  acm: 'ar',
  ary: 'ar',
  aeb: 'ar',
}

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value)
}

/**
 * The first supported locale among the person's preferred languages (BCP 47 tags, best first). For
 * each tag in turn: an exact match, else the same language (`pt-BR` → `pt`), else the language
 * `FALLBACKS` names (`gsw` → `de`), in the same script either way; only when a tag gives nothing is
 * the next one tried. The source locale when none fits.
 */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const match = matchTag(tag)
    if (match !== null) return match
  }
  return SOURCE_LOCALE
}

function matchTag(tag: string): Locale | null {
  let canonical: string
  try {
    // Also resolves deprecated and ISO 639-3 codes: iw → he, in → id, swh → sw, cmn → zh.
    canonical = Intl.getCanonicalLocales(tag)[0] ?? ''
  } catch {
    return null // not a well-formed tag
  }
  if (isLocale(canonical)) return canonical
  const language = new Intl.Locale(canonical).language
  const target = LOCALES.find((l) => new Intl.Locale(l).language === language) ?? FALLBACKS[language]
  return target !== undefined && sameScript(canonical, target) ? target : null
}

/**
 * Whether a tag and a locale are written in the same script, filling in each one's likely script
 * (zh → Hans, zh-TW and zh-HK → Hant, zh-SG → Hans, hi → Deva…). This is what keeps a person who
 * reads Traditional Chinese from being given Simplified (the next preference is tried instead), and
 * romanised Hindi (`hi-Latn`) from being given Devanagari. When a script cannot be told, it matches.
 */
function sameScript(tag: string, locale: Locale): boolean {
  const a = likelyScript(tag)
  const b = likelyScript(locale)
  return a === undefined || b === undefined || a === b
}

function likelyScript(tag: string): string | undefined {
  try {
    return new Intl.Locale(tag).maximize().script
  } catch {
    return undefined
  }
}

export function directionOf(locale: string): 'ltr' | 'rtl' {
  const language = locale.split('-')[0]?.toLowerCase() ?? ''
  return RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr'
}
