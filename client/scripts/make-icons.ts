import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { iconFiles } from './icons'

/**
 * Node only. `npx tsx client/scripts/make-icons.ts` redraws the app icons into `public/`. The output
 * is committed, so a build never needs this step; `icons.test.ts` fails when the two drift apart.
 */
const publicDir = path.resolve(import.meta.dirname, '../../public')

for (const file of iconFiles()) {
  const target = path.join(publicDir, file.path)
  mkdirSync(path.dirname(target), { recursive: true })
  writeFileSync(target, file.bytes)
  process.stdout.write(`wrote public/${file.path} (${file.bytes.length} bytes)\n`)
}
