import { Trans } from '@lingui/react/macro'

/** Said when the address is not one the app knows, with the way back to the start page. */
export function RouteNotice({ kind }: { readonly kind: 'invalid-community' | 'not-found' }) {
  return (
    <div className="notice" data-notice={kind}>
      <p>
        {kind === 'invalid-community' ? (
          <Trans>This link does not contain a valid community name. Check the link you were given.</Trans>
        ) : (
          <Trans>There is nothing at this address.</Trans>
        )}
      </p>
      <p>
        <a className="link" href="/">
          <Trans>Go to the start page</Trans>
        </a>
      </p>
    </div>
  )
}
