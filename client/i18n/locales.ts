/**
 * Platform-neutral. The locales the app ships, and how one is chosen. Keep `LOCALES` equal to
 * `locales` in lingui.config.ts (a unit test checks).
 */
export const SOURCE_LOCALE = 'en'
export const LOCALES = ['en'] as const
export type Locale = (typeof LOCALES)[number]

/** Languages written right to left (primary subtag). */
const RTL_LANGUAGES = new Set(['ar', 'dv', 'fa', 'he', 'ku', 'ps', 'sd', 'ug', 'ur', 'yi'])

export function isLocale(value: string): value is Locale {
  return (LOCALES as readonly string[]).includes(value)
}

/**
 * The first supported locale among the person's preferred languages (BCP 47 tags, best first):
 * an exact match, else the same language without region (`pt-BR` → `pt`), else the source locale.
 */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    if (isLocale(tag)) return tag
    const language = tag.split('-')[0]?.toLowerCase() ?? ''
    if (isLocale(language)) return language
  }
  return SOURCE_LOCALE
}

export function directionOf(locale: string): 'ltr' | 'rtl' {
  const language = locale.split('-')[0]?.toLowerCase() ?? ''
  return RTL_LANGUAGES.has(language) ? 'rtl' : 'ltr'
}
