import { Hono } from 'hono'
import { openAPIRouteHandler } from 'hono-openapi'
import { createBatchWriter } from './batch-writer'
import { createCommunityLogs } from './communities/community-logs'
import { createManifestCache } from './communities/manifest-cache'
import type { Store } from './db/store'
import { DEFAULT_RESOURCES_DIR, loadGlobalDirectory } from './directory/global-directory'
import { DEFAULT_ATTACHMENT_QUOTA_BYTES, DEFAULT_MAX_REPORT_BYTES } from './env'
import { answerError, errorResponse } from './http/api-error'
import { securityHeaders } from './http/security-headers'
import { mountStaticApp } from './http/static-app'
import { type Logger, routeOf } from './log'
import { attachmentRoutes } from './routes/attachments.routes'
import { authRoutes } from './routes/auth.routes'
import { cannedResponsesRoutes } from './routes/canned-responses.routes'
import { caseEventRoutes, communityEventRoutes } from './routes/case-events.routes'
import { communityListRoutes } from './routes/communities.routes'
import type { RelayDeps } from './routes/context'
import { directoryRoutes, globalDirectoryRoutes } from './routes/directory.routes'
import { healthRoutes } from './routes/health.routes'
import { logKeyRoutes, logRoutes } from './routes/log.routes'
import { mailboxRoutes } from './routes/mailbox.routes'
import { manifestHistoryRoutes, manifestRoutes } from './routes/manifest.routes'
import { reportRoutes } from './routes/reports.routes'
import { transparencyRoutes } from './routes/transparency.routes'
import { RELAY_VERSION } from './version'

export interface AppOptions {
  readonly store: Store
  readonly log: Logger
  readonly maxReportBytes?: number
  /** Attachment chunk bytes one community may hold; DEFAULT_ATTACHMENT_QUOTA_BYTES when absent. */
  readonly attachmentQuotaBytes?: number
  /** Directory of the built PWA; null serves the API only (API tests). */
  readonly staticDir: string | null
  readonly now?: () => Date
  /**
   * 'token' (the default, and what server/main.ts always uses): creating a community spends a
   * one-time setup token. 'open' lets anyone create one: a convenience for tests that are not
   * about setup. Never use it for a relay anyone else can reach.
   */
  readonly communitySetup?: 'token' | 'open'
  /**
   * Where Heard's global referral directory is read from at start-up (organizations.json and
   * emergency-numbers.json); the repository's resources/ by default. Tests may pass their own.
   */
  readonly resourcesDir?: string
}

/** The relay: a JSON API under /api/v1 that stores ciphertext only, and the static PWA. */
export async function createApp(options: AppOptions) {
  const { store, log } = options
  const now = options.now ?? (() => new Date())
  const deps: RelayDeps = {
    store,
    manifests: createManifestCache(store),
    now,
    maxReportBytes: options.maxReportBytes ?? DEFAULT_MAX_REPORT_BYTES,
    attachmentQuotaBytes: options.attachmentQuotaBytes ?? DEFAULT_ATTACHMENT_QUOTA_BYTES,
    insertReport: createBatchWriter((batch) => store.insertReports(batch)),
    relaySecret: await store.relaySecret('challenge-mac'),
    communitySetup: options.communitySetup ?? 'token',
    logs: createCommunityLogs(store, now),
  }
  const globalDirectory = await loadGlobalDirectory(options.resourcesDir ?? DEFAULT_RESOURCES_DIR)

  const api = new Hono()
    .route('/health', healthRoutes())
    .route('/communities', communityListRoutes(deps))
    .route('/communities/:community/manifest', manifestRoutes(deps))
    .route('/communities/:community/manifests', manifestHistoryRoutes(deps))
    .route('/communities/:community/reports', reportRoutes(deps))
    .route('/communities/:community/reports/:id/attachments', attachmentRoutes(deps))
    .route('/communities/:community/auth', authRoutes(deps))
    .route('/communities/:community/mailboxes/:mailbox', mailboxRoutes(deps))
    .route('/communities/:community/cases/:case/events', caseEventRoutes(deps))
    .route('/communities/:community/events', communityEventRoutes(deps))
    .route('/communities/:community/canned-responses', cannedResponsesRoutes(deps))
    .route('/communities/:community/directory', directoryRoutes(deps))
    .route('/communities/:community/log', logRoutes(deps))
    .route('/communities/:community/transparency', transparencyRoutes(deps))
    .route('/log-key', logKeyRoutes(deps))
    .route('/directory', globalDirectoryRoutes(globalDirectory))

  api.get(
    '/openapi.json',
    openAPIRouteHandler(api, {
      documentation: {
        info: {
          title: 'Heard relay API',
          version: RELAY_VERSION,
          description:
            'Stores and forwards sealed envelopes. The relay never sees plaintext. See docs/protocol.md.',
        },
        servers: [{ url: '/api/v1' }],
      },
    }),
  )
  // A known path with another method is 405; anything else under /api is a JSON 404, never the app shell.
  for (const route of [
    '/health',
    '/openapi.json',
    '/communities',
    '/communities/:community/manifest',
    '/communities/:community/manifests',
    '/communities/:community/reports',
    '/communities/:community/reports/:id/attachments',
    '/communities/:community/reports/:id/attachments/:file/chunks/:index',
    '/communities/:community/auth/challenge',
    '/communities/:community/auth/session',
    '/communities/:community/mailboxes/:mailbox',
    '/communities/:community/cases/:case/events',
    '/communities/:community/events',
    '/communities/:community/canned-responses',
    '/communities/:community/directory',
    '/communities/:community/log/head',
    '/communities/:community/log/consistency',
    '/communities/:community/log/inclusion',
    '/log-key',
    '/directory/global',
  ]) {
    api.all(route, (c) => errorResponse(c, 'method_not_allowed'))
  }
  api.all('*', (c) => errorResponse(c, 'not_found'))

  const app = new Hono()
  app.use('*', async (c, next) => {
    await next()
    log.request({ method: c.req.method, route: routeOf(c.req.path), status: c.res.status })
  })
  app.use('*', securityHeaders)
  // Each route that reads a body enforces its own limit (server/http/json-body.ts); a global
  // body-limit middleware would force every request off the Node adapter's fast body path.
  app.route('/api/v1', api)
  app.all('/api/*', (c) => errorResponse(c, 'not_found'))
  if (options.staticDir !== null) mountStaticApp(app, options.staticDir)
  app.onError((error, c) =>
    answerError(c, error, (e) => log.failure(`${c.req.method} ${routeOf(c.req.path)}`, e)),
  )
  app.notFound((c) => errorResponse(c, 'not_found'))
  return app
}

export type RelayApp = Awaited<ReturnType<typeof createApp>>
