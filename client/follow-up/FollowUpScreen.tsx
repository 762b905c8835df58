import { useLingui } from '@lingui/react'
import { Trans } from '@lingui/react/macro'
import { useEffect, useId, useState } from 'react'
import { AppLink } from '../app/AppLink'
import { loadEngine } from '../app/engine'
import { pathOf } from '../app/route'
import type { FollowUpKeys, MailboxMessage } from '../engine'
import { formatHour } from '../report/format-time'
import { onQuickExit } from '../safety/quick-exit'
import { useCommunity } from '../support/use-community'

type Problem =
  | { readonly kind: 'word_count'; readonly count: number }
  | { readonly kind: 'unknown_word'; readonly word: string }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'send_failed' }
  | { readonly kind: 'not_trusted' }

/**
 * Replies, from any device: the eight words open the mailbox (keys in memory only, gone when the
 * page closes), the brokers' replies are opened here, and an answer is sealed to the brokers.
 */
export function FollowUpScreen({
  community,
  linked,
}: {
  readonly community: string
  readonly linked: boolean
}) {
  const { i18n } = useLingui()
  const { trust } = useCommunity()
  const ids = { title: useId(), input: useId(), hint: useId(), answer: useId(), thread: useId() }
  const [passphrase, setPassphrase] = useState('')
  const [keys, setKeys] = useState<FollowUpKeys | null>(null)
  const [messages, setMessages] = useState<readonly MailboxMessage[] | null>(null)
  const [answer, setAnswer] = useState('')
  const [busy, setBusy] = useState<'opening' | 'sending' | null>(null)
  const [problem, setProblem] = useState<Problem | null>(null)
  const [sent, setSent] = useState(false)

  useEffect(
    () =>
      onQuickExit(() => {
        setPassphrase('')
        setKeys(null)
        setMessages(null)
        setAnswer('')
      }),
    [],
  )

  const refresh = async (opened: FollowUpKeys) => {
    const engine = await loadEngine()
    try {
      setMessages(await engine.readMailbox(opened, community))
    } catch {
      setProblem({ kind: 'unreachable' })
    }
  }

  const openBox = async () => {
    setProblem(null)
    setBusy('opening')
    try {
      const engine = await loadEngine()
      const opened = await engine.openMailbox(passphrase, community)
      if (!opened.ok) {
        setProblem(
          opened.reason === 'word_count'
            ? { kind: 'word_count', count: opened.count }
            : { kind: 'unknown_word', word: opened.word },
        )
        return
      }
      setPassphrase('')
      setKeys(opened.keys)
      await refresh(opened.keys)
    } finally {
      setBusy(null)
    }
  }

  const send = async () => {
    if (!keys || answer.trim() === '') return
    if (trust.state !== 'trusted') {
      setProblem({ kind: 'not_trusted' })
      return
    }
    setProblem(null)
    setSent(false)
    setBusy('sending')
    try {
      const engine = await loadEngine()
      await engine.sendAnswer(keys, trust.manifest, answer)
      setAnswer('')
      setSent(true)
      await refresh(keys)
    } catch {
      setProblem({ kind: 'send_failed' })
    } finally {
      setBusy(null)
    }
  }

  return (
    <div className="screen">
      <section className="card" aria-labelledby={ids.title} data-testid="follow-up">
        <h2 id={ids.title} className="card__title">
          <Trans>Read replies to your report</Trans>
        </h2>
        {keys === null ? (
          <form
            className="follow-up__open"
            noValidate
            onSubmit={(event) => {
              event.preventDefault()
              void openBox()
            }}
          >
            <div className="field">
              <label className="field__label" htmlFor={ids.input}>
                <Trans>Your passphrase (eight words)</Trans>
              </label>
              <p className="field__hint" id={ids.hint}>
                <Trans>
                  The words you kept when you sent your report. Nothing else is needed, on any device.
                </Trans>
              </p>
              <input
                id={ids.input}
                className="field__input"
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                aria-describedby={ids.hint}
                aria-invalid={problem?.kind === 'word_count' || problem?.kind === 'unknown_word'}
                value={passphrase}
                onChange={(e) => setPassphrase(e.target.value)}
              />
            </div>
            <ProblemText problem={problem} />
            <button type="submit" className="button button--primary" disabled={busy !== null}>
              {busy === 'opening' ? (
                <Trans>Opening… this takes a few seconds</Trans>
              ) : (
                <Trans>Open replies</Trans>
              )}
            </button>
          </form>
        ) : (
          <div className="follow-up__box">
            <ul className="thread" aria-labelledby={ids.thread} data-testid="thread" aria-live="polite">
              {messages !== null && messages.length === 0 && (
                <li className="thread__empty">
                  <Trans>
                    No replies yet. Brokers read every report as soon as they can; please come back later.
                  </Trans>
                </li>
              )}
              {messages?.map((m) => (
                <li key={m.seq} className={`thread__message thread__message--${m.from}`} data-from={m.from}>
                  <p className="thread__meta">
                    {m.from === 'broker' ? <Trans>The brokers</Trans> : <Trans>You</Trans>}
                    {' · '}
                    <Trans>around {formatHour(m.receivedAt, i18n.locale)} UTC</Trans>
                  </p>
                  <p className="thread__text">
                    {m.text ?? <Trans>This message could not be opened with your passphrase.</Trans>}
                  </p>
                </li>
              ))}
            </ul>
            <span id={ids.thread} hidden>
              <Trans>Messages</Trans>
            </span>
            <form
              className="follow-up__answer"
              noValidate
              onSubmit={(event) => {
                event.preventDefault()
                void send()
              }}
            >
              <div className="field">
                <label className="field__label" htmlFor={ids.answer}>
                  <Trans>Write to the brokers</Trans>
                </label>
                <textarea
                  id={ids.answer}
                  className="field__input"
                  rows={4}
                  value={answer}
                  onChange={(e) => {
                    setAnswer(e.target.value)
                    setSent(false)
                  }}
                />
              </div>
              <ProblemText problem={problem} />
              {sent && (
                <p className="passphrase__done" role="status">
                  <Trans>Sealed and sent.</Trans>
                </p>
              )}
              <div className="passphrase__actions">
                <button type="submit" className="button button--primary" disabled={busy !== null}>
                  {busy === 'sending' ? <Trans>Sealing…</Trans> : <Trans>Seal and send</Trans>}
                </button>
                <button type="button" className="button button--quiet" onClick={() => void refresh(keys)}>
                  <Trans>Check for new replies</Trans>
                </button>
                <button
                  type="button"
                  className="button button--quiet"
                  onClick={() => {
                    setKeys(null)
                    setMessages(null)
                  }}
                >
                  <Trans>Close</Trans>
                </button>
              </div>
            </form>
          </div>
        )}
      </section>
      <p>
        <AppLink className="link" href={pathOf(linked ? community : null, 'report')}>
          <Trans>Write a new report instead</Trans>
        </AppLink>
      </p>
    </div>
  )
}

function ProblemText({ problem }: { readonly problem: Problem | null }) {
  if (problem === null) return null
  return (
    <p className="field__error" role="alert">
      {problem.kind === 'word_count' ? (
        <Trans>A passphrase has eight words; this has {problem.count}. Check that none is missing.</Trans>
      ) : problem.kind === 'unknown_word' ? (
        <Trans>“{problem.word}” is not one of the passphrase words. Check its spelling.</Trans>
      ) : problem.kind === 'unreachable' ? (
        <Trans>
          Heard cannot reach the relay right now. Your replies are safe there; try again when you are online.
        </Trans>
      ) : problem.kind === 'not_trusted' ? (
        <Trans>Heard cannot send to this community right now; open the report page to see why.</Trans>
      ) : (
        <Trans>Your answer was not sent. It is still here; try again when you are online.</Trans>
      )}
    </p>
  )
}
