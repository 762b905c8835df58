import { Trans } from '@lingui/react/macro'
import { useEffect, useId, useMemo } from 'react'
import { DownloadKit } from './DownloadKit'
import { current, recoveryKitOf, wordsOf } from './engine'

/** Until the admin adds this broker: the request to hand over, and the words to read to them. */
export function JoinWaiting({ onCheck }: { readonly onCheck: () => void }) {
  const titleId = useId()
  const me = current()
  // Derived while rendering, so the box never shows empty before the request is in it.
  const request = useMemo(
    () =>
      me
        ? JSON.stringify({
            kind: 'heard-join-request',
            v: 1,
            community: me.community,
            name: me.identity.brokerName,
            boxKey: me.identity.boxKey,
            signKey: me.identity.signKey,
          })
        : '',
    [me],
  )
  // Look again every half minute, so the console opens by itself once the admin has added this key.
  useEffect(() => {
    const timer = window.setInterval(onCheck, 30_000)
    return () => window.clearInterval(timer)
  }, [onCheck])
  if (!me) return null
  return (
    <section className="card" aria-labelledby={titleId} data-testid="join-waiting">
      <h1 id={titleId} className="card__title">
        {me.identity.rootKey && !me.secrets.root ? (
          <Trans>You are not on the team of {me.community} now</Trans>
        ) : (
          <Trans>Waiting to be added to {me.community}</Trans>
        )}
      </h1>
      {me.identity.rootKey && !me.secrets.root && (
        <p className="notice" data-testid="not-on-team">
          <Trans>
            The community's current list of brokers does not include your key: an admin removed it. Reports
            sent from now on are not sealed to you. If this is a mistake, ask the admin to add you again with
            the request below.
          </Trans>
        </p>
      )}
      <p>
        <Trans>
          Send this join request to your community's admin. It holds only your public keys. Then read them
          your fingerprint words, by phone or in person, so they know the request is yours.
        </Trans>
      </p>
      <pre className="join-request" data-testid="join-request">
        {request}
      </pre>
      <p className="fingerprint" data-testid="join-words">
        {wordsOf(me.identity.boxKey, me.identity.signKey).join(' ')}
      </p>
      <p>
        <Trans>
          Meanwhile, download your recovery kit: your keys, encrypted with your passphrase, to restore them on
          another device.
        </Trans>
      </p>
      <div className="passphrase__actions">
        <DownloadKit kit={recoveryKitOf(me.identity)} />
        <button type="button" className="button button--primary" onClick={onCheck}>
          <Trans>Check again</Trans>
        </button>
      </div>
    </section>
  )
}
