import { Trans, useLingui } from '@lingui/react/macro'
import { useId, useState } from 'react'

export interface FollowUpPassphraseProps {
  readonly passphrase: string
  /** Two 1-based word positions the person types back. */
  readonly positions: readonly [number, number]
  readonly check: (answers: readonly { position: number; word: string }[]) => boolean
  readonly confirmed: boolean
  readonly onConfirmed: () => void
}

/**
 * The follow-up passphrase, shown once, with a check that it was kept: people lose receipts by
 * clicking away before saving them, so leaving needs two words typed back or the file saved.
 */
export function FollowUpPassphrase(props: FollowUpPassphraseProps) {
  const { t } = useLingui()
  const titleId = useId()
  const words = props.passphrase.split(' ')
  const [answers, setAnswers] = useState<[string, string]>(['', ''])
  const [wrong, setWrong] = useState(false)
  const [first, second] = props.positions

  const save = () => {
    const blob = new Blob([`${t`Heard follow-up passphrase`}\n\n${props.passphrase}\n`], {
      type: 'text/plain',
    })
    const url = URL.createObjectURL(blob)
    const a = document.createElement('a')
    a.href = url
    a.download = 'heard-passphrase.txt'
    a.click()
    setTimeout(() => URL.revokeObjectURL(url), 1_000)
    props.onConfirmed()
  }

  return (
    <section className="passphrase" aria-labelledby={titleId} data-testid="passphrase">
      <h3 id={titleId} className="passphrase__title">
        <Trans>Your passphrase for replies</Trans>
      </h3>
      <p>
        <Trans>
          Write these eight words down, or save them. They are the only way to read replies; nobody, not even
          the brokers, can recover them for you.
        </Trans>
      </p>
      <ol className="passphrase__words" data-testid="passphrase-words">
        {words.map((word, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: positions are the identity here; words may repeat
          <li key={i} className="passphrase__word">
            {word}
          </li>
        ))}
      </ol>
      {props.confirmed ? (
        <p className="passphrase__done" role="status">
          <Trans>Kept. You can read replies at any time with these words.</Trans>
        </p>
      ) : (
        <form
          className="passphrase__check"
          noValidate
          onSubmit={(event) => {
            event.preventDefault()
            const ok = props.check([
              { position: first, word: answers[0] },
              { position: second, word: answers[1] },
            ])
            setWrong(!ok)
            if (ok) props.onConfirmed()
          }}
        >
          <p className="passphrase__prompt">
            <Trans>To be sure you kept them, type two of the words back.</Trans>
          </p>
          <div className="passphrase__inputs">
            {[first, second].map((position, i) => (
              <label className="field" key={position}>
                <span className="field__label">
                  <Trans>Word {position}</Trans>
                </span>
                <input
                  className="field__input"
                  autoComplete="off"
                  autoCapitalize="none"
                  spellCheck={false}
                  value={answers[i]}
                  aria-invalid={wrong}
                  onChange={(e) =>
                    setAnswers(i === 0 ? [e.target.value, answers[1]] : [answers[0], e.target.value])
                  }
                />
              </label>
            ))}
          </div>
          {wrong && (
            <p className="field__error" role="alert">
              <Trans>Those words do not match. Look at the list above and try again.</Trans>
            </p>
          )}
          <div className="passphrase__actions">
            <button type="submit" className="button button--primary">
              <Trans>Check</Trans>
            </button>
            <button type="button" className="button button--quiet" onClick={save}>
              <Trans>Save as a file instead</Trans>
            </button>
          </div>
        </form>
      )}
    </section>
  )
}
