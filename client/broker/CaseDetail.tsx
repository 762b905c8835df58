import { Trans, useLingui } from '@lingui/react/macro'
import { useEffect, useId, useState } from 'react'
import type { Manifest } from '../../shared/protocol'
import { formatHour } from '../report/format-time'
import { HARM_LABELS, ROLE_LABELS } from '../report/labels'
import { CannedPicker } from './CannedPicker'
import { CaseAttachments } from './CaseAttachments'
import { CaseHandling } from './CaseHandling'
import { DeadlineLine } from './DeadlineTags'
import {
  type CaseStatus,
  type CaseView,
  currentSettings,
  readThread,
  recordChange,
  sendReply,
  type ThreadMessage,
} from './engine'
import { StatusLabel } from './StatusLabel'

const STATUSES: readonly CaseStatus[] = ['new', 'acknowledged', 'referred', 'in_progress', 'closed']
const OUTCOMES = ['resolved', 'no_action_possible', 'referred_elsewhere', 'withdrawn'] as const

/** One case: the report (behind a content note), its signed history, the status, notes and replies. */
export function CaseDetail(props: {
  readonly view: CaseView
  readonly manifest: Manifest
  /** This broker's sign key. */
  readonly me: string
  readonly knownTags: readonly string[]
  readonly onBack: () => void
  readonly onChanged: () => void
}) {
  const { view, manifest } = props
  const { t, i18n } = useLingui()
  const ids = { title: useId(), status: useId(), outcome: useId(), note: useId(), reply: useId() }
  // The wellbeing setting: by default the text waits behind the content note until asked for.
  const [revealed, setRevealed] = useState(() => !currentSettings().blurReports)
  const [status, setStatus] = useState<CaseStatus>(view.status)
  const [outcome, setOutcome] = useState<(typeof OUTCOMES)[number]>('resolved')
  const [note, setNote] = useState('')
  const [reply, setReply] = useState('')
  const [thread, setThread] = useState<readonly ThreadMessage[] | null>(null)
  const [busy, setBusy] = useState(false)
  const [failed, setFailed] = useState(false)
  const report = view.report

  useEffect(() => {
    void readThread(view).then(setThread, () => setThread([]))
  }, [view])

  const act = async (work: () => Promise<void>) => {
    setBusy(true)
    setFailed(false)
    try {
      await work()
      props.onChanged()
    } catch {
      setFailed(true)
    } finally {
      setBusy(false)
    }
  }

  const outcomeLabel = (o: string) =>
    o === 'resolved'
      ? t`Resolved`
      : o === 'no_action_possible'
        ? t`No action possible`
        : o === 'referred_elsewhere'
          ? t`Referred elsewhere`
          : t`Withdrawn by the complainant`

  const brokerNamed = (key: string) =>
    manifest.brokers.find((b) => b.boxKey === key || b.signKey === key)?.name ?? t`a former broker`

  return (
    <article className="case" aria-labelledby={ids.title} data-testid="case">
      <button type="button" className="button button--quiet" onClick={props.onBack}>
        <Trans>Back to the reports</Trans>
      </button>
      <header className="case__head">
        <h1 id={ids.title} className="case__title">
          <Trans>Report #{view.seq}</Trans>
        </h1>
        <StatusLabel status={view.status} />
        <p className="inbox__meta">
          <Trans>Received around {formatHour(view.receivedAt, i18n.locale)} UTC</Trans>
          {view.outcome && <> · {outcomeLabel(view.outcome)}</>}
        </p>
        <DeadlineLine view={view} manifest={manifest} />
      </header>

      {!report ? (
        <p className="notice">
          <Trans>
            This report was sealed before your key was added, so this device cannot open it. A colleague can
            grant you access.
          </Trans>
        </p>
      ) : (
        <section className="case__report">
          {view.grantedBy && (
            <p className="inbox__meta" data-testid="granted-by">
              <Trans>Sealed before your key was added; opened with access granted by {view.grantedBy}.</Trans>
            </p>
          )}
          {report.danger && (
            <p className="tag tag--danger">
              <Trans>The writer said someone is in danger now.</Trans>
            </p>
          )}
          {report.harms && report.harms.length > 0 && (
            <p className="case__note">
              <Trans>Content note: this report mentions</Trans>{' '}
              {report.harms.map((h) => t(HARM_LABELS[h])).join(', ')}.
            </p>
          )}
          {revealed ? (
            <div className="case__body" data-testid="report-body">
              <p className="case__text">{report.text}</p>
              <dl className="receipt__list">
                {report.about && (
                  <>
                    <dt>
                      <Trans>Who</Trans>
                    </dt>
                    <dd>{t(ROLE_LABELS[report.about])}</dd>
                  </>
                )}
                {report.where && (
                  <>
                    <dt>
                      <Trans>Where</Trans>
                    </dt>
                    <dd>{report.where}</dd>
                  </>
                )}
                {report.when && (
                  <>
                    <dt>
                      <Trans>When</Trans>
                    </dt>
                    <dd>{report.when}</dd>
                  </>
                )}
                {report.links && (
                  <>
                    <dt>
                      <Trans>Links</Trans>
                    </dt>
                    <dd className="case__text">{report.links}</dd>
                  </>
                )}
                {report.language && (
                  <>
                    <dt>
                      <Trans>Language</Trans>
                    </dt>
                    <dd>{report.language}</dd>
                  </>
                )}
                <dt>
                  <Trans>Research use</Trans>
                </dt>
                <dd>{report.research ? <Trans>Agreed</Trans> : <Trans>Not agreed</Trans>}</dd>
                <dt>
                  <Trans>Replies</Trans>
                </dt>
                <dd>{report.followUp ? <Trans>Wanted</Trans> : <Trans>Not wanted</Trans>}</dd>
              </dl>
              <CaseAttachments caseId={view.id} refs={report.attachments ?? []} />
            </div>
          ) : (
            <div className="case__veil">
              <p>
                <Trans>The report's text is hidden until you choose to read it.</Trans>
              </p>
              <button type="button" className="button button--primary" onClick={() => setRevealed(true)}>
                <Trans>Read the report</Trans>
              </button>
            </div>
          )}
        </section>
      )}

      <section className="case__section">
        <h2 className="card__title">
          <Trans>Status</Trans>
        </h2>
        <form
          className="case__row"
          noValidate
          onSubmit={(event) => {
            event.preventDefault()
            void act(() =>
              recordChange(
                view.id,
                status === 'closed' ? { type: 'status', status, outcome } : { type: 'status', status },
                manifest,
              ),
            )
          }}
        >
          <div className="field">
            <label className="field__label" htmlFor={ids.status}>
              <Trans>Set the status</Trans>
            </label>
            <select
              id={ids.status}
              className="field__input"
              value={status}
              onChange={(e) => setStatus(e.target.value as CaseStatus)}
            >
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s === 'new'
                    ? t`New`
                    : s === 'acknowledged'
                      ? t`Acknowledged`
                      : s === 'referred'
                        ? t`Referred`
                        : s === 'in_progress'
                          ? t`In progress`
                          : t`Closed`}
                </option>
              ))}
            </select>
          </div>
          {status === 'closed' && (
            <div className="field">
              <label className="field__label" htmlFor={ids.outcome}>
                <Trans>Outcome</Trans>
              </label>
              <select
                id={ids.outcome}
                className="field__input"
                value={outcome}
                onChange={(e) => setOutcome(e.target.value as (typeof OUTCOMES)[number])}
              >
                {OUTCOMES.map((o) => (
                  <option key={o} value={o}>
                    {outcomeLabel(o)}
                  </option>
                ))}
              </select>
            </div>
          )}
          <button
            type="submit"
            className="button button--primary"
            disabled={busy || (status === view.status && status !== 'closed')}
          >
            <Trans>Record</Trans>
          </button>
        </form>
      </section>

      <CaseHandling
        key={`${view.assignee}`}
        view={view}
        manifest={manifest}
        me={props.me}
        knownTags={props.knownTags}
        busy={busy}
        record={(change) => void act(() => recordChange(view.id, change, manifest))}
      />

      {report?.followUp && (
        <section className="case__section">
          <h2 className="card__title">
            <Trans>Conversation with the complainant</Trans>
          </h2>
          <ul className="thread" data-testid="broker-thread">
            {thread?.length === 0 && (
              <li className="thread__empty">
                <Trans>No messages yet.</Trans>
              </li>
            )}
            {thread?.map((m) => (
              <li
                key={m.seq}
                className={`thread__message thread__message--${m.from === 'broker' ? 'me' : 'broker'}`}
                data-from={m.from}
              >
                <p className="thread__meta">
                  {m.from === 'broker' ? <Trans>Brokers</Trans> : <Trans>Complainant</Trans>} ·{' '}
                  <Trans>around {formatHour(m.receivedAt, i18n.locale)} UTC</Trans>
                </p>
                <p className="thread__text">
                  {m.text ?? <Trans>(could not be opened on this device)</Trans>}
                </p>
              </li>
            ))}
          </ul>
          <form
            className="broker-form"
            noValidate
            onSubmit={(event) => {
              event.preventDefault()
              if (!reply.trim()) return
              void act(async () => {
                await sendReply(view, reply, manifest)
                setReply('')
                setThread(await readThread(view))
              })
            }}
          >
            <CannedPicker manifest={manifest} reportLanguage={report.language} onPick={setReply} />
            <div className="field">
              <label className="field__label" htmlFor={ids.reply}>
                <Trans>Reply to the complainant</Trans>
              </label>
              <textarea
                id={ids.reply}
                className="field__input"
                rows={4}
                value={reply}
                onChange={(e) => setReply(e.target.value)}
              />
            </div>
            <button type="submit" className="button button--primary" disabled={busy}>
              <Trans>Seal and send the reply</Trans>
            </button>
          </form>
        </section>
      )}

      <section className="case__section">
        <h2 className="card__title">
          <Trans>Notes and history</Trans>
        </h2>
        <form
          className="broker-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault()
            if (!note.trim()) return
            void act(async () => {
              await recordChange(view.id, { type: 'note', text: note.trim() }, manifest)
              setNote('')
            })
          }}
        >
          <div className="field">
            <label className="field__label" htmlFor={ids.note}>
              <Trans>Add a note for the brokers</Trans>
            </label>
            <textarea
              id={ids.note}
              className="field__input"
              rows={3}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </div>
          <button type="submit" className="button button--quiet" disabled={busy}>
            <Trans>Add the note</Trans>
          </button>
        </form>
        {failed && (
          <p className="field__error" role="alert">
            <Trans>That did not reach the relay. Nothing was changed; try again.</Trans>
          </p>
        )}
        <ol className="history" data-testid="history">
          <li className="history__item">
            <Trans>Received around {formatHour(view.receivedAt, i18n.locale)} UTC</Trans>
          </li>
          {view.events.map((e) => (
            <li
              key={e.id}
              className={`history__item${e.rejected ? ' history__item--rejected' : ''}`}
              data-verdict={e.rejected ?? 'ok'}
            >
              {e.rejected ? (
                <Trans>
                  Rejected and not applied: an event that does not verify ({e.rejected}). Someone may have
                  tampered with it.
                </Trans>
              ) : e.event ? (
                <HistoryLine
                  event={e.event}
                  author={e.authorName ?? '?'}
                  locale={i18n.locale}
                  outcomeLabel={outcomeLabel}
                  brokerNamed={brokerNamed}
                />
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </article>
  )
}

function HistoryLine({
  event,
  author,
  locale,
  outcomeLabel,
  brokerNamed,
}: {
  readonly event: NonNullable<CaseView['events'][number]['event']>
  readonly author: string
  readonly locale: string
  readonly outcomeLabel: (o: string) => string
  /** A broker's name from their box or sign key in the manifest. */
  readonly brokerNamed: (key: string) => string
}) {
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(event.at),
  )
  const change = event.change
  return (
    <span>
      <span className="history__meta">
        {when} · {author} <Trans>(signature verified)</Trans>:
      </span>{' '}
      {change.type === 'status' ? (
        <>
          <Trans>status set to</Trans> <StatusLabel status={change.status} />
          {'outcome' in change && change.outcome ? ` · ${outcomeLabel(change.outcome)}` : ''}
        </>
      ) : change.type === 'note' ? (
        <span className="case__text">{change.text}</span>
      ) : change.type === 'reply' ? (
        <Trans>replied to the complainant</Trans>
      ) : change.type === 'assign' ? (
        change.to ? (
          <Trans>assigned the case to {brokerNamed(change.to)}</Trans>
        ) : (
          <Trans>left the case unassigned</Trans>
        )
      ) : change.type === 'tag' ? (
        <>
          {change.add && change.add.length > 0 && <Trans>tagged {change.add.join(', ')}</Trans>}
          {change.add && change.add.length > 0 && change.remove && change.remove.length > 0 && '; '}
          {change.remove && change.remove.length > 0 && (
            <Trans>removed the tag {change.remove.join(', ')}</Trans>
          )}
        </>
      ) : (
        <Trans>granted {brokerNamed(change.to)} access to this report</Trans>
      )}
    </span>
  )
}
