import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

/**
 * The committed English catalog must be exactly what `npm run i18n:extract` makes from the code
 * today. A message missing from it still builds, and then the app shows a hash instead of words:
 * that is what this catches. Extraction runs into a scratch folder with the project's settings.
 */
const root = path.resolve(import.meta.dirname, '..')

/** A PO file without its header block, whose dates and empty fields change on every extraction. */
const entries = (po: string): string => po.slice(po.indexOf('\n\n'))

describe('translation catalogs', () => {
  it('the English catalog holds exactly the messages in the code (else: npm run i18n:extract)', () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'heard-catalog-'))
    try {
      const config = path.join(scratch, 'lingui.config.json')
      writeFileSync(
        config,
        JSON.stringify({
          rootDir: root,
          sourceLocale: 'en',
          locales: ['en'],
          catalogs: [
            {
              path: path.join(scratch, '{locale}', 'messages'),
              include: ['client'],
              exclude: ['**/*.test.ts'],
            },
          ],
          format: 'po',
          formatOptions: { lineNumbers: false },
        }),
      )
      execFileSync(
        path.join(root, 'node_modules', '.bin', 'lingui'),
        ['extract', '--clean', '--config', config],
        {
          cwd: root,
          stdio: 'pipe',
        },
      )
      const fresh = readFileSync(path.join(scratch, 'en', 'messages.po'), 'utf8')
      const committed = readFileSync(path.join(root, 'locales', 'en', 'messages.po'), 'utf8')
      expect(entries(committed)).toBe(entries(fresh))
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  })
})
