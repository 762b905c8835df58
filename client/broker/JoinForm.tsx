import { Trans } from '@lingui/react/macro'
import { useId, useState } from 'react'
import { isCommunityId } from '../../shared/protocol/community-id'
import { MIN_PASSPHRASE_LENGTH, requestToJoin } from './engine'
import { NewPassphraseFields, newPassphraseProblem } from './NewPassphraseFields'

/** A new broker makes their keys here and gets a join request (public keys only) for the admin. */
export function JoinForm() {
  const ids = { title: useId(), community: useId(), name: useId() }
  const [form, setForm] = useState({ community: '', name: '', passphrase: '', repeat: '' })
  const [problem, setProblem] = useState<'community' | 'name' | 'short' | 'mismatch' | null>(null)
  const [busy, setBusy] = useState(false)
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value })
  return (
    <section className="card" aria-labelledby={ids.title}>
      <h2 id={ids.title} className="card__title">
        <Trans>Join a community as a broker</Trans>
      </h2>
      <form
        className="broker-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          if (!isCommunityId(form.community)) return setProblem('community')
          if (!form.name.trim()) return setProblem('name')
          const passphraseProblem = newPassphraseProblem(form.passphrase, form.repeat)
          if (passphraseProblem) return setProblem(passphraseProblem)
          setBusy(true)
          void requestToJoin({
            community: form.community,
            brokerName: form.name.trim(),
            passphrase: form.passphrase,
          }).finally(() => setBusy(false))
        }}
      >
        <div className="field">
          <label className="field__label" htmlFor={ids.community}>
            <Trans>Community id</Trans>
          </label>
          <input
            id={ids.community}
            className="field__input"
            value={form.community}
            onChange={set('community')}
            autoCapitalize="none"
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.name}>
            <Trans>Your name as a broker</Trans>
          </label>
          <input
            id={ids.name}
            className="field__input"
            value={form.name}
            onChange={set('name')}
            maxLength={120}
          />
        </div>
        <NewPassphraseFields
          passphrase={form.passphrase}
          repeat={form.repeat}
          onPassphrase={(passphrase) => setForm({ ...form, passphrase })}
          onRepeat={(repeat) => setForm({ ...form, repeat })}
        />
        {problem && (
          <p className="field__error" role="alert">
            {problem === 'community' ? (
              <Trans>A community id uses lowercase letters, digits and inner dashes.</Trans>
            ) : problem === 'name' ? (
              <Trans>Your name is needed, so your colleagues know who you are.</Trans>
            ) : problem === 'short' ? (
              <Trans>The passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters.</Trans>
            ) : (
              <Trans>The two passphrases differ.</Trans>
            )}
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? <Trans>Making keys…</Trans> : <Trans>Make my keys</Trans>}
        </button>
      </form>
    </section>
  )
}
