import { useLingui } from '@lingui/react/macro'
import type { Contact, Organization, Service } from '../../shared/directory/directory.schema'
import type { MatchReason } from '../../shared/directory/match'
import type { Topic } from '../../shared/directory/topics'
import { ContactLink } from './ContactLink'
import { formatDay } from './format-day'
import { REASON_LABELS, TOPIC_LABELS } from './labels'

export interface ServiceItemProps {
  readonly organization: Organization
  readonly service: Service
  /** The contacts to offer: the matcher's (usable in the person's country), or all of them. */
  readonly contacts: readonly Contact[]
  readonly verified: boolean
  /** Why it is offered; absent in a list not ranked for a country. */
  readonly reason?: MatchReason | undefined
  readonly level: 2 | 3 | 4 | 5
  readonly testId: 'referral' | 'crisis-line' | 'support-result'
  /** Browsing: the topics it helps with. */
  readonly full?: boolean
  /** Say where each number works: the list is not narrowed to the person's country. */
  readonly anyCountry?: boolean
}

/**
 * One service to turn to: who runs it, why it is offered, how to reach it, and where its facts
 * come from. An entry nobody has confirmed yet says so next to its name, never in small print.
 */
export function ServiceItem(props: ServiceItemProps) {
  const { t, i18n } = useLingui()
  const { organization, service } = props
  const Heading = `h${props.level}` as const
  const checked = formatDay(service.verified_at, i18n.locale)
  return (
    <li className="referral" data-testid={props.testId} data-service={service.id}>
      <div className="referral__head">
        <Heading className="referral__name">{service.name}</Heading>
        {!props.verified && <span className="tag tag--unverified">{t`Unverified`}</span>}
      </div>
      {organization.name !== service.name && <p className="referral__org">{organization.name}</p>}
      {props.reason !== undefined && <p className="referral__why">{t(REASON_LABELS[props.reason])}</p>}
      <p className="referral__description">{service.description}</p>
      {props.full && (
        <p className="referral__topics">
          {new Intl.ListFormat(i18n.locale, { type: 'unit' }).format(
            // Typed loosely by the schema's uniqueness check; the picklist made each a Topic.
            (service.topics as readonly Topic[]).map((topic) => t(TOPIC_LABELS[topic])),
          )}
        </p>
      )}
      {props.contacts.length > 0 && (
        <ul className="referral__contacts">
          {props.contacts.map((contact, i) => (
            // Contacts have no id; their order is the directory's own and does not change.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <li key={i}>
              <ContactLink contact={contact} showCountries={props.anyCountry === true} />
            </li>
          ))}
        </ul>
      )}
      <p className="referral__source">
        <a className="link" href={service.source_url} target="_blank" rel="noreferrer">
          {t`Source`}
          <span className="visually-hidden">: {service.name}</span>
        </a>
        {service.status === 'verified' && (
          <>
            {' · '}
            {t`checked ${checked}`}
          </>
        )}
      </p>
    </li>
  )
}
