import { useLingui } from '@lingui/react/macro'
import { useEffect } from 'react'
import { DeviceStatus } from './DeviceStatus'
import { GoodToKnow } from './GoodToKnow'
import { Masthead } from './Masthead'
import { RouteNotice } from './RouteNotice'
import { SiteFooter } from './SiteFooter'
import { UpdateBanner } from './UpdateBanner'
import { useRoute } from './use-route'
import { WhatHeardDoes } from './WhatHeardDoes'

/** The shell: the same calm first screen on `/` and on `/c/<community>`. */
export function App() {
  const route = useRoute()
  const { t } = useLingui()
  useEffect(() => {
    document.title = t`Heard`
  }, [t])
  const community = route.kind === 'community' && route.valid ? route.community : null
  return (
    <div className="page">
      <UpdateBanner />
      <Masthead community={community} />
      <main className="content">
        {route.kind === 'not-found' && <RouteNotice kind="not-found" />}
        {route.kind === 'community' && !route.valid && <RouteNotice kind="invalid-community" />}
        <div className="content__grid">
          <DeviceStatus />
          <WhatHeardDoes />
          <GoodToKnow />
        </div>
      </main>
      <SiteFooter />
    </div>
  )
}
