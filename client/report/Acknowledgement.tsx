import { useLingui } from '@lingui/react'
import { Trans } from '@lingui/react/macro'
import { useEffect, useId, useMemo, useRef } from 'react'
import { topicsForHarms } from '../../shared/directory/harm-topics'
import type { HarmKind } from '../../shared/protocol/report-kinds'
import { AppLink } from '../app/AppLink'
import type { OutboxRow } from '../engine'
import { Referrals } from '../support/Referrals'
import { AttachmentProgress } from './AttachmentProgress'
import { CrisisPanel } from './CrisisPanel'
import { FollowUpPassphrase, type FollowUpPassphraseProps } from './FollowUpPassphrase'
import { formatHour } from './format-time'
import { LogCheckText } from './HeldCheck'
import { ReportStatus } from './ReportStatus'

/** What the referrals are matched on: from the form, and never sent. */
export interface SupportNeeds {
  /** ISO country code, or '' when not chosen. */
  readonly country: string
  /** The report's language as the person gave it (a code, a name, or ''). */
  readonly language: string
  readonly harms: readonly HarmKind[]
}

/** The report's language first when it looks like a language tag, then the browser's. */
const languagesFor = (language: string): string[] => {
  const own = language.trim()
  return /^[a-z]{2,3}(?:-|$)/i.test(own) ? [own, ...navigator.languages] : [...navigator.languages]
}

export interface AcknowledgementProps {
  readonly row: OutboxRow | undefined
  readonly danger: boolean
  readonly contact: string | undefined
  readonly followUp: Omit<FollowUpPassphraseProps, 'confirmed' | 'onConfirmed'> | null
  readonly confirmed: boolean
  readonly onConfirmed: () => void
  readonly onDone: () => void
  readonly followUpHref: string
  readonly supportHref: string
  readonly needs: SupportNeeds
  readonly onCountryChange: (country: string) => void
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
  const { needs } = props
  const languages = useMemo(() => languagesFor(needs.language), [needs.language])
  const topics = useMemo(() => topicsForHarms(needs.harms), [needs.harms])
  return (
    <section className="ack" aria-labelledby={titleId} data-testid="acknowledgement">
      {props.danger && (
        <CrisisPanel
          contact={props.contact}
          country={needs.country}
          onCountryChange={props.onCountryChange}
          harms={needs.harms}
        />
      )}
      <h2 id={titleId} className="ack__title" tabIndex={-1} ref={heading}>
        <Trans>Thank you. Your report is sealed for the community's brokers.</Trans>
      </h2>
      <p className="ack__status" aria-live="polite" data-testid="report-status">
        {props.row ? <ReportStatus row={props.row} /> : <Trans>Saving…</Trans>}
      </p>
      {props.row && <AttachmentProgress row={props.row} />}
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

      <Referrals
        country={needs.country}
        onCountryChange={props.onCountryChange}
        languages={languages}
        harms={topics}
        contact={props.danger ? undefined : props.contact}
        // Leaving this screen before the passphrase is kept would lose it for good.
        browseHref={mustConfirm ? null : props.supportHref}
        showNotice={!props.danger}
      />

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
