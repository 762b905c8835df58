import { Trans, useLingui } from '@lingui/react/macro'
import { useId, useState } from 'react'
import { activateLocale } from './activate'
import { autonym } from './autonym'
import { directionOf, isLocale, LOCALES, type Locale } from './locales'
import { rememberLocale } from './remembered'

/**
 * The UI language, on every screen. Each language is listed by its own name, in its own script and
 * direction, so a person finds theirs whatever language the page is in; the globe says what the
 * list is to someone who cannot read the label. The choice applies at once (no reload) and is
 * remembered on this device.
 */
export function LanguageSwitcher({ className }: { readonly className?: string }) {
  const { i18n } = useLingui()
  const id = useId()
  // The chosen language shows while its catalog loads, instead of the select jumping back.
  const [pending, setPending] = useState<Locale | null>(null)
  const [failed, setFailed] = useState(false)

  const choose = (value: string) => {
    if (!isLocale(value)) return
    rememberLocale(value)
    setPending(value)
    setFailed(false)
    activateLocale(value).then(
      () => setPending(null),
      () => {
        setPending(null)
        setFailed(true)
      },
    )
  }

  return (
    <div className={className ? `language-switcher ${className}` : 'language-switcher'}>
      <label className="language-switcher__label" htmlFor={id}>
        <Globe />
        <Trans>Language</Trans>
      </label>
      <select
        id={id}
        className="language-switcher__select"
        data-testid="language-switcher"
        value={pending ?? i18n.locale}
        onChange={(event) => choose(event.target.value)}
      >
        {LOCALES.map((locale) => (
          <option key={locale} value={locale} lang={locale} dir={directionOf(locale)}>
            {autonym(locale)}
          </option>
        ))}
      </select>
      {failed && (
        <p className="language-switcher__error" role="alert">
          <Trans>That language could not be loaded. Check your connection and try again.</Trans>
        </p>
      )}
    </div>
  )
}

/** A globe: the same in every script and direction, so it is never mirrored. Decorative. */
function Globe() {
  return (
    <svg className="language-switcher__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="9" />
      <path d="M3 12h18M12 3c2.5 2.5 3.75 5.5 3.75 9S14.5 18.5 12 21c-2.5-2.5-3.75-5.5-3.75-9S9.5 5.5 12 3z" />
    </svg>
  )
}
