import { i18n, type Messages } from '@lingui/core'
import { directionOf, type Locale } from './locales'

/**
 * Browser only. Each catalog is its own chunk (compiled from PO by @lingui/vite-plugin at build
 * time), so the app downloads only the active one. The service worker precaches them all, so a
 * language switch works offline too.
 */
const catalogs = import.meta.glob<{ messages: Messages }>('../../locales/*/messages.po')

export async function activateLocale(locale: Locale): Promise<void> {
  const load = catalogs[`../../locales/${locale}/messages.po`]
  if (!load) throw new Error(`No catalog for locale ${locale}`)
  const { messages } = await load()
  i18n.loadAndActivate({ locale, messages })
  const html = document.documentElement
  html.lang = locale
  html.dir = directionOf(locale)
}

export { i18n }
