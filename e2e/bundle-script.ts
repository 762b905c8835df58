import path from 'node:path'
import { build } from 'vite'

/**
 * Node only (test and bench harness). One module of the app and everything it loads, lazily or
 * not, bundled on its own (no app shell, no relay) into one classic script that puts the module's
 * exports on `window[globalName]`: for a blank page (`page.addScriptTag({ content })`) to run code
 * that only a browser can run (canvas, WebCrypto), without serving anything.
 */

const root = path.resolve(import.meta.dirname, '..')

/** `entry` is relative to the repository root, e.g. 'client/evidence/clean-file.ts'. */
export async function bundleScript(entry: string, globalName: string): Promise<string> {
  const result = await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      write: false,
      minify: false,
      emptyOutDir: false,
      // A classic script has no code splitting: the lazily imported modules are inlined.
      lib: { entry: path.join(root, entry), formats: ['iife'], name: globalName },
    },
  })
  const outputs = Array.isArray(result) ? result : [result]
  for (const output of outputs) {
    if (!('output' in output)) continue
    for (const item of output.output) if (item.type === 'chunk') return item.code
  }
  throw new Error(`${entry} did not bundle`)
}
