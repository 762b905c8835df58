import { createContext, useContext } from 'react'
import type { Manifest } from '../../shared/protocol'
import type { TrustView } from '../report/use-community-trust'
import type { DirectoryState } from '../report/use-directory'

/**
 * Browser only. What every screen of one community shares: its trust, its verified directory and
 * the country the person chose. Loaded once per screen by CommunityProvider, so the crisis button
 * in the header, the form and the referrals read one copy instead of each asking the relay.
 */
export interface CommunityContextValue {
  readonly community: string
  /** Opened by its own link (`/c/<community>`), so addresses keep the community in them. */
  readonly linked: boolean
  readonly trust: TrustView
  /** The manifest in force: the trusted one, or the pinned one while a change is looked into. */
  readonly manifest: Manifest | null
  readonly directory: DirectoryState
  /** The country last chosen on this screen, else the device's remembered or stated one; '' unknown. */
  readonly country: string
  /** `remember` keeps it on the device for next time (not in "leave no trace" mode). */
  readonly chooseCountry: (country: string, options: { readonly remember: boolean }) => void
}

export const CommunityContext = createContext<CommunityContextValue | null>(null)

/** The community screen's shared state; only inside CommunityProvider. */
export function useCommunity(): CommunityContextValue {
  const value = useContext(CommunityContext)
  if (value === null) throw new Error('useCommunity outside CommunityProvider')
  return value
}

/** The same, or null outside a community (the country select also works without one). */
export const useOptionalCommunity = (): CommunityContextValue | null => useContext(CommunityContext)
