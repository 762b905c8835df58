import { Trans } from '@lingui/react/macro'
import { useId } from 'react'

/** What Heard cannot do, said as plainly as what it can. */
export function GoodToKnow() {
  const titleId = useId()
  return (
    <section className="card card--quiet card--limits" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        <Trans>Good to know</Trans>
      </h2>
      <ul className="limits">
        <li>
          <Trans>Reports are read by the team your community chose, not by the people who make Heard.</Trans>
        </li>
        <li>
          <Trans>Heard cannot protect you if someone else controls or watches this device.</Trans>
        </li>
      </ul>
    </section>
  )
}
