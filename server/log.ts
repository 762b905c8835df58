/**
 * The relay's only output channel: one JSON line per event on stdout. By design it has no field
 * for addresses, user agents, headers, bodies or query strings, so callers cannot log them. Nor
 * does it write a line per request: a timestamped access log would record each report's exact
 * arrival time, which the relay otherwise keeps only to the hour. Ordinary traffic is counted and
 * summed up once an hour; only failures get a line of their own.
 */
export interface FailedRequest {
  readonly method: string
  /** The route with its community id replaced, never the raw path or query. */
  readonly route: string
  readonly status: number
}

export interface Logger {
  /** Count a request; a 5xx also gets its own line. */
  request(line: FailedRequest): void
  info(message: string): void
  /** Unexpected failures: only the error's name and code, never its message (it may quote data). */
  failure(where: string, error: unknown): void
  /** Write the counts since the last summary and start again (called hourly by the relay). */
  summarize(): void
}

/**
 * Hide which community (and which follow-up mailbox: its id names one complainant; which case or
 * report; which file and chunk) a failing request was for; the route shape is what an operator needs.
 */
export const routeOf = (path: string): string =>
  path
    .replace(/^\/api\/v1\/communities\/[^/]+/, '/api/v1/communities/:community')
    .replace(/^(\/api\/v1\/communities\/:community\/mailboxes)\/[^/]+/, '$1/:mailbox')
    .replace(/^(\/api\/v1\/communities\/:community\/cases)\/[^/]+/, '$1/:case')
    .replace(/^(\/api\/v1\/communities\/:community\/reports)\/[^/]+/, '$1/:id')
    .replace(/^(\/api\/v1\/communities\/:community\/reports\/:id\/attachments)\/[^/]+/, '$1/:file')
    .replace(
      /^(\/api\/v1\/communities\/:community\/reports\/:id\/attachments\/:file\/chunks)\/[^/]+/,
      '$1/:index',
    )
    .slice(0, 120)

export function createLogger(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger {
  const emit = (fields: Record<string, unknown>) =>
    write(JSON.stringify({ t: new Date().toISOString(), ...fields }))
  let counts: Record<string, number> = {}
  return {
    request: (line) => {
      const bucket = `${Math.floor(line.status / 100)}xx`
      counts[bucket] = (counts[bucket] ?? 0) + 1
      if (line.status >= 500) emit({ event: 'server-error', ...line })
    },
    info: (message) => emit({ event: 'info', message }),
    failure: (where, error) => {
      const e = error as { name?: unknown; code?: unknown }
      emit({ event: 'failure', where, name: String(e?.name ?? 'unknown'), code: String(e?.code ?? '') })
    },
    summarize: () => {
      if (Object.keys(counts).length > 0) emit({ event: 'requests-last-hour', ...counts })
      counts = {}
    },
  }
}

export const silentLogger: Logger = { request() {}, info() {}, failure() {}, summarize() {} }
