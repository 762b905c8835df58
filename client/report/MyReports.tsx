import { useLingui } from '@lingui/react'
import { Trans } from '@lingui/react/macro'
import { useId } from 'react'
import type { DraftSummary, OutboxRow } from '../engine'
import { AttachmentProgress } from './AttachmentProgress'
import { DraftLock, type DraftLockProps } from './DraftLock'
import { formatHour } from './format-time'
import { HeldCheck } from './HeldCheck'
import { ReportStatus } from './ReportStatus'

/** Reports sent from this device and drafts kept on it. Neither list shows report text beyond a draft's first words. */
export function MyReports(props: {
  readonly reports: readonly OutboxRow[]
  readonly drafts: readonly DraftSummary[]
  readonly onResume: (id: string) => void
  readonly onDelete: (id: string) => void
  /** "Is my report still held?": checks with the relay and keeps the answer with the report. */
  readonly onCheckHeld: (id: string) => Promise<void>
  readonly lock: DraftLockProps
}) {
  const { i18n } = useLingui()
  const reportsId = useId()
  const draftsId = useId()
  if (props.reports.length === 0 && props.drafts.length === 0) return null
  return (
    <div className="mine">
      {props.drafts.length > 0 && (
        <section className="card card--quiet" aria-labelledby={draftsId} data-testid="drafts">
          <h2 id={draftsId} className="card__title">
            <Trans>Drafts on this device</Trans>
          </h2>
          <p className="field__hint">
            <Trans>Stored encrypted. Only this browser on this device can open them.</Trans>
          </p>
          <DraftLock {...props.lock} />
          <ul className="mine__list">
            {props.drafts.map((d) => (
              <li key={d.id} className="mine__item">
                <span className="mine__text">
                  <span className="mine__preview">
                    {d.preview === null ? (
                      <Trans>Locked draft</Trans>
                    ) : (
                      d.preview || <Trans>(no text yet)</Trans>
                    )}
                  </span>
                  <span className="mine__meta">{d.updatedAt.replace('T', ' ').replace('Z', ' UTC')}</span>
                </span>
                <span className="mine__actions">
                  <button
                    type="button"
                    className="button button--quiet"
                    disabled={d.preview === null}
                    onClick={() => props.onResume(d.id)}
                  >
                    <Trans>Open</Trans>
                  </button>
                  <button type="button" className="button button--quiet" onClick={() => props.onDelete(d.id)}>
                    <Trans>Delete</Trans>
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {props.reports.length > 0 && (
        <section className="card card--quiet" aria-labelledby={reportsId} data-testid="my-reports">
          <h2 id={reportsId} className="card__title">
            <Trans>Reports sent from this device</Trans>
          </h2>
          <ul className="mine__list" aria-live="polite">
            {props.reports.map((r) => (
              <li key={r.id} className="mine__item" data-report-id={r.id}>
                <span className="mine__text">
                  <ReportStatus row={r} />
                  {r.state === 'stored' && r.receipt && <HeldCheck row={r} onCheck={props.onCheckHeld} />}
                  <span className="mine__meta">
                    {r.receipt ? (
                      <Trans>
                        Report number {r.receipt.seq}, received around{' '}
                        {formatHour(r.receipt.receivedAt, i18n.locale)} UTC
                      </Trans>
                    ) : (
                      <Trans>Sealed {r.createdAt.slice(0, 16).replace('T', ' ')} UTC</Trans>
                    )}
                  </span>
                </span>
                <AttachmentProgress row={r} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  )
}
