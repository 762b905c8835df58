import { Trans } from '@lingui/react/macro'
import { useId, useState } from 'react'
import { isCommunityId } from '../../shared/protocol/community-id'
import { navigate } from '../app/use-route'
import { DownloadKit } from './DownloadKit'
import { type CreatedCommunity, createCommunity, MIN_PASSPHRASE_LENGTH } from './engine'
import { NewPassphraseFields, newPassphraseProblem } from './NewPassphraseFields'

type Problem =
  | 'no_token'
  | 'community_id'
  | 'required'
  | 'passphrase_short'
  | 'passphrase_mismatch'
  | 'refused'
  | 'unreachable'

/**
 * A fresh relay's first community, made on this device: root key, the first broker's keys and the
 * first signed manifest. The one-time token from the relay's setup link proves the right to start it.
 */
export function SetupWizard() {
  const token = window.location.hash.replace(/^#/, '')
  const ids = {
    title: useId(),
    community: useId(),
    communityHint: useId(),
    name: useId(),
    policy: useId(),
    policyHint: useId(),
    contact: useId(),
    contactHint: useId(),
    broker: useId(),
  }
  const [form, setForm] = useState({
    community: '',
    name: '',
    policy: '',
    contact: '',
    broker: '',
    passphrase: '',
    repeat: '',
  })
  const [problem, setProblem] = useState<Problem | null>(token ? null : 'no_token')
  const [busy, setBusy] = useState(false)
  const [made, setMade] = useState<CreatedCommunity | null>(null)
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value })

  if (made) return <RecoveryKitView made={made} />

  const submit = async () => {
    if (!token) return setProblem('no_token')
    if (!isCommunityId(form.community)) return setProblem('community_id')
    if (!form.name.trim() || !form.broker.trim()) return setProblem('required')
    const passphraseProblem = newPassphraseProblem(form.passphrase, form.repeat)
    if (passphraseProblem)
      return setProblem(passphraseProblem === 'short' ? 'passphrase_short' : 'passphrase_mismatch')
    setProblem(null)
    setBusy(true)
    try {
      const created = await createCommunity({
        setupToken: token,
        community: form.community,
        name: form.name.trim(),
        policy: form.policy.trim(),
        ...(form.contact.trim() ? { contact: form.contact.trim() } : {}),
        brokerName: form.broker.trim(),
        passphrase: form.passphrase,
      })
      // The token is spent: keep it out of the address bar and the history.
      window.history.replaceState(null, '', '/setup')
      setMade(created)
    } catch (error) {
      setProblem((error as { name?: string }).name === 'RelayRefusal' ? 'refused' : 'unreachable')
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="card broker-setup" aria-labelledby={ids.title}>
      <h1 id={ids.title} className="card__title">
        <Trans>Start your community on Heard</Trans>
      </h1>
      <p>
        <Trans>
          The keys are made here, on this device. The relay receives only the public list of brokers, signed
          by your community's key.
        </Trans>
      </p>
      <form
        className="broker-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          void submit()
        }}
      >
        <div className="field">
          <label className="field__label" htmlFor={ids.name}>
            <Trans>Community name</Trans>
          </label>
          <input
            id={ids.name}
            className="field__input"
            value={form.name}
            onChange={set('name')}
            maxLength={120}
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.community}>
            <Trans>Short id for links</Trans>
          </label>
          <p className="field__hint" id={ids.communityHint}>
            <Trans>
              Lowercase letters, digits and dashes, e.g. “example-wiki”. Reports are sent to /c/your-id.
            </Trans>
          </p>
          <input
            id={ids.community}
            className="field__input"
            value={form.community}
            onChange={set('community')}
            aria-describedby={ids.communityHint}
            aria-invalid={problem === 'community_id'}
            autoCapitalize="none"
            spellCheck={false}
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.policy}>
            <Trans>What complainants should know</Trans>
          </label>
          <p className="field__hint" id={ids.policyHint}>
            <Trans>Who you are and how you handle reports. Shown above the report form.</Trans>
          </p>
          <textarea
            id={ids.policy}
            className="field__input"
            rows={3}
            value={form.policy}
            onChange={set('policy')}
            aria-describedby={ids.policyHint}
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.contact}>
            <Trans>Safety contact (optional)</Trans>
          </label>
          <p className="field__hint" id={ids.contactHint}>
            <Trans>Shown first to someone in danger, e.g. an email address that is read every day.</Trans>
          </p>
          <input
            id={ids.contact}
            className="field__input"
            value={form.contact}
            onChange={set('contact')}
            aria-describedby={ids.contactHint}
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.broker}>
            <Trans>Your name as a broker</Trans>
          </label>
          <input
            id={ids.broker}
            className="field__input"
            value={form.broker}
            onChange={set('broker')}
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
            <SetupProblem problem={problem} />
          </p>
        )}
        <button type="submit" className="button button--primary" disabled={busy || problem === 'no_token'}>
          {busy ? <Trans>Making keys…</Trans> : <Trans>Create the community</Trans>}
        </button>
      </form>
    </section>
  )
}

function SetupProblem({ problem }: { readonly problem: Problem }) {
  switch (problem) {
    case 'no_token':
      return (
        <Trans>This page needs the setup link that the relay printed when it started (it ends in #…).</Trans>
      )
    case 'community_id':
      return <Trans>The short id may use lowercase letters, digits and inner dashes only.</Trans>
    case 'required':
      return <Trans>The community name and your name are needed.</Trans>
    case 'passphrase_short':
      return <Trans>The passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters.</Trans>
    case 'passphrase_mismatch':
      return <Trans>The two passphrases differ.</Trans>
    case 'refused':
      return <Trans>The relay refused: the setup link may have been used already, or the id is taken.</Trans>
    case 'unreachable':
      return <Trans>The relay could not be reached. Nothing was created; try again.</Trans>
  }
}

function RecoveryKitView({ made }: { readonly made: CreatedCommunity }) {
  const titleId = useId()
  const { kit } = made
  return (
    <section className="card broker-setup" aria-labelledby={titleId} data-testid="recovery-kit">
      <h1 id={titleId} className="card__title">
        <Trans>Your community is ready</Trans>
      </h1>
      <p>
        <Trans>
          Download your recovery kit and keep it somewhere safe. It holds your keys, encrypted with your
          passphrase; with both, you can restore your keys on another device.
        </Trans>
      </p>
      <p className="field__label">
        <Trans>Your key fingerprint, to read aloud when a colleague checks it:</Trans>
      </p>
      <p className="fingerprint" data-testid="fingerprint">
        {kit.brokerWords.join(' ')}
      </p>
      {!made.directoryPublished && (
        <p className="field__error" data-testid="setup-directory-unpublished">
          <Trans>
            Your community's referral directory could not be published yet, so complainants see no support
            organisations for now. Publish it from Settings, under Referral directory.
          </Trans>
        </p>
      )}
      <div className="passphrase__actions">
        <DownloadKit kit={kit} />
        <button type="button" className="button button--primary" onClick={() => navigate('/broker')}>
          <Trans>Go to the inbox</Trans>
        </button>
      </div>
    </section>
  )
}
