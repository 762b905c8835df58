import { Trans } from '@lingui/react/macro'
import { useId, useMemo } from 'react'
import { topicsForHarms } from '../../shared/directory/harm-topics'
import type { HarmKind } from '../../shared/protocol/report-kinds'
import { CrisisContent } from '../support/CrisisContent'

/**
 * Shown first when someone is in danger now: the emergency numbers for the country the person is
 * in, the verified lines that answer at any hour (from the directory on this device), then the
 * community's own contact.
 */
export function CrisisPanel(props: {
  readonly contact: string | undefined
  readonly country: string
  readonly onCountryChange: (country: string) => void
  /** The report's harms, so the lines that fit come first. */
  readonly harms: readonly HarmKind[]
  /** Off where the same page already says what is wrong with the directory. */
  readonly showNotice?: boolean
}) {
  const titleId = useId()
  const topics = useMemo(() => topicsForHarms(props.harms), [props.harms])
  return (
    <section className="crisis" aria-labelledby={titleId} data-testid="crisis-panel">
      <h2 id={titleId} className="crisis__title">
        <Trans>If someone is in danger now</Trans>
      </h2>
      <p>
        <Trans>
          Call your local emergency number first. Sending a report here does not alert anyone immediately: the
          brokers read reports as soon as they can, but not around the clock.
        </Trans>
      </p>
      <CrisisContent
        country={props.country}
        onCountryChange={props.onCountryChange}
        harms={topics}
        contact={props.contact}
        level={3}
        showNotice={props.showNotice}
      />
    </section>
  )
}
