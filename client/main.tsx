import { I18nProvider } from '@lingui/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App'
import { activateLocale, i18n } from './i18n/activate'
import { pickLocale } from './i18n/locales'
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
  await activateLocale(pickLocale(navigator.languages))
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
