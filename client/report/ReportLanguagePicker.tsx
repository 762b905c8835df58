import { Plural, Trans, useLingui } from '@lingui/react/macro'
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { REPORT_LIMITS } from '../../shared/protocol/report-kinds'
import {
  exactLanguage,
  type LanguageOption,
  languageOptions,
  optionForValue,
  searchLanguages,
} from './language-search'
import { loadWikipediaLanguages, type WikipediaLanguage } from './report-languages'
import { languageName } from './suggest-language'
import '../styles/report-language.css'

/**
 * The report's language: a text box that suggests every language with a Wikipedia edition (a
 * WAI-ARIA APG combobox with a listbox popup and list autocomplete, no automatic selection).
 *
 * What it stores in the form's `language` field, which the report schema takes as any text of up to
 * REPORT_LIMITS.language characters: the BCP 47 tag of a language from the list, when the person
 * chose one or typed a name or code that names exactly one; otherwise the text as typed. A language
 * that is not on the list therefore reaches the brokers under the person's own name for it. Nothing
 * is invented for it (no `und`, no private-use tag): a made-up tag would hide the name they gave.
 *
 * The list (about 340 languages, a few KB) is imported only when the person first reaches for the
 * field, or when it holds a value to show, so the first screen never pays for it.
 */
