import { Trans } from '@lingui/react/macro'
import { useId, useState } from 'react'
import type { LockState } from '../engine'

export interface DraftLockProps {
  readonly state: LockState
  readonly minLength: number
  readonly onSet: (pin: string) => Promise<void>
  readonly onUnlock: (pin: string) => Promise<boolean>
  readonly onRemove: () => Promise<void>
}

/** The optional PIN over drafts: set it, enter it to open drafts, or remove it. */
export function DraftLock(props: DraftLockProps) {
  const inputId = useId()
  const [pin, setPinText] = useState('')
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<'short' | 'wrong' | null>(null)

  const run = async (action: () => Promise<void>) => {
    setBusy(true)
    try {
      await action()
    } finally {
      setBusy(false)
    }
  }

  if (props.state === 'unlocked')
    return (
      <div className="draft-lock" data-lock="unlocked">
        <p className="field__hint">
          <Trans>Your drafts need your PIN to open.</Trans>
        </p>
        <button
          type="button"
          className="button button--quiet"
          disabled={busy}
          onClick={() => void run(props.onRemove)}
        >
          <Trans>Remove the PIN</Trans>
        </button>
      </div>
    )

  if (props.state === 'none' && !open)
    return (
      <div className="draft-lock" data-lock="none">
        <button type="button" className="button button--quiet" onClick={() => setOpen(true)}>
          <Trans>Protect drafts with a PIN</Trans>
        </button>
      </div>
    )

  const locked = props.state === 'locked'
  return (
    <form
      className="draft-lock draft-lock--form"
      data-lock={props.state}
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        if (pin.length < props.minLength) {
          setProblem('short')
          return
        }
        void run(async () => {
          if (locked) {
            const ok = await props.onUnlock(pin)
            setProblem(ok ? null : 'wrong')
            if (ok) setPinText('')
          } else {
            await props.onSet(pin)
            setPinText('')
            setProblem(null)
            setOpen(false)
          }
        })
      }}
    >
      {locked && (
        <p>
          <Trans>Your drafts are locked with a PIN.</Trans>
        </p>
      )}
      <div className="field">
        <label className="field__label" htmlFor={inputId}>
          {locked ? <Trans>PIN</Trans> : <Trans>New PIN (at least {props.minLength} characters)</Trans>}
        </label>
        <input
          id={inputId}
          className="field__input draft-lock__input"
          type="password"
          autoComplete={locked ? 'current-password' : 'new-password'}
          value={pin}
          aria-invalid={problem !== null}
          onChange={(e) => setPinText(e.target.value)}
        />
      </div>
      {problem && (
        <p className="field__error" role="alert">
          {problem === 'short' ? (
            <Trans>A PIN needs at least {props.minLength} characters.</Trans>
          ) : (
            <Trans>That PIN does not open your drafts.</Trans>
          )}
        </p>
      )}
      {!locked && (
        <p className="field__hint">
          <Trans>If you forget the PIN, the drafts cannot be opened again; they can only be deleted.</Trans>
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? (
          <Trans>Working… this takes a second</Trans>
        ) : locked ? (
          <Trans>Unlock drafts</Trans>
        ) : (
          <Trans>Set PIN</Trans>
        )}
      </button>
    </form>
  )
}
