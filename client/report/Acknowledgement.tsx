import { useLingui } from '@lingui/react'
import { Trans } from '@lingui/react/macro'
import { useEffect, useId, useRef } from 'react'
import { AppLink } from '../app/AppLink'
import type { OutboxRow } from '../engine'
import { CrisisPanel } from './CrisisPanel'
import { FollowUpPassphrase, type FollowUpPassphraseProps } from './FollowUpPassphrase'
import { formatHour } from './format-time'
import { LogCheckText } from './HeldCheck'
import { ReportStatus } from './ReportStatus'

export interface AcknowledgementProps {
  readonly row: OutboxRow | undefined
  readonly danger: boolean
  readonly contact: string | undefined
  readonly followUp: Omit<FollowUpPassphraseProps, 'confirmed' | 'onConfirmed'> | null
  readonly confirmed: boolean
  readonly onConfirmed: () => void
  readonly onDone: () => void
  readonly followUpHref: string
}

/**
 * Shown the moment a report is sealed, online or off: what happened, what happens next, what cannot
 * be promised, the receipt, and where to find support.
 */
export function Acknowledgement(props: AcknowledgementProps) {
  const { i18n } = useLingui()
  const titleId = useId()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  const mustConfirm = props.followUp !== null && !props.confirmed
  return (
    <section className="ack" aria-labelledby={titleId} data-testid="acknowledgement">
      {props.danger && <CrisisPanel contact={props.contact} />}
      <h2 id={titleId} className="ack__title" tabIndex={-1} ref={heading}>
        <Trans>Thank you. Your report is sealed for the community's brokers.</Trans>
      </h2>
      <p className="ack__status" aria-live="polite" data-testid="report-status">
        {props.row ? <ReportStatus row={props.row} /> : <Trans>Saving…</Trans>}
      </p>
      <div className="ack__next">
        <h3 className="ack__subtitle">
          <Trans>What happens next</Trans>
        </h3>
        <ul className="ack__list">
          <li>
            <Trans>
              Only this community's brokers can open your report. The relay that carries it cannot.
            </Trans>
          </li>
          <li>
            <Trans>
              A broker will read it. They may look into it, act within the community, or suggest where to get
              help. They cannot promise a particular outcome.
            </Trans>
          </li>
          <li>
            {props.followUp ? (
              <Trans>
                If they reply, you can read it with your passphrase, from this or any other device.
              </Trans>
            ) : (
              <Trans>You chose not to receive replies, so nobody can contact you about this report.</Trans>
            )}
          </li>
        </ul>
      </div>

      {props.followUp && (
        <FollowUpPassphrase {...props.followUp} confirmed={props.confirmed} onConfirmed={props.onConfirmed} />
      )}

      {props.row?.receipt && (
        <div className="receipt" data-testid="receipt">
          <h3 className="ack__subtitle">
            <Trans>Receipt</Trans>
          </h3>
          <dl className="receipt__list">
            <dt>
              <Trans>Report number</Trans>
            </dt>
            <dd>{props.row.receipt.seq}</dd>
            <dt>
              <Trans>Received</Trans>
            </dt>
            <dd>
              <Trans>around {formatHour(props.row.receipt.receivedAt, i18n.locale)} UTC</Trans>
            </dd>
            <dt>
              <Trans>Fingerprint</Trans>
            </dt>
            <dd className="receipt__hash">{props.row.receipt.hash}</dd>
          </dl>
          <p className="field__hint">
            <Trans>
              The fingerprint is of the sealed report exactly as the relay stored it; this device checked it.
            </Trans>
          </p>
          {props.row.logCheck && (
            <p
              className={props.row.logCheck.ok ? 'held__result' : 'held__result held__result--problem'}
              data-testid="receipt-log-check"
            >
              <LogCheckText check={props.row.logCheck} entry={(props.row.receipt.log?.index ?? 0) + 1} />
            </p>
          )}
        </div>
      )}

      {!props.danger && props.contact && (
        <div className="support">
          <h3 className="ack__subtitle">
            <Trans>Support</Trans>
          </h3>
          <p>{props.contact}</p>
        </div>
      )}

      <div className="ack__actions">
        <button
          type="button"
          className="button button--primary"
          onClick={props.onDone}
          disabled={mustConfirm}
        >
          <Trans>Done</Trans>
        </button>
        {mustConfirm && (
          <p className="field__hint">
            <Trans>Keep your passphrase first: type two of its words back, or save it.</Trans>
          </p>
        )}
        {props.followUp && props.confirmed && (
          <AppLink className="link" href={props.followUpHref}>
            <Trans>Where to read replies later</Trans>
          </AppLink>
        )}
      </div>
    </section>
  )
}
