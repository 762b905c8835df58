import { readFileSync } from 'node:fs'
import type { Plugin } from 'vite'

/**
 * Build only. Ships docs/translating.md beside the app as `/translating.txt`, the page the "help
 * improve this translation" link opens: same origin, so following it asks nothing of another website
 * (Heard has no public address of its own to point at), and precached with the rest, so the service
 * worker answers it rather than its fallback, the app shell. Plain text, because the relay serves
 * `.txt` as text/plain (a `.md` file would download) and because the guide reads fine as it is.
 */
export const TRANSLATION_GUIDE_FILE = 'translating.txt'

export function translationGuidePlugin(source: string): Plugin {
  return {
    name: 'heard:translation-guide',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: TRANSLATION_GUIDE_FILE, source: readFileSync(source, 'utf8') })
    },
    configureServer(server) {
      server.middlewares.use(`/${TRANSLATION_GUIDE_FILE}`, (_request, response) => {
        response.setHeader('Content-Type', 'text/plain; charset=utf-8')
        response.end(readFileSync(source, 'utf8'))
      })
    },
  }
}
