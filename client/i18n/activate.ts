import { i18n, type Messages } from '@lingui/core'
import { directionOf, type Locale } from './locales'

/**
 * Browser only. Each catalog is its own chunk (compiled from PO by @lingui/vite-plugin at build
 * time), so a page load fetches only the active one, and a switch fetches the next. The service
 * worker precaches every chunk, catalogs included, so a switch works offline too; those are the
 * worker's fetches, not the page's (a test counting the page's catalog requests must leave out
 * requests whose `serviceWorker()` is set).
 */
const catalogs = import.meta.glob<{ messages: Messages }>('../../locales/*/messages.po')

/** Counts requests, so a slow catalog never overrides one asked for after it. */
let latest = 0

export async function activateLocale(locale: Locale): Promise<void> {
  const load = catalogs[`../../locales/${locale}/messages.po`]
  if (!load) throw new Error(`No catalog for locale ${locale}`)
  const request = ++latest
  const { messages } = await load()
  if (request !== latest) return
  i18n.loadAndActivate({ locale, messages })
  const html = document.documentElement
  html.lang = locale
  html.dir = directionOf(locale)
}

export { i18n }
