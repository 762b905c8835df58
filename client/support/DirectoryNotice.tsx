import { useLingui } from '@lingui/react'
import { Trans } from '@lingui/react/macro'
import type { DirectoryState } from '../report/use-directory'

/**
 * What to say about the directory itself, wherever it is used: a refused version (a relay can be
 * compromised, and the person should know the list is older than it could be, or missing), a
 * community that has not published one, or a device that has never fetched it. Nothing when all
 * is well.
 */
export function DirectoryNotice({ directory }: { readonly directory: DirectoryState }) {
  const { i18n } = useLingui()
  if (directory.state === 'loading') return null
  if (directory.state === 'ready') {
    if (directory.refused === null) return null
    const date = new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'long' }).format(
      new Date(directory.syncedAt),
    )
    return (
      <p className="notice" role="status" data-testid="directory-refused">
        {directory.refused.code === 'rolled_back' ? (
          <Trans>
            The latest directory from this community's relay was older than the copy on this device, so it was
            not used. Showing the copy verified on {date}.
          </Trans>
        ) : directory.refused.code === 'withdrawn' ? (
          <Trans>
            This community's relay now says it has no directory, though it served one before. Showing the copy
            verified on {date}.
          </Trans>
        ) : (
          <Trans>
            The latest directory from this community's relay failed its signature check, so it was not used.
            Showing the copy verified on {date}.
          </Trans>
        )}
      </p>
    )
  }
  if (directory.refused !== null)
    return (
      <p className="notice notice--stop" role="alert" data-testid="directory-refused">
        <Trans>This community's directory failed its signature check, so it is not shown.</Trans>
      </p>
    )
  if (directory.reason === 'not_published')
    return (
      <p className="support-note" role="status" data-testid="directory-unpublished">
        <Trans>This community has not published its directory of support services yet.</Trans>
      </p>
    )
  return (
    <p className="support-note" role="status" data-testid="directory-offline">
      <Trans>
        The directory of support services is not on this device yet. Heard keeps a copy once it has opened
        this community online.
      </Trans>
    </p>
  )
}
