import { Trans } from '@lingui/react/macro'
import { useId } from 'react'

/**
 * Shown first when someone is in danger now: emergency services, then the community's own contact.
 * The matched crisis lines from the referral directory join this panel when the directory lands.
 */
export function CrisisPanel({ contact }: { readonly contact: string | undefined }) {
  const titleId = useId()
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
      {contact && (
        <div className="crisis__contact">
          <p className="crisis__label">
            <Trans>This community's own safety contact</Trans>
          </p>
          <p className="crisis__text">{contact}</p>
        </div>
      )}
    </section>
  )
}
