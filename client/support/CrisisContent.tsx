import { Trans, useLingui } from '@lingui/react/macro'
import { useId, useMemo } from 'react'
import { match, type ServiceMatch } from '../../shared/directory/match'
import { CountrySelect } from './CountrySelect'
import { isCountryCode } from './country'
import { countryName } from './country-names'
import { DirectoryNotice } from './DirectoryNotice'
import { EmergencyNumbers } from './EmergencyNumbers'
import { ServiceItem } from './ServiceItem'
import { useCommunity } from './use-community'

const NO_HARMS: readonly string[] = []

export interface CrisisContentProps {
  readonly country: string
  readonly onCountryChange: (country: string) => void
  /** Directory topics, to put the lines that fit first; none is fine. */
  readonly harms?: readonly string[]
  /** The community's own safety contact (manifest.contact), shown last. */
  readonly contact: string | undefined
  /** The heading level of this content's sections. */
  readonly level: 3 | 4
  /** Only the crisis view's select carries `crisis-country`. */
  readonly countryTestId?: string
  /** Off where the same page already says what is wrong with the directory. */
  readonly showNotice?: boolean
}

/**
 * The crisis path's content: where the person is, that country's emergency numbers, the verified
 * lines that answer at any hour, then the community's own contact. All from the copy on this
 * device, matched here: opening it sends nothing. Emergency numbers are never guessed: a country
 * without a checked one gets a plain sentence saying so.
 */
export function CrisisContent(props: CrisisContentProps) {
  const { t, i18n } = useLingui()
  const { directory } = useCommunity()
  const ids = { country: useId(), numbers: useId(), lines: useId() }
  const Heading = props.level === 3 ? 'h3' : 'h4'
  const country = isCountryCode(props.country) ? props.country : ''
  const harms = props.harms ?? NO_HARMS
  const index = directory.state === 'ready' ? directory.index : null
  const result = useMemo(
    () =>
      index === null ? null : match(index, { country, languages: navigator.languages, harms, urgent: true }),
    [index, country, harms],
  )
  const emergency = result?.matches.find((m) => m.reason === 'emergency')
  const lines = (result?.matches.filter((m) => m.reason === 'crisis_24_7') ?? []) as ServiceMatch[]
  const name = country === '' ? '' : countryName(country, i18n.locale)

  return (
    <div className="crisis__body">
      <div className="field">
        <label className="field__label" htmlFor={ids.country}>
          <Trans>Country you are in</Trans>
        </label>
        <CountrySelect
          id={ids.country}
          value={country}
          onChange={props.onCountryChange}
          testId={props.countryTestId}
        />
      </div>
      {props.showNotice !== false && <DirectoryNotice directory={directory} />}

      <section className="crisis__section" aria-labelledby={ids.numbers}>
        <Heading id={ids.numbers} className="crisis__label">
          <Trans>Emergency services</Trans>
        </Heading>
        {directory.state === 'loading' ? (
          <p role="status">{t`Looking up the numbers saved on this device…`}</p>
        ) : emergency !== undefined ? (
          <EmergencyNumbers entry={emergency.entry} />
        ) : country === '' ? (
          <p>
            <Trans>
              Choose your country to see its emergency numbers. Until then, call your local emergency number.
            </Trans>
          </p>
        ) : index === null ? (
          <p>
            <Trans>Heard has no emergency numbers on this device. Call your local emergency number.</Trans>
          </p>
        ) : (
          <p data-testid="no-emergency-number">
            <Trans>We have no checked emergency number for {name}. Call your local emergency number.</Trans>
          </p>
        )}
      </section>

      {lines.length > 0 && (
        <section className="crisis__section" aria-labelledby={ids.lines}>
          <Heading id={ids.lines} className="crisis__label">
            <Trans>Lines that answer at any hour</Trans>
          </Heading>
          <ul className="referrals__list">
            {lines.map((m) => (
              <ServiceItem
                key={m.service.id}
                organization={m.organization}
                service={m.service}
                contacts={m.contacts}
                verified={m.verified}
                level={props.level === 3 ? 4 : 5}
                testId="crisis-line"
              />
            ))}
          </ul>
        </section>
      )}

      {props.contact && (
        <div className="crisis__contact">
          <Heading className="crisis__label">
            <Trans>This community's own safety contact</Trans>
          </Heading>
          <p className="crisis__text">{props.contact}</p>
        </div>
      )}
    </div>
  )
}
