import { defineConfig } from '@lingui/cli'

/**
 * English is the source. Catalogs are PO files, compiled by `@lingui/vite-plugin` during the build
 * (no separate compile step). `npx lingui extract` refreshes them from the code.
 */
export default defineConfig({
  sourceLocale: 'en',
  locales: ['en', 'es', 'fr', 'de', 'pt', 'ru', 'ar', 'fa', 'he', 'hi', 'id', 'zh-Hans', 'sw'],
  fallbackLocales: { default: 'en' },
  catalogs: [{ path: '<rootDir>/locales/{locale}/messages', include: ['client'], exclude: ['**/*.test.ts'] }],
  format: 'po',
  // Paths without line numbers, so a moved line does not churn every catalog.
  formatOptions: { lineNumbers: false },
})
