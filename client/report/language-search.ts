import { foldForSearch, tagOf, type WikipediaLanguage } from './report-languages'

/**
 * Platform-neutral. The picker's options in one UI language, and how typed text finds them. Kept
 * apart from the component so the matching rules are tested without a browser.
 */
export interface LanguageOption {
  readonly code: string
  /** What the report stores when this option is chosen. */
  readonly tag: string
  readonly autonym: string
  /** The name in the UI language, or null where the platform has none (never the code). */
  readonly name: string | null
  /** Folded autonym, name, Wikimedia code and tag, in that order. */
  readonly keys: readonly string[]
}

export type NameOf = (tag: string) => string | null

/** Every language once, sorted for the reader: by the name they can read, else by the autonym. */
export function languageOptions(
  languages: readonly WikipediaLanguage[],
  nameOf: NameOf,
  locale: string,
): LanguageOption[] {
  const options = languages.map((language): LanguageOption => {
    const tag = tagOf(language)
    const found = nameOf(tag)
    // "English — English" says nothing twice: the name is dropped where it is the autonym.
    const name = found && found.toLowerCase() !== language.autonym.toLowerCase() ? found : null
    return {
      code: language.code,
      tag,
      autonym: language.autonym,
      name,
      keys: [
        foldForSearch(language.autonym),
        name ? foldForSearch(name) : '',
        language.code,
        tag.toLowerCase(),
      ],
    }
  })
  const collator = new Intl.Collator([locale], { sensitivity: 'base' })
  return options.sort((a, b) => collator.compare(a.name ?? a.autonym, b.name ?? b.autonym))
}

/**
 * The options that match typed text, those starting with it (or with a word of it) first, each
 * group in the list's order. Empty text matches everything.
 */
export function searchLanguages(options: readonly LanguageOption[], text: string): LanguageOption[] {
  const query = foldForSearch(text)
  if (query === '') return [...options]
  const starts: LanguageOption[] = []
  const contains: LanguageOption[] = []
  for (const option of options) {
    const keys = option.keys.filter((key) => key !== '')
    if (keys.some((key) => key.startsWith(query) || key.includes(` ${query}`))) starts.push(option)
    else if (keys.some((key) => key.includes(query))) contains.push(option)
  }
  return [...starts, ...contains]
}

/**
 * The one language typed text names exactly, if any: its code or tag first, then its autonym, then
 * its name in the UI language (two editions can share a name there: "English" is the name of both
 * `en` and `simple` in English, while only `en` calls itself "English").
 */
export function exactLanguage(options: readonly LanguageOption[], text: string): LanguageOption | null {
  const query = foldForSearch(text)
  if (query === '') return null
  for (const key of [[2, 3], [0], [1]] as const) {
    const found = options.filter((option) => key.some((i) => option.keys[i] === query))
    if (found.length === 1) return found[0] ?? null
    if (found.length > 1) return null
  }
  return null
}

/** The option a stored value stands for: by tag (case-insensitive), else by Wikimedia code. */
export function optionForValue(options: readonly LanguageOption[], value: string): LanguageOption | null {
  const wanted = value.trim().toLowerCase()
  if (wanted === '') return null
  return (
    options.find((option) => option.tag.toLowerCase() === wanted) ??
    options.find((option) => option.code === wanted) ??
    null
  )
}
