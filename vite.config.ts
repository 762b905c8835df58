import { fileURLToPath } from 'node:url'
import { lingui } from '@lingui/vite-plugin'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'
// With extensions: the config and what it imports must load in Node as they are (Vite's native loader).
import { provenancePlugin } from './scripts/vite-plugin-provenance.ts'
import { translationGuidePlugin } from './scripts/vite-plugin-translation-guide.ts'

/**
 * The PWA build. Everything the app needs ships from the relay's own origin (the relay's CSP allows
 * nothing else), and the service worker precaches all of it so the app opens offline.
 */
export default defineConfig({
  plugins: [
    react({ babel: { plugins: ['@lingui/babel-plugin-lingui-macro'] } }),
    lingui(),
    provenancePlugin(fileURLToPath(new URL('locales', import.meta.url))),
    translationGuidePlugin(fileURLToPath(new URL('docs/translating.md', import.meta.url))),
    VitePWA({
      // The app registers the worker itself (client/pwa/) so an update waits for the person's consent.
      injectRegister: false,
      registerType: 'prompt',
      strategies: 'generateSW',
      filename: 'sw.js',
      manifestFilename: 'manifest.webmanifest',
      // The glob below already precaches every file in dist/, icons included; listing them again would duplicate entries.
      includeAssets: [],
      includeManifestIcons: false,
      manifest: {
        id: '/',
        name: 'Heard',
        short_name: 'Heard',
        description:
          'A confidential place to report harassment in your online community. What you write is sealed on this device before it is sent.',
        lang: 'en',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#0b3b46',
        background_color: '#f7f5f1',
        categories: ['social', 'utilities'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The plugin adds manifest.webmanifest itself. Every catalog is a js chunk, so a language
        // switch works offline; `txt` is the translation guide (scripts/vite-plugin-translation-guide.ts).
        globPatterns: ['**/*.{html,js,css,png,svg,woff2,txt}'],
        navigateFallback: 'index.html',
        // API answers are never the app shell, online or off.
        navigateFallbackDenylist: [/^\/api\//],
        // A report POST that fails for want of a network is kept by the worker and sent again when the
        // browser's Background Sync fires, even if Heard is closed by then. The body is the envelope,
        // sealed to the brokers. The page's own outbox retries too; the relay answers a repeat with the
        // same receipt, so the two never make a second report. Leave-no-trace mode opts out by header.
        runtimeCaching: [
          {
            urlPattern: ({ url, request }) =>
              request.method === 'POST' &&
              /^\/api\/v1\/communities\/[^/]+\/reports$/.test(url.pathname) &&
              !request.headers.has('x-heard-no-queue'),
            method: 'POST',
            handler: 'NetworkOnly',
            options: {
              backgroundSync: { name: 'heard-reports', options: { maxRetentionTime: 14 * 24 * 60 } },
            },
          },
        ],
        cleanupOutdatedCaches: true,
        // The first install takes control at once (there is nothing to replace). An update never does:
        // it waits until the person accepts it (no skipWaiting here; the page sends SKIP_WAITING).
        clientsClaim: true,
        skipWaiting: false,
        // Everything from one place: keep the Workbox runtime inside sw.js instead of a second script.
        inlineWorkboxRuntime: true,
        sourcemap: false,
      },
    }),
  ],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Never inline assets as data: URLs; everything is a same-origin file the worker precaches.
    assetsInlineLimit: 0,
  },
})
