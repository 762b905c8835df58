import type { Locale } from './locales'

/**
 * Platform-neutral. A UI language's name in that language ("Deutsch", "العربية", "中文（简体）"), for the
 * language switcher: a person looks for their own language by the name they know it by, whatever
 * language the page is in now. From the browser's own CLDR data, so nothing is downloaded.
 */

/** Where CLDR's autonym misleads in a list of languages. */
const OVERRIDES: Partial<Record<Locale, string>> = {
  // CLDR says "Indonesia", which reads as the country; the language calls itself Bahasa Indonesia.
  id: 'Bahasa Indonesia',
}

export function autonym(locale: Locale): string {
  const override = OVERRIDES[locale]
  if (override !== undefined) return override
  let name: string | undefined
  try {
    // "standard" gives 中文（简体） rather than 简体中文: the language first, as for every other entry.
    name = new Intl.DisplayNames([locale], { type: 'language', languageDisplay: 'standard' }).of(locale)
  } catch {
    name = undefined
  }
  // An engine without the data gives the tag back: show it as it is rather than an English name.
  if (name === undefined || name === '') return locale
  // CLDR writes some autonyms in lower case (español, français); a list starts each with a capital.
  return name.charAt(0).toLocaleUpperCase(locale) + name.slice(1)
}
