import { Trans, useLingui } from '@lingui/react/macro'
import { useId, useState } from 'react'
import { DownloadKit } from './DownloadKit'
import { AUTO_LOCK_CHOICES, current, currentSettings, recoveryKitOf, saveSettings } from './engine'

/** This broker's own settings on this device: how reports are shown, and when the console locks. */
export function Settings() {
  const { t } = useLingui()
  const ids = { title: useId(), blurHint: useId(), lock: useId() }
  const initial = currentSettings()
  const me = current()
  const [blurReports, setBlurReports] = useState(initial.blurReports)
  const [autoLockMinutes, setAutoLockMinutes] = useState(initial.autoLockMinutes)
  const [state, setState] = useState<'idle' | 'saved' | 'failed'>('idle')

  return (
    <section className="case__section" aria-labelledby={ids.title} data-testid="settings">
      <h2 id={ids.title} className="card__title">
        <Trans>Your settings on this device</Trans>
      </h2>
      <form
        className="broker-form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          saveSettings({ blurReports, autoLockMinutes }).then(
            () => setState('saved'),
            () => setState('failed'),
          )
        }}
      >
        <label className="choice choice--switch">
          <input
            type="checkbox"
            checked={blurReports}
            aria-describedby={ids.blurHint}
            onChange={(e) => {
              setBlurReports(e.target.checked)
              setState('idle')
            }}
          />
          <span>
            <Trans>Hide each report's text until I choose to read it</Trans>
          </span>
        </label>
        <p className="field__hint" id={ids.blurHint}>
          <Trans>
            Reading about harm all day is heavy. With this on, you see the content note first and decide when
            to read.
          </Trans>
        </p>
        <div className="field">
          <label className="field__label" htmlFor={ids.lock}>
            <Trans>Lock the console after this long without activity</Trans>
          </label>
          <select
            id={ids.lock}
            className="field__input"
            value={autoLockMinutes}
            onChange={(e) => {
              setAutoLockMinutes(Number(e.target.value))
              setState('idle')
            }}
          >
            {AUTO_LOCK_CHOICES.map((minutes) => (
              <option key={minutes} value={minutes}>
                {t`${minutes} minutes`}
              </option>
            ))}
          </select>
        </div>
        <p role="status" className={state === 'failed' ? 'field__error' : 'inbox__meta'}>
          {state === 'saved' && <Trans>Saved.</Trans>}
          {state === 'failed' && <Trans>This device could not save the settings. Nothing changed.</Trans>}
        </p>
        <button type="submit" className="button button--primary">
          <Trans>Save the settings</Trans>
        </button>
      </form>
      <h3 className="field__label">
        <Trans>Recovery kit</Trans>
      </h3>
      <p>
        <Trans>
          Your keys, encrypted with your passphrase, in a file to keep somewhere safe. With the file and the
          passphrase you can restore your keys on another device.
        </Trans>
      </p>
      {me && <DownloadKit kit={recoveryKitOf(me.identity)} />}
    </section>
  )
}
