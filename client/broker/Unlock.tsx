import { Trans } from '@lingui/react/macro'
import { useEffect, useId, useState } from 'react'
import { unlock } from './engine'

/** Passphrase → keys in memory. Wrong passphrases wait longer and longer, and say so. */
export function Unlock({
  identities,
}: {
  readonly identities: readonly { community: string; brokerName: string }[]
}) {
  const ids = { title: useId(), community: useId(), passphrase: useId() }
  const [community, setCommunity] = useState(identities[0]?.community ?? '')
  const [passphrase, setPassphrase] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<{ kind: 'wrong' | 'wait'; retryAt: number } | null>(null)
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    if (!problem) return
    const timer = window.setInterval(() => setNow(Date.now()), 500)
    return () => window.clearInterval(timer)
  }, [problem])
  const wait = problem ? Math.max(0, Math.ceil((problem.retryAt - now) / 1000)) : 0

  return (
    <section className="card broker-unlock" aria-labelledby={ids.title}>
      <h1 id={ids.title} className="card__title">
        <Trans>Unlock your broker keys</Trans>
      </h1>
      <form
        className="broker-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          setBusy(true)
          void unlock(community, passphrase)
            .then((result) => {
              if (result.ok) return
              if (result.reason === 'no_identity') return
              setPassphrase('')
              setProblem({ kind: result.reason === 'wait' ? 'wait' : 'wrong', retryAt: result.retryAt })
            })
            .finally(() => setBusy(false))
        }}
      >
        {identities.length > 1 && (
          <div className="field">
            <label className="field__label" htmlFor={ids.community}>
              <Trans>Community</Trans>
            </label>
            <select
              id={ids.community}
              className="field__input"
              value={community}
              onChange={(e) => setCommunity(e.target.value)}
            >
              {identities.map((i) => (
                <option key={i.community} value={i.community}>
                  {i.community} ({i.brokerName})
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label className="field__label" htmlFor={ids.passphrase}>
            <Trans>Passphrase</Trans>
          </label>
          <input
            id={ids.passphrase}
            className="field__input"
            type="password"
            autoComplete="current-password"
            value={passphrase}
            aria-invalid={problem?.kind === 'wrong'}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </div>
        {problem && (
          <p className="field__error" role="alert" data-testid="unlock-problem">
            {problem.kind === 'wrong' ? (
              <Trans>That passphrase does not open these keys.</Trans>
            ) : (
              <Trans>Too many wrong passphrases.</Trans>
            )}{' '}
            {wait > 0 && <Trans>You can try again in {wait} seconds.</Trans>}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={busy || wait > 0}>
          {busy ? <Trans>Unlocking… this takes a second</Trans> : <Trans>Unlock</Trans>}
        </button>
      </form>
    </section>
  )
}
