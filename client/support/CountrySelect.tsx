import { useLingui } from '@lingui/react/macro'
import { useMemo } from 'react'
import { isCountryCode } from './country'
import { countryOptions } from './country-names'
import { useOptionalCommunity } from './use-community'

/**
 * A country select: every country, named and sorted in the reader's language. The label is the
 * caller's (`id` ties it), since each place asks its own question. Choosing nothing is allowed.
 */
export function CountrySelect(props: {
  readonly id: string
  readonly value: string
  readonly onChange: (country: string) => void
  readonly describedBy?: string
  readonly testId?: string
}) {
  const { t, i18n } = useLingui()
  const community = useOptionalCommunity()
  const index = community?.directory.state === 'ready' ? community.directory.index : null
  const options = useMemo(
    () =>
      countryOptions(
        i18n.locale,
        // The chosen code too, so a country only an older directory named stays selected.
        [props.value, ...(index === null ? [] : [...index.countries.keys(), ...index.emergency.keys()])],
      ),
    [i18n.locale, index, props.value],
  )
  return (
    <select
      id={props.id}
      className="field__input field__input--select"
      value={isCountryCode(props.value) ? props.value : ''}
      onChange={(e) => props.onChange(e.target.value)}
      aria-describedby={props.describedBy}
      data-testid={props.testId}
    >
      <option value="">{t`Not chosen`}</option>
      {options.map((o) => (
        <option key={o.code} value={o.code}>
          {o.name}
        </option>
      ))}
    </select>
  )
}
