import { Trans } from '@lingui/react/macro'
import { useId } from 'react'

/** The promises the app is built to keep, in plain words. */
export function WhatHeardDoes() {
  const titleId = useId()
  return (
    <section className="card card--promises" aria-labelledby={titleId}>
      <h2 id={titleId} className="card__title">
        <Trans>What Heard will do</Trans>
      </h2>
      <ul className="promises">
        <li>
          <Trans>
            Seal your report on this device, so only the people your community chose to handle reports can
            read it.
          </Trans>
        </li>
        <li>
          <Trans>Ask only for what you choose to share. No account, no name, no email address.</Trans>
        </li>
        <li>
          <Trans>
            Keep working without a connection. A report waits on this device until it can be sent.
          </Trans>
        </li>
        <li>
          <Trans>Show you where to find support straight away, even offline.</Trans>
        </li>
        <li>
          <Trans>Let you read replies later with a passphrase only you hold, if you want replies.</Trans>
        </li>
        <li>
          <Trans>Load nothing from other websites, and never track you.</Trans>
        </li>
      </ul>
    </section>
  )
}
