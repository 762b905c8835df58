import { existsSync } from 'node:fs'
import path from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Hono } from 'hono'

/**
 * Serve the built PWA. Hashed assets are immutable; the service worker, the HTML shell and the web
 * manifest are revalidated on every load, so an update is noticed (and then offered, never forced).
 * Every other path gets the shell, so deep links such as /c/<community> work.
 */
export function mountStaticApp(app: Hono, staticDir: string): void {
  if (!existsSync(path.join(staticDir, 'index.html'))) {
    throw new Error(`The built app is missing: ${staticDir}/index.html. Run "npm run build" first.`)
  }
  app.use('/assets/*', async (c, next) => {
    await next()
    if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable')
  })
  app.use('*', async (c, next) => {
    await next()
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-cache')
  })
  app.get('*', serveStatic({ root: staticDir }))
  app.get('*', serveStatic({ root: staticDir, path: 'index.html' }))
}
