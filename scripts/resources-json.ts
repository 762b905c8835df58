import { spawnSync } from 'node:child_process'
import path from 'node:path'

export const ROOT = path.resolve(import.meta.dirname, '..')
export const RESOURCES = path.join(ROOT, 'resources')

/**
 * JSON laid out exactly as `biome ci` wants it, so generated files pass the lint step and a
 * regenerated file differs from the committed one only where the data changed. Biome itself does
 * the layout (its rules for folding short arrays are not worth re-implementing); `file` is the
 * path biome should assume, which picks its JSON settings.
 */
export function formatJson(value: unknown, file: string): string {
  const run = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'biome'),
    ['format', `--stdin-file-path=${path.relative(ROOT, file)}`],
    { cwd: ROOT, input: `${JSON.stringify(value, null, 2)}\n`, encoding: 'utf8' },
  )
  if (run.status !== 0) throw new Error(`biome could not format ${file}: ${run.stderr}`)
  return run.stdout
}
