import { type ReactNode, useCallback, useMemo, useState } from 'react'
import { useCommunityTrust } from '../report/use-community-trust'
import { type DirectoryState, useDirectory } from '../report/use-directory'
import { defaultCountry, rememberCountry } from './country'
import { CommunityContext, type CommunityContextValue } from './use-community'

const NO_DIRECTORY: DirectoryState = { state: 'unavailable', reason: 'offline', refused: null }

/**
 * Browser only. Loads one community's trust and directory for the screen below it (the header's
 * crisis button included) and holds the country the person chose. The directory is verified
 * against the root key of the manifest this device pinned; while trust loads there is none.
 */
export function CommunityProvider({
  community,
  linked,
  children,
}: {
  readonly community: string
  readonly linked: boolean
  readonly children: ReactNode
}) {
  const trust = useCommunityTrust(community)
  const manifest =
    trust.state === 'trusted' ? trust.manifest : trust.state === 'changed' ? trust.pinned : null
  const loaded = useDirectory(community, manifest?.root ?? null)
  // No manifest to verify against (unknown community, relay never reached): no directory either,
  // and the screens must say so instead of waiting for one.
  const directory = trust.state !== 'loading' && manifest === null ? NO_DIRECTORY : loaded
  const [country, setCountry] = useState(defaultCountry)
  const chooseCountry = useCallback((next: string, options: { readonly remember: boolean }) => {
    setCountry(next)
    if (options.remember) rememberCountry(next)
  }, [])
  const value = useMemo<CommunityContextValue>(
    () => ({ community, linked, trust, manifest, directory, country, chooseCountry }),
    [community, linked, trust, manifest, directory, country, chooseCountry],
  )
  return <CommunityContext.Provider value={value}>{children}</CommunityContext.Provider>
}
