import { Trans } from '@lingui/react/macro'
import { useId, useState } from 'react'
import { acceptUpdate } from '../pwa/service-worker'
import { usePwaStatus } from '../pwa/use-pwa-status'

/**
 * Offers a waiting new version. Nothing changes until the person presses "Update now"; "Later"
 * only hides the offer on this page, and it comes back on the next visit.
 */
export function UpdateBanner() {
  const titleId = useId()
  const { update } = usePwaStatus()
  const [dismissed, setDismissed] = useState(false)
  const visible =
    update === 'applying' || update === 'applied-elsewhere' || (update === 'waiting' && !dismissed)
  return (
    // The live region is always present so that the offer is announced when it appears.
    <div className="update-slot" aria-live="polite">
      {visible && (
        <section className="update" aria-labelledby={titleId}>
          <div className="update__inner">
            <div className="update__text">
              <p id={titleId} className="update__title">
                {update === 'applied-elsewhere' ? (
                  <Trans>Heard was updated in another window</Trans>
                ) : (
                  <Trans>A new version of Heard is ready</Trans>
                )}
              </p>
              <p className="update__detail">
                {update === 'applied-elsewhere' ? (
                  <Trans>Reload this page to keep using Heard.</Trans>
                ) : (
                  <Trans>
                    It starts when you choose, or by itself once Heard is closed everywhere. Updating reloads
                    this page.
                  </Trans>
                )}
              </p>
            </div>
            <div className="update__actions">
              {update === 'applied-elsewhere' ? (
                <button type="button" className="button button--primary" onClick={acceptUpdate}>
                  <Trans>Reload</Trans>
                </button>
              ) : (
                <>
                  <button
                    type="button"
                    className="button button--primary"
                    onClick={acceptUpdate}
                    disabled={update === 'applying'}
                  >
                    {update === 'applying' ? <Trans>Updating…</Trans> : <Trans>Update now</Trans>}
                  </button>
                  {update === 'waiting' && (
                    <button type="button" className="button button--quiet" onClick={() => setDismissed(true)}>
                      <Trans>Later</Trans>
                    </button>
                  )}
                </>
              )}
            </div>
          </div>
        </section>
      )}
    </div>
  )
}
