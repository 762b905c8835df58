import { Trans, useLingui } from '@lingui/react/macro'
import { useId, useRef, useState } from 'react'
import { CrisisContent } from './CrisisContent'
import { useCommunity } from './use-community'

/**
 * "In danger right now?", in the header of every screen of a community: one tap opens the crisis
 * view over whatever the person was doing (a half-written report stays as it was underneath).
 * A modal dialog, so focus stays inside and Escape closes it; the content is the copy on the
 * device, so it works offline and sends nothing.
 */
export function CrisisButton() {
  const { t } = useLingui()
  const { country, chooseCountry, manifest } = useCommunity()
  const dialog = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const [open, setOpen] = useState(false)

  const show = () => {
    setOpen(true)
    if (!dialog.current?.open) dialog.current?.showModal()
  }

  return (
    <>
      <button
        type="button"
        className="crisis-button"
        onClick={show}
        aria-haspopup="dialog"
        data-testid="crisis-button"
      >
        <Trans>In danger right now?</Trans>
      </button>
      <dialog
        ref={dialog}
        className="crisis-view"
        aria-labelledby={titleId}
        onClose={() => setOpen(false)}
        data-testid="crisis-view"
      >
        {open && (
          <div className="crisis-view__inner">
            <div className="crisis-view__top">
              <h2 id={titleId} className="crisis__title">
                <Trans>If you or someone else is in danger</Trans>
              </h2>
              <button
                type="button"
                className="button button--quiet"
                onClick={() => dialog.current?.close()}
                data-testid="crisis-close"
              >
                {t`Close`}
              </button>
            </div>
            <p>
              <Trans>
                Call emergency services first. Heard does not alert anyone: a report is read by the
                community's brokers as soon as they can, not around the clock.
              </Trans>
            </p>
            <CrisisContent
              country={country}
              onCountryChange={(next) => chooseCountry(next, { remember: true })}
              contact={manifest?.contact}
              level={3}
              countryTestId="crisis-country"
            />
          </div>
        )}
      </dialog>
    </>
  )
}
