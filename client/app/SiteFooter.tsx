import { Trans } from '@lingui/react/macro'
import { TranslationProvenance } from '../i18n/TranslationProvenance'

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <TranslationProvenance />
      <p>
        <Trans>Heard is open source. It makes no requests to any other website.</Trans>
      </p>
    </footer>
  )
}
