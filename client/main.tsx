import { I18nProvider } from '@lingui/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { activateLocale, i18n } from './i18n/activate'
import { SOURCE_LOCALE } from './i18n/locales'
import { initialLocale } from './i18n/remembered'
import { startServiceWorker } from './pwa/service-worker'
import './styles/tokens.css'
import './styles/base.css'
import './styles/shell.css'
import './styles/report.css'
import './styles/support.css'

/** Browser only. Load the one catalog the person needs, render, then register the service worker. */
async function main(): Promise<void> {
  const root = document.getElementById('root')
  if (!root) throw new Error('index.html has no #root element')
  const locale = initialLocale()
  // A catalog that cannot be fetched (offline before the worker finished precaching, say) should
  // not leave a blank page: English, the source, is tried once instead.
  await activateLocale(locale).catch((error: unknown) => {
    if (locale === SOURCE_LOCALE) throw error
    return activateLocale(SOURCE_LOCALE)
  })
  createRoot(root).render(
    <StrictMode>
      <I18nProvider i18n={i18n}>
        <App />
      </I18nProvider>
    </StrictMode>,
  )
  await startServiceWorker()
}

void main()
