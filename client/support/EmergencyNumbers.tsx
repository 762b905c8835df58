import { useLingui } from '@lingui/react/macro'
import type { EmergencyCountry, EmergencyServiceType } from '../../shared/directory/emergency-numbers.schema'
import { formatDay } from './format-day'
import { EMERGENCY_TYPE_LABELS } from './labels'

/**
 * A country's checked emergency numbers, each one big and callable with one tap, with the services
 * it reaches in words. All of them, in the source's order: a country may list no number as
 * "ambulance", so none is singled out.
 */
export function EmergencyNumbers({ entry }: { readonly entry: EmergencyCountry }) {
  const { t, i18n } = useLingui()
  const list = new Intl.ListFormat(i18n.locale, { type: 'unit' })
  const checked = formatDay(entry.verified_at, i18n.locale)
  return (
    <>
      <ul className="emergency">
        {entry.numbers.map((n) => (
          <li key={n.number}>
            <a className="emergency__call" href={`tel:${n.number}`} data-testid="emergency-number">
              <span className="visually-hidden">{t`Call`} </span>
              <bdi className="emergency__number">{n.number}</bdi>{' '}
              <span className="emergency__types">
                {list.format(
                  // The schema types `types` loosely (its uniqueness check is untyped); the picklist made it this.
                  (n.types as readonly EmergencyServiceType[]).map((type) => t(EMERGENCY_TYPE_LABELS[type])),
                )}
              </span>
            </a>
          </li>
        ))}
      </ul>
      <p className="referral__source">
        <a className="link" href={entry.source_url} target="_blank" rel="noreferrer">
          {t`Source of these numbers`}
        </a>
        {' · '}
        {t`checked ${checked}`}
      </p>
    </>
  )
}
