import { isLocale, type Locale, pickLocale } from './locales'

/**
 * Browser only. The language a person chose in the switcher stays on this device, and wins over the
 * browser's own preferences next time. Nothing else about the person is kept with it.
 */
export const LOCALE_KEY = 'heard.locale'

/** The language chosen last on this device, if it is one Heard still ships. */
export function storedLocale(): Locale | null {
  try {
    const value = window.localStorage.getItem(LOCALE_KEY)
    return value !== null && isLocale(value) ? value : null
  } catch {
    // Storage can be switched off; the browser's preferences decide instead.
    return null
  }
}

export function rememberLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(LOCALE_KEY, locale)
  } catch {
    // Not kept: the choice still holds for this page.
  }
}

/** The person's own choice, else the best match for the browser's languages, else English. */
export function initialLocale(): Locale {
  return storedLocale() ?? pickLocale(navigator.languages)
}
