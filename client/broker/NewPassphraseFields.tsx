import { Trans } from '@lingui/react/macro'
import { useId } from 'react'
import { MIN_PASSPHRASE_LENGTH } from './engine'

/** Why a new passphrase cannot be used yet, or null. */
export function newPassphraseProblem(passphrase: string, repeat: string): 'short' | 'mismatch' | null {
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) return 'short'
  if (passphrase !== repeat) return 'mismatch'
  return null
}

/** The passphrase that will wrap a broker's keys on this device, typed twice. */
export function NewPassphraseFields(props: {
  readonly passphrase: string
  readonly repeat: string
  readonly onPassphrase: (value: string) => void
  readonly onRepeat: (value: string) => void
}) {
  const ids = { passphrase: useId(), hint: useId(), repeat: useId() }
  return (
    <>
      <div className="field">
        <label className="field__label" htmlFor={ids.passphrase}>
          <Trans>Passphrase</Trans>
        </label>
        <p className="field__hint" id={ids.hint}>
          <Trans>
            At least {MIN_PASSPHRASE_LENGTH} characters. It unlocks your keys on this device; nobody can reset
            it.
          </Trans>
        </p>
        <input
          id={ids.passphrase}
          className="field__input"
          type="password"
          autoComplete="new-password"
          value={props.passphrase}
          onChange={(e) => props.onPassphrase(e.target.value)}
          aria-describedby={ids.hint}
        />
      </div>
      <div className="field">
        <label className="field__label" htmlFor={ids.repeat}>
          <Trans>Passphrase again</Trans>
        </label>
        <input
          id={ids.repeat}
          className="field__input"
          type="password"
          autoComplete="new-password"
          value={props.repeat}
          onChange={(e) => props.onRepeat(e.target.value)}
        />
      </div>
    </>
  )
}
