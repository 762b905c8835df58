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
  return formatJsonText(`${JSON.stringify(value, null, 2)}\n`, file)
}

/** The same for JSON text laid out by the caller: biome keeps an object on one line if it was. */
export function formatJsonText(text: string, file: string): string {
  const run = spawnSync(
    path.join(ROOT, 'node_modules', '.bin', 'biome'),
    ['format', `--stdin-file-path=${path.relative(ROOT, file)}`],
    { cwd: ROOT, input: text, encoding: 'utf8' },
  )
  if (run.status !== 0) throw new Error(`biome could not format ${file}: ${run.stderr}`)
  return run.stdout
}
