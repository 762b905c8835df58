/**
 * `npm run i18n:status`: for each UI locale, how much of the complainant path and of all messages
 * is translated, and who wrote the catalog. Informational: `npm test` prints it without counting
 * it; the failing check is scripts/catalog-status.test.ts, for the locales in COMPLETE_LOCALES.
 */
import path from 'node:path'
import { COMPLETE_LOCALES, catalogStatus, percent } from './catalog-status'

const root = path.resolve(import.meta.dirname, '..')
const rows = catalogStatus(root)
const total = rows[0]
if (total !== undefined) {
  console.log(
    `${rows.length} locales besides English; ${total.complainant.total} complainant-path messages of ${total.all.total}.`,
  )
}
console.log(`${'locale'.padEnd(9)}${'complainant path'.padStart(18)}${'all'.padStart(8)}  provenance`)
for (const r of rows) {
  const kept = COMPLETE_LOCALES.includes(r.locale) ? ', kept complete by npm test' : ''
  console.log(
    `${r.locale.padEnd(9)}${percent(r.complainant).padStart(18)}${percent(r.all).padStart(8)}  ${r.provenance}${kept}`,
  )
}