export function ReportLanguagePicker(props: {
  readonly id: string
  readonly value: string
  readonly onChange: (value: string) => void
  readonly describedBy?: string
}) {
  const { t, i18n } = useLingui()
  const listId = useId()
  const [languages, setLanguages] = useState<readonly WikipediaLanguage[] | null>(null)
  /** What the person typed; null while the box shows the stored value's label. */
  const [typed, setTyped] = useState<string | null>(null)
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(-1)
  /** The value this picker last gave the form or saw: any other came from outside (a guess, a draft). */
  const [known, setKnown] = useState(props.value)
  const loading = useRef(false)

  const load = () => {
    if (loading.current) return
    loading.current = true
    void loadWikipediaLanguages().then(setLanguages, () => {
      // Offline before the list was cached, say: the box still takes any text. Try again later.
      loading.current = false
    })
  }
  // A value to show (Heard's guess, a restored draft) needs the list for its label.
  useEffect(() => {
    if (props.value !== '') load()
  })

  const nameOf = useMemo(() => (tag: string) => languageName(tag, i18n.locale), [i18n.locale])
  const options = useMemo(
    () => (languages ? languageOptions(languages, nameOf, i18n.locale) : []),
    [languages, nameOf, i18n.locale],
  )
  const label = ({ autonym, name }: LanguageOption) => (name ? t`${autonym} — ${name}` : autonym)

  // A value from outside replaces whatever was typed: the box shows what the form holds.
  if (props.value !== known) {
    setKnown(props.value)
    setTyped(null)
  }

  const selected = optionForValue(options, props.value)
  const shown = typed ?? (selected ? label(selected) : (nameOf(props.value) ?? props.value))
  const matches = typed === null ? options : searchLanguages(options, typed)
  const freeText = typed?.trim() ?? ''
  const offerOther = freeText !== '' && exactLanguage(options, freeText) === null
  const matchCount = matches.length
  const count = matchCount + (offerOther ? 1 : 0)
  const optionId = (index: number) => `${listId}-${index}`
  const expanded = open && count > 0

  const emit = (value: string) => {
    setKnown(value)
    props.onChange(value)
  }
  const resolve = (text: string) => exactLanguage(options, text)?.tag ?? text.slice(0, REPORT_LIMITS.language)
  const choose = (index: number) => {
    const option = matches[index]
    if (option) {
      emit(option.tag)
      setTyped(null)
    } else emit(freeText.slice(0, REPORT_LIMITS.language))
    setOpen(false)
    setActive(-1)
  }
  const openList = (to: 'none' | 'first' | 'last') => {
    load()
    setOpen(true)
    const current = typed === null && selected ? matches.indexOf(selected) : -1
    setActive(to === 'first' ? Math.max(current, 0) : to === 'last' ? count - 1 : current)
  }

  // What was typed before the list arrived is matched once it is here.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when the list arrives
  useEffect(() => {
    if (typed === null || !languages) return
    const resolved = resolve(typed)
    if (resolved !== props.value) emit(resolved)
  }, [languages])

  useEffect(() => {
    if (expanded && active >= 0)
      document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' })
  })

  const onKeyDown = (event: React.KeyboardEvent<HTMLInputElement>) => {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault()
        if (!open) openList(event.altKey ? 'none' : 'first')
        else if (count > 0) setActive((i) => (i + 1 >= count ? 0 : i + 1))
        break
      case 'ArrowUp':
        event.preventDefault()
        if (!open) openList('last')
        else if (count > 0) setActive((i) => (i <= 0 ? count - 1 : i - 1))
        break
      case 'Enter':
        // Enter chooses from an open list; with the list closed it sends the form, like any text box.
        if (!open) break
        event.preventDefault()
        if (active >= 0) choose(active)
        else setOpen(false)
        break
      case 'Escape':
        // One Escape closes the list. Quick exit (Escape twice) still hears it, on purpose.
        if (open) {
          event.preventDefault()
          setOpen(false)
          setActive(-1)
        }
        break
    }
  }

  return (
    <div className="language-picker">
      <input
        id={props.id}
        type="text"
        className="field__input"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
        aria-describedby={props.describedBy}
        autoComplete="off"
        spellCheck={false}
        value={shown}
        maxLength={REPORT_LIMITS.language}
        data-testid="report-language"
        data-value={props.value}
        onFocus={load}
        onClick={() => {
          if (!open) openList('none')
        }}
        onChange={(event) => {
          const text = event.target.value
          setTyped(text)
          setOpen(true)
          setActive(-1)
          load()
          emit(resolve(text))
        }}
        onKeyDown={onKeyDown}
        onBlur={() => {
          setOpen(false)
          setActive(-1)
          // A name that found its language shows as that language from now on.
          if (typed !== null && selected) setTyped(null)
        }}
      />
      <div
        id={listId}
        className="language-picker__list"
        role="listbox"
        aria-label={t`Languages`}
        hidden={!expanded}
        // A press on the list's scrollbar must not take focus from the box (which would close it).
        onMouseDown={(event) => event.preventDefault()}
      >
        {expanded &&
          matches.map((option, index) => {
            const { autonym, name, tag } = option
            return (
              <Option
                key={option.code}
                id={optionId(index)}
                code={option.code}
                active={index === active}
                onChoose={() => choose(index)}
              >
                {name ? (
                  <Trans>
                    <span lang={tag} dir="auto">
                      {autonym}
                    </span>{' '}
                    — <span className="language-picker__name">{name}</span>
                  </Trans>
                ) : (
                  <span lang={tag} dir="auto">
                    {autonym}
                  </span>
                )}
              </Option>
            )
          })}
        {expanded && offerOther && (
          <Option
            id={optionId(matches.length)}
            code=""
            active={active === matches.length}
            onChoose={() => choose(matches.length)}
            other
          >
            <Trans>
              Other language: <span dir="auto">“{freeText}”</span>
            </Trans>
          </Option>
        )}
      </div>
      <p className="visually-hidden" aria-live="polite">
        {expanded && typed !== null && (
          <Plural value={matchCount} one="# language matches" other="# languages match" />
        )}
      </p>
    </div>
  )
}

/**
 * One option. Focus never moves here: the combobox keeps it and points at the active option with
 * aria-activedescendant, as the APG pattern has it, so keys are handled there and a press here
 * must not take focus away (tabIndex -1 only makes the role's focusability explicit).
 */
function Option(props: {
  readonly id: string
  readonly code: string
  readonly active: boolean
  readonly onChoose: () => void
  readonly other?: boolean
  readonly children: React.ReactNode
}) {
  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox handles the keys (see above)
    <div
      id={props.id}
      role="option"
      tabIndex={-1}
      aria-selected={props.active}
      className={
        props.other ? 'language-picker__option language-picker__option--other' : 'language-picker__option'
      }
      data-testid="report-language-option"
      data-code={props.code}
      onMouseDown={(event) => event.preventDefault()}
      onClick={props.onChoose}
    >
      {props.children}
    </div>
  )
}
