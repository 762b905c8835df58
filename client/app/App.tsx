import { Trans, useLingui } from '@lingui/react/macro'
import { lazy, Suspense, useEffect } from 'react'
import { FollowUpScreen } from '../follow-up/FollowUpScreen'
import { ComplainantScreen } from '../report/ComplainantScreen'
import { CommunityProvider } from '../support/CommunityProvider'
import { CrisisButton } from '../support/CrisisButton'
import { SupportScreen } from '../support/SupportScreen'
import { TransparencyScreen } from '../transparency/TransparencyScreen'
import { DeviceStatus } from './DeviceStatus'
import { GoodToKnow } from './GoodToKnow'
import { Masthead } from './Masthead'
import { RouteNotice } from './RouteNotice'
import type { Page, Route } from './route'
import { SiteFooter } from './SiteFooter'
import { UpdateBanner } from './UpdateBanner'
import { type HomeCommunity, useHomeCommunity } from './use-home-community'
import { useRoute } from './use-route'
import { WhatHeardDoes } from './WhatHeardDoes'

/**
 * `/` and `/c/<community>`: the report form; `…/follow-up`: replies; `…/support`: where to get
 * help. Quick exit everywhere; on a community's screens, the crisis button too.
 */
export function App() {
  const route = useRoute()
  if (route.kind === 'broker' || route.kind === 'setup') {
    return (
      <Suspense fallback={<p className="notice">…</p>}>
        <BrokerApp setup={route.kind === 'setup'} />
      </Suspense>
    )
  }
  return <ComplainantApp route={route} />
}

/** The broker console is its own chunk: a complainant never downloads it. */
const BrokerApp = lazy(() => import('../broker/BrokerApp'))

function ComplainantApp({ route }: { readonly route: Exclude<Route, { kind: 'broker' | 'setup' }> }) {
  const { t } = useLingui()
  useEffect(() => {
    document.title = t`Heard`
  }, [t])
  const linked = route.kind === 'community' && route.valid ? route.community : null
  const home = useHomeCommunity(route.kind === 'home')
  const community = linked ?? (home.state === 'one' ? home.community : null)
  const page: Page = route.kind === 'not-found' ? 'report' : route.page
  const screen = (
    <>
      <Masthead community={community} crisis={community !== null && <CrisisButton />} />
      <main className="content">
        {route.kind === 'not-found' && <RouteNotice kind="not-found" />}
        {route.kind === 'community' && !route.valid && <RouteNotice kind="invalid-community" />}
        {community !== null && page === 'report' && (
          <ComplainantScreen key={community} community={community} linked={linked !== null} />
        )}
        {community !== null && page === 'follow-up' && (
          <FollowUpScreen key={community} community={community} linked={linked !== null} />
        )}
        {community !== null && page === 'transparency' && (
          <TransparencyScreen key={community} community={community} linked={linked !== null} />
        )}
        {community !== null && page === 'support' && <SupportScreen key={community} />}
        {route.kind === 'home' && community === null && <HomeNotice home={home} />}
        <div className="content__grid">
          <DeviceStatus />
          <WhatHeardDoes />
          <GoodToKnow />
        </div>
      </main>
    </>
  )
  return (
    <div className="page">
      <UpdateBanner />
      {community === null ? (
        screen
      ) : (
        // One provider per screen, as before: trust and the directory are checked again on each.
        <CommunityProvider key={`${community}/${page}`} community={community} linked={linked !== null}>
          {screen}
        </CommunityProvider>
      )}
      <SiteFooter />
    </div>
  )
}

function HomeNotice({ home }: { readonly home: HomeCommunity }) {
  switch (home.state) {
    case 'loading':
      return (
        <p className="notice" role="status">
          <Trans>Looking for this relay's community…</Trans>
        </p>
      )
    case 'many':
      return (
        <nav className="card" aria-labelledby="community-list-title">
          <h2 className="card__title" id="community-list-title">
            <Trans>Which community is this about?</Trans>
          </h2>
          <ul className="community-list">
            {home.communities.map((c) => (
              <li key={c.id}>
                <a className="link" href={`/c/${encodeURIComponent(c.id)}`}>
                  {c.name}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )
    case 'none':
      return (
        <p className="notice" role="status">
          <Trans>No community has been set up on this relay yet, so it cannot take reports.</Trans>
        </p>
      )
    case 'unreachable':
      return (
        <p className="notice" role="status">
          <Trans>
            Heard cannot reach its relay right now. If you have a link for your community, open it; it works
            offline once it has been opened online.
          </Trans>
        </p>
      )
    case 'one':
      return null
  }
}
