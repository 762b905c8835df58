/**
 * The relay's only output channel. It writes one JSON line per event to stdout. By design it has
 * no field for addresses, user agents, headers, bodies or query strings: callers cannot log them.
 */
export interface RequestLine {
  readonly method: string
  /** The path without its query string. */
  readonly path: string
  readonly status: number
  readonly ms: number
}

export interface Logger {
  request(line: RequestLine): void
  info(message: string): void
  /** Unexpected failures: only the error's name and code, never its message (it may quote data). */
  failure(where: string, error: unknown): void
}

export function createLogger(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger {
  const emit = (fields: Record<string, unknown>) =>
    write(JSON.stringify({ t: new Date().toISOString(), ...fields }))
  return {
    request: (line) => emit({ event: 'request', ...line }),
    info: (message) => emit({ event: 'info', message }),
    failure: (where, error) => {
      const e = error as { name?: unknown; code?: unknown }
      emit({ event: 'failure', where, name: String(e?.name ?? 'unknown'), code: String(e?.code ?? '') })
    },
  }
}

export const silentLogger: Logger = { request() {}, info() {}, failure() {} }
