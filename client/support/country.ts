import { COUNTRY_CODE } from '../../shared/directory/fields'

/**
 * Browser only where it says so. The country a person is in, for referrals and the crisis path.
 * It is only ever what the person chose, or the region their browser's language tag states
 * outright (`de-AT` → AT): never IP geolocation, never a guess from a bare language (`de` could be
 * Germany, Austria, Switzerland…), because a confidently wrong country gives a wrong emergency
 * number. It stays on this device: the report never carries it.
 */

/** Where the last country the person chose is kept, so the crisis path opens on it next time. */
export const COUNTRY_KEY = 'heard.country'

export const isCountryCode = (value: string): boolean => COUNTRY_CODE.test(value)

/**
 * Platform-neutral. The region stated in the first of `languages` (BCP 47, best first) that states
 * one, if it is a country (`es-419`, Latin America, is not); null when none does.
 */
export function countryFromLanguages(languages: readonly string[]): string | null {
  for (const tag of languages) {
    let region: string | undefined
    try {
      // Intl.Locale reads the tag as written; only maximize() would add a likely region.
      region = new Intl.Locale(tag).region
    } catch {
      continue
    }
    if (region !== undefined) return isCountryCode(region) ? region : null
  }
  return null
}

/** Browser only. The country chosen last on this device, if any. */
export function storedCountry(): string | null {
  try {
    const value = window.localStorage.getItem(COUNTRY_KEY)
    return value !== null && isCountryCode(value) ? value : null
  } catch {
    // Storage can be switched off; the person can still choose each time.
    return null
  }
}

/** Browser only. Keeps `country` for next time; an empty value forgets it. */
export function rememberCountry(country: string): void {
  try {
    if (isCountryCode(country)) window.localStorage.setItem(COUNTRY_KEY, country)
    else if (country === '') window.localStorage.removeItem(COUNTRY_KEY)
  } catch {
    // Not kept: the choice still holds for this page.
  }
}

/** Browser only. The person's last choice, else their browser's stated region, else '' (ask). */
export function defaultCountry(): string {
  return storedCountry() ?? countryFromLanguages(navigator.languages) ?? ''
}
