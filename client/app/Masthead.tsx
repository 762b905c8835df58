import { Trans } from '@lingui/react/macro'
import type { ReactNode } from 'react'
import { LanguageSwitcher } from '../i18n/LanguageSwitcher'
import { QuickExit } from '../safety/QuickExit'
import { Mark } from './Mark'

/**
 * The app's name, what it is in one sentence, and the community a link points to, if any. Quick
 * exit is always there; a community's screens add the crisis button right under it (`crisis`). The
 * language switcher closes it: near the top, for a person who cannot read the language shown.
 */
export function Masthead({
  community,
  crisis,
}: {
  readonly community: string | null
  readonly crisis?: ReactNode
}) {
  return (
    <header className="masthead">
      <div className="masthead__inner">
        <div className="masthead__top">
          <div className="masthead__brand">
            <Mark className="masthead__mark" />
            <h1 className="masthead__title">
              <Trans>Heard</Trans>
            </h1>
          </div>
          <QuickExit />
        </div>
        {crisis && <div className="masthead__crisis">{crisis}</div>}
        <p className="masthead__lead">
          <Trans>
            A confidential place to report harassment in your online community. What you write is sealed on
            this device before it is sent.
          </Trans>
        </p>
        {community !== null && (
          <p className="masthead__community" data-community={community}>
            <Trans>
              Community: <strong className="masthead__community-id">{community}</strong>
            </Trans>
          </p>
        )}
        <LanguageSwitcher className="masthead__language" />
      </div>
    </header>
  )
}
