import { Trans, useLingui } from '@lingui/react/macro'
import type { Manifest } from '../../shared/protocol'
import { deadlinesOf } from './deadlines'
import type { CaseView } from './engine'

const factsOf = (view: CaseView) => ({
  receivedAt: view.receivedAt,
  status: view.status,
  replied: view.replied,
})

/** In the inbox: only what is overdue. */
export function DeadlineTags({ view, manifest }: { readonly view: CaseView; readonly manifest: Manifest }) {
  const d = deadlinesOf(factsOf(view), manifest, new Date())
  return (
    <>
      {d.acknowledgeOverdue && (
        <span className="tag tag--danger" data-overdue="acknowledge">
          <Trans>Acknowledgement overdue</Trans>
        </span>
      )}
      {d.feedbackOverdue && (
        <span className="tag tag--danger" data-overdue="feedback">
          <Trans>Feedback overdue</Trans>
        </span>
      )}
    </>
  )
}

/** In a case: its age and both dates, overdue ones marked. */
export function DeadlineLine({ view, manifest }: { readonly view: CaseView; readonly manifest: Manifest }) {
  const { i18n } = useLingui()
  const d = deadlinesOf(factsOf(view), manifest, new Date())
  const day = (date: Date) => new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium' }).format(date)
  const ackDue = day(d.acknowledgeBy)
  const feedbackDue = day(d.feedbackBy)
  return (
    <p className="case__deadlines" data-testid="deadlines">
      <Trans>Received {d.ageDays} days ago.</Trans>{' '}
      <span className={d.acknowledgeOverdue ? 'field__error' : undefined}>
        {d.acknowledgeOverdue ? (
          <Trans>Acknowledgement overdue since {ackDue}.</Trans>
        ) : (
          <Trans>Acknowledge by {ackDue}.</Trans>
        )}
      </span>{' '}
      <span className={d.feedbackOverdue ? 'field__error' : undefined}>
        {d.feedbackOverdue ? (
          <Trans>Feedback overdue since {feedbackDue}.</Trans>
        ) : (
          <Trans>Feedback by {feedbackDue}.</Trans>
        )}
      </span>
    </p>
  )
}
