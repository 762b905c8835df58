import { Trans } from '@lingui/react/macro'
import { useId } from 'react'
import { useOnline } from '../pwa/use-online'
import { usePwaStatus } from '../pwa/use-pwa-status'
import { StatusRow } from './StatusRow'

/** Whether Heard will open without a connection, and whether there is one now. */
export function DeviceStatus() {
  const titleId = useId()
  const { offline } = usePwaStatus()
  const online = useOnline()
  return (
    <section className="card card--status" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        <Trans>This device</Trans>
      </h2>
      <ul className="status-list" aria-live="polite">
        {offline === 'ready' && (
          <StatusRow
            name="offline-ready"
            kind="ok"
            label={<Trans>Ready to work offline</Trans>}
            detail={<Trans>Heard is saved on this device and opens even without a connection.</Trans>}
          />
        )}
        {offline === 'preparing' && (
          <StatusRow
            name="offline-ready"
            kind="pending"
            label={<Trans>Getting ready to work offline…</Trans>}
            detail={<Trans>Keep this page open for a moment while Heard saves itself on this device.</Trans>}
          />
        )}
        {offline === 'unavailable' && (
          <StatusRow
            name="offline-ready"
            kind="caution"
            label={<Trans>Offline use is not available here</Trans>}
            detail={
              <Trans>
                This browser does not let Heard save itself for offline use. It still works while you are
                online.
              </Trans>
            }
          />
        )}
        {online ? (
          <StatusRow
            name="connection"
            kind="ok"
            label={<Trans>Online</Trans>}
            detail={<Trans>This device has a network connection.</Trans>}
          />
        ) : (
          <StatusRow
            name="connection"
            kind="off"
            label={<Trans>Offline</Trans>}
            detail={<Trans>There is no connection right now. Heard keeps working on this device.</Trans>}
          />
        )}
      </ul>
    </section>
  )
}
