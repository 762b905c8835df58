import { Plural, Trans } from '@lingui/react/macro'
import { useId, useState } from 'react'
import type { Manifest } from '../../shared/protocol'
import {
  addBroker,
  current,
  grantHistory,
  type JoinRequest,
  parseJoinRequest,
  removeBroker,
  wordsOf,
} from './engine'

/** Who can read reports, with fingerprint words to check out of band; the admin adds and removes brokers. */
export function Team({
  manifest,
  onChanged,
}: {
  readonly manifest: Manifest
  readonly onChanged: () => void
}) {
  const ids = { title: useId(), request: useId() }
  const me = current()
  const isAdmin = Boolean(me?.secrets.root)
  const [text, setText] = useState('')
  const [parsed, setParsed] = useState<{ request: JoinRequest; words: string[] } | null>(null)
  const [problem, setProblem] = useState<'unreadable' | 'failed' | null>(null)
  const [busy, setBusy] = useState(false)
  /** What the last grant did, per broker (box key): how many reports were granted. */
  const [granted, setGranted] = useState<Record<string, number>>({})

  const run = async (work: () => Promise<void>) => {
    setBusy(true)
    setProblem(null)
    try {
      await work()
      onChanged()
    } catch {
      setProblem('failed')
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="case__section" aria-labelledby={ids.title} data-testid="team">
      <h2 id={ids.title} className="card__title">
        <Trans>Brokers who can read new reports</Trans>
      </h2>
      <ul className="team__list">
        {manifest.brokers.map((b) => (
          <li key={b.signKey} className="team__item">
            <span>
              <strong>{b.name}</strong>
              {b.signKey === me?.identity.signKey && (
                <>
                  {' '}
                  <Trans>(you)</Trans>
                </>
              )}
              <span className="fingerprint fingerprint--small">{wordsOf(b.boxKey, b.signKey).join(' ')}</span>
            </span>
            {b.signKey !== me?.identity.signKey && (
              <span className="team__actions">
                <button
                  type="button"
                  className="button button--quiet"
                  disabled={busy}
                  onClick={() =>
                    void run(async () => {
                      const count = await grantHistory(b.boxKey, manifest)
                      setGranted((g) => ({ ...g, [b.boxKey]: count }))
                    })
                  }
                >
                  <Trans>Grant history access</Trans>
                </button>
                {isAdmin && (
                  <button
                    type="button"
                    className="button button--quiet"
                    disabled={busy}
                    onClick={() => void run(() => removeBroker(b.signKey))}
                  >
                    <Trans>Remove</Trans>
                  </button>
                )}
              </span>
            )}
            {granted[b.boxKey] !== undefined && <GrantResult name={b.name} count={granted[b.boxKey] ?? 0} />}
          </li>
        ))}
      </ul>
      {isAdmin && (
        <form
          className="broker-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault()
            if (parsed) {
              void run(async () => {
                await addBroker(parsed.request)
                setParsed(null)
                setText('')
              })
              return
            }
            const result = parseJoinRequest(text)
            if (result.ok) setParsed({ request: result.request, words: result.words })
            else setProblem('unreadable')
          }}
        >
          <div className="field">
            <label className="field__label" htmlFor={ids.request}>
              <Trans>Add a broker: paste their join request</Trans>
            </label>
            <textarea
              id={ids.request}
              className="field__input"
              rows={3}
              value={text}
              onChange={(e) => {
                setText(e.target.value)
                setParsed(null)
              }}
            />
          </div>
          {parsed && (
            <div className="notice" data-testid="join-check">
              <p>
                <Trans>
                  Ask {parsed.request.name} to read their fingerprint words to you, by phone or in person. Add
                  them only if the words match:
                </Trans>
              </p>
              <p className="fingerprint">{parsed.words.join(' ')}</p>
            </div>
          )}
          {problem && (
            <p className="field__error" role="alert">
              {problem === 'unreadable' ? (
                <Trans>That is not a Heard join request. Ask for it again.</Trans>
              ) : (
                <Trans>The relay did not take the change. Nothing was changed; try again.</Trans>
              )}
            </p>
          )}
          <button type="submit" className="button button--primary" disabled={busy || text.trim() === ''}>
            {parsed ? <Trans>The words match: add to the team</Trans> : <Trans>Check the request</Trans>}
          </button>
        </form>
      )}
    </section>
  )
}

function GrantResult({ name, count }: { readonly name: string; readonly count: number }) {
  return (
    <p className="team__result" role="status" data-testid="grant-result">
      {count === 0 ? (
        <Trans>{name} can already read every report this device can.</Trans>
      ) : (
        <Plural
          value={count}
          one={`${name} can now read # earlier report.`}
          other={`${name} can now read # earlier reports.`}
        />
      )}
    </p>
  )
}
