import { Trans, useLingui } from '@lingui/react/macro'
import { useEffect, useState } from 'react'
import { Mark } from '../app/Mark'
import { SiteFooter } from '../app/SiteFooter'
import { LanguageSwitcher } from '../i18n/LanguageSwitcher'
import '../styles/broker.css'
import { Console } from './Console'
import { identities, lock, touch } from './engine'
import { JoinForm } from './JoinForm'
import { RestoreKit } from './RestoreKit'
import { SetupWizard } from './SetupWizard'
import { Unlock } from './Unlock'
import { useVault } from './use-vault'

/**
 * The broker console: set up a community (with the relay's one-time link), unlock, work the cases.
 * Keys are unwrapped into memory only; any key or pointer activity postpones the automatic lock.
 */
export default function BrokerApp({ setup }: { readonly setup: boolean }) {
  const { t } = useLingui()
  const vault = useVault()
  const [known, setKnown] = useState<{ community: string; brokerName: string }[] | null>(null)
  useEffect(() => {
    document.title = t`Heard — broker console`
  }, [t])
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-read whenever the vault opens or locks (setup adds an identity)
  useEffect(() => {
    void identities().then(setKnown)
  }, [vault])
  useEffect(() => {
    const activity = () => touch()
    window.addEventListener('keydown', activity)
    window.addEventListener('pointerdown', activity)
    return () => {
      window.removeEventListener('keydown', activity)
      window.removeEventListener('pointerdown', activity)
    }
  }, [])

  return (
    <div className="page broker">
      <header className="broker-bar">
        <div className="broker-bar__inner">
          <div className="broker-bar__brand">
            <Mark className="broker-bar__mark" />
            <span className="broker-bar__title">
              <Trans>Heard · broker console</Trans>
            </span>
          </div>
          <div className="broker-bar__end">
            {vault && (
              <div className="broker-bar__who">
                <span>
                  {vault.identity.brokerName} · {vault.community}
                </span>
                <button type="button" className="button button--quiet broker-bar__lock" onClick={lock}>
                  <Trans>Lock</Trans>
                </button>
              </div>
            )}
            <LanguageSwitcher />
          </div>
        </div>
      </header>
      <main className="broker-main">
        {setup ? (
          // Setup opens the vault as it finishes; the wizard stays to show the recovery kit.
          <SetupWizard />
        ) : vault ? (
          <Console key={vault.community} />
        ) : known === null ? null : known.length === 0 ? (
          <>
            <section className="card">
              <h1 className="card__title">
                <Trans>No broker keys on this device</Trans>
              </h1>
              <p>
                <Trans>
                  To start a community on this relay, open the one-time setup link the relay printed when it
                  started. To join an existing community, make your keys below and send the join request to
                  its admin. Moving to a new device? Restore your keys from your recovery kit.
                </Trans>
              </p>
            </section>
            <JoinForm />
            <RestoreKit />
          </>
        ) : (
          <Unlock identities={known} />
        )}
      </main>
      <SiteFooter />
    </div>
  )
}
