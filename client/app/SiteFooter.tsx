import { Trans } from '@lingui/react/macro'

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <p>
        <Trans>Heard is open source. It makes no requests to any other website.</Trans>
      </p>
    </footer>
  )
}
