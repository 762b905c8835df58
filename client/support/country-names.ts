import { ISO_COUNTRIES } from './countries'

/**
 * Platform-neutral. Country names in the reader's language, from the browser's own data, and the
 * list a country select offers: every ISO country plus any code the directory names, sorted as
 * the reader's language sorts (so Å, Ö and Ü fall where a Swede or a Turk expects them).
 */
export interface CountryOption {
  readonly code: string
  readonly name: string
}

const namers = new Map<string, Intl.DisplayNames | null>()

function namer(locale: string): Intl.DisplayNames | null {
  if (!namers.has(locale)) {
    let made: Intl.DisplayNames | null = null
    try {
      made = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' })
    } catch {
      made = null
    }
    namers.set(locale, made)
  }
  return namers.get(locale) ?? null
}

/** The country's name, or its code when the browser has no name for it. */
export function countryName(code: string, locale: string): string {
  try {
    return namer(locale)?.of(code) ?? code
  } catch {
    return code
  }
}

export function countryOptions(locale: string, extra: Iterable<string> = []): CountryOption[] {
  const codes = new Set(ISO_COUNTRIES)
  for (const code of extra) if (/^[A-Z]{2}$/.test(code)) codes.add(code)
  const collator = new Intl.Collator(locale)
  return [...codes]
    .map((code) => ({ code, name: countryName(code, locale) }))
    .sort((a, b) => collator.compare(a.name, b.name) || (a.code < b.code ? -1 : 1))
}
