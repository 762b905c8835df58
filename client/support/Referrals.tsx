import { Trans, useLingui } from '@lingui/react/macro'
import { useId, useMemo } from 'react'
import { match, type ServiceMatch, URGENT_REASONS } from '../../shared/directory/match'
import { AppLink } from '../app/AppLink'
import { CountrySelect } from './CountrySelect'
import { DirectoryNotice } from './DirectoryNotice'
import { ServiceItem } from './ServiceItem'
import { useCommunity } from './use-community'

/** Enough to choose from without burying the first ones; the rest are one link away. */
export const REFERRAL_LIMIT = 6

/**
 * Where to get support after a report: the community's own contact, then the directory's best
 * matches for the country, languages and harms, ranked on this device (nothing about the person
 * is sent). The urgent tiers are the crisis panel's job; this list is the calmer follow-on.
 */
export function Referrals(props: {
  readonly country: string
  readonly onCountryChange: (country: string) => void
  /** BCP 47 tags, best first. */
  readonly languages: readonly string[]
  /** Directory topics; none means any. */
  readonly harms: readonly string[]
  /** The community's own safety contact, unless the crisis panel already shows it. */
  readonly contact: string | undefined
  /** The full directory; null while leaving the page would lose something. */
  readonly browseHref: string | null
  readonly showNotice: boolean
}) {
  const { t } = useLingui()
  const { directory } = useCommunity()
  const ids = { title: useId(), country: useId(), hint: useId() }
  const index = directory.state === 'ready' ? directory.index : null
  const { country, languages, harms } = props
  const top = useMemo(() => {
    if (index === null) return []
    const result = match(index, { country, languages, harms, urgent: false })
    return (result.matches.filter((m) => !URGENT_REASONS.includes(m.reason)) as ServiceMatch[]).slice(
      0,
      REFERRAL_LIMIT,
    )
  }, [index, country, languages, harms])

  return (
    <section className="referrals" aria-labelledby={ids.title} data-testid="referrals">
      <h3 id={ids.title} className="ack__subtitle">
        <Trans>Support</Trans>
      </h3>
      {props.contact && (
        <div className="referrals__contact">
          <p className="crisis__label">
            <Trans>This community's own safety contact</Trans>
          </p>
          <p className="crisis__text">{props.contact}</p>
        </div>
      )}
      <div className="field referrals__country">
        <label className="field__label" htmlFor={ids.country}>
          <Trans>Country you are in</Trans>
        </label>
        <p className="field__hint" id={ids.hint}>
          <Trans>Support is matched on this device. Nothing about you is sent.</Trans>
        </p>
        <CountrySelect
          id={ids.country}
          value={country}
          onChange={props.onCountryChange}
          describedBy={ids.hint}
        />
      </div>
      {props.showNotice && <DirectoryNotice directory={directory} />}
      {directory.state === 'loading' && <p role="status">{t`Looking up support saved on this device…`}</p>}
      {index !== null && country === '' && (
        <p className="field__hint">
          <Trans>Choose your country to see support near you, not only worldwide.</Trans>
        </p>
      )}
      {index !== null && top.length === 0 && (
        <p>
          <Trans>The directory has no service that fits yet.</Trans>
        </p>
      )}
      {top.length > 0 && (
        <ul className="referrals__list">
          {top.map((m) => (
            <ServiceItem
              key={m.service.id}
              organization={m.organization}
              service={m.service}
              contacts={m.contacts}
              verified={m.verified}
              reason={m.reason}
              level={4}
              testId="referral"
            />
          ))}
        </ul>
      )}
      {props.browseHref !== null && (
        <p>
          <AppLink className="link" href={props.browseHref}>
            <Trans>Browse all support</Trans>
          </AppLink>
        </p>
      )}
    </section>
  )
}
