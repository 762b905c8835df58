import { Trans } from '@lingui/react/macro'
import { useId, useState } from 'react'
import { type RestoreResult, restoreFromKit } from './engine'

type Problem = Exclude<RestoreResult, { ok: true }>['reason'] | 'no_file'

/** A new device: bring a broker's keys back from their recovery kit file and passphrase. */
export function RestoreKit() {
  const ids = { title: useId(), file: useId(), passphrase: useId(), problem: useId() }
  const [file, setFile] = useState<File | null>(null)
  const [passphrase, setPassphrase] = useState('')
  const [problem, setProblem] = useState<Problem | null>(null)
  const [busy, setBusy] = useState(false)

  return (
    <section className="card" aria-labelledby={ids.title} data-testid="restore-kit">
      <h2 id={ids.title} className="card__title">
        <Trans>Restore your keys from a recovery kit</Trans>
      </h2>
      <form
        className="broker-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          if (!file) return setProblem('no_file')
          setBusy(true)
          setProblem(null)
          void file
            .text()
            .then((text) => restoreFromKit(text, passphrase))
            .then(
              (result) => {
                if (!result.ok) setProblem(result.reason)
              },
              () => setProblem('not_a_kit'),
            )
            .finally(() => setBusy(false))
        }}
      >
        <div className="field">
          <label className="field__label" htmlFor={ids.file}>
            <Trans>Recovery kit file</Trans>
          </label>
          <input
            id={ids.file}
            className="field__input"
            type="file"
            accept="application/json,.json"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.passphrase}>
            <Trans>Passphrase of these keys</Trans>
          </label>
          <input
            id={ids.passphrase}
            className="field__input"
            type="password"
            autoComplete="current-password"
            value={passphrase}
            aria-invalid={problem === 'wrong_passphrase'}
            aria-describedby={problem ? ids.problem : undefined}
            onChange={(e) => setPassphrase(e.target.value)}
          />
        </div>
        {problem && (
          <p className="field__error" id={ids.problem} role="alert" data-testid="restore-problem">
            <RestoreProblem problem={problem} />
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? <Trans>Opening the kit…</Trans> : <Trans>Restore my keys</Trans>}
        </button>
      </form>
    </section>
  )
}

function RestoreProblem({ problem }: { readonly problem: Problem }) {
  switch (problem) {
    case 'no_file':
      return <Trans>Choose the recovery kit file first.</Trans>
    case 'not_a_kit':
      return <Trans>That file is not a Heard recovery kit. Nothing was changed.</Trans>
    case 'wrong_passphrase':
      return <Trans>That passphrase does not open these keys. Nothing was changed.</Trans>
    case 'already_here':
      return <Trans>This device already holds broker keys for that community. Unlock them instead.</Trans>
    case 'mismatch':
      return (
        <Trans>The keys in this file do not match the names it gives them. It may have been altered.</Trans>
      )
  }
}
