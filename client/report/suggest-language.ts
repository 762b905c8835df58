/**
 * Browser only. A guess at the report's language from its text, for the person to accept or change.
 * franc-min (82 languages, ISO 639-3) loads only when there is enough text to guess from, off the
 * first screen's budget. Short text gets no guess: detectors misread a few words (REFERRAL-DATA.md).
 */
export const MIN_CHARS_TO_GUESS = 20

export async function suggestLanguage(text: string): Promise<string | null> {
  if (text.trim().length < MIN_CHARS_TO_GUESS) return null
  const { franc } = await import('franc-min')
  const code = franc(text, { minLength: MIN_CHARS_TO_GUESS })
  if (code === 'und') return null
  try {
    // CLDR's aliases turn ISO 639-3 into the BCP 47 tag people and browsers use: spa → es, arb → ar.
    return Intl.getCanonicalLocales(code)[0] ?? null
  } catch {
    return null
  }
}

/** The language's name in the reader's language, or null when the platform has none for it. */
export function languageName(code: string, uiLocale: string): string | null {
  try {
    const name = new Intl.DisplayNames([uiLocale], { type: 'language', fallback: 'none' }).of(code)
    return name && name !== code ? name : null
  } catch {
    return null
  }
}
