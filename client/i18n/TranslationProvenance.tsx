import provenance from 'virtual:heard/provenance'
import { Trans, useLingui } from '@lingui/react/macro'
import { SOURCE_LOCALE } from './locales'

/**
 * Browser only. For a catalog drafted by machine (its PO header says so), one calm line saying so,
 * with a link to the translation guide. The guide is a same-origin file that is only fetched if the
 * link is followed; it opens in a new tab so a report being written is not left behind.
 */
export function TranslationProvenance() {
  const { i18n } = useLingui()
  if (i18n.locale === SOURCE_LOCALE || provenance[i18n.locale] !== 'machine-drafted') return null
  return (
    <p className="translation-provenance" data-testid="translation-provenance">
      <Trans>
        This translation was drafted by machine.{' '}
        <a className="link" href="/translating.txt" hrefLang="en" target="_blank" rel="noopener noreferrer">
          Help improve it
        </a>
      </Trans>
    </p>
  )
}
