import path from 'node:path'

/** Relay configuration, read once from the environment; a bad value stops start-up with a readable message. */
export interface RelayConfig {
  readonly host: string
  readonly port: number
  readonly dataDir: string
  /** postgres:// URL; when absent the relay uses embedded SQLite in dataDir. */
  readonly databaseUrl: string | null
  readonly staticDir: string
  readonly maxReportBytes: number
  /** The most attachment chunk bytes one community may hold on this relay. */
  readonly attachmentQuotaBytes: number
}

/** Largest report body, in bytes: a 128 KiB padding bucket with its base64 and header fits. */
export const DEFAULT_MAX_REPORT_BYTES = 256 * 1024

/**
 * Attachment bytes one community may hold (chunk envelopes as stored): 10 GiB, about 400 reports
 * at the default 25 MiB each. Past it a chunk is refused with storage_full and nothing is stored.
 */
export const DEFAULT_ATTACHMENT_QUOTA_BYTES = 10 * 1024 ** 3

export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

export function readConfig(env: Record<string, string | undefined> = process.env): RelayConfig {
  const port = Number(env.PORT ?? 8080)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('PORT must be a whole number from 0 to 65535.')
  }
  const databaseUrl = env.DATABASE_URL?.trim() || null
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(
      'DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for SQLite).',
    )
  }
  const maxReportBytes = Number(env.MAX_REPORT_BYTES ?? DEFAULT_MAX_REPORT_BYTES)
  if (!Number.isInteger(maxReportBytes) || maxReportBytes < 4096) {
    throw new ConfigError('MAX_REPORT_BYTES must be a whole number of bytes, at least 4096.')
  }
  const attachmentQuotaBytes = Number(env.ATTACHMENT_QUOTA_BYTES ?? DEFAULT_ATTACHMENT_QUOTA_BYTES)
  if (!Number.isSafeInteger(attachmentQuotaBytes) || attachmentQuotaBytes < 0) {
    throw new ConfigError('ATTACHMENT_QUOTA_BYTES must be a whole number of bytes, 0 or more.')
  }
  return {
    host: env.HOST?.trim() || '127.0.0.1',
    port,
    dataDir: path.resolve(env.DATA_DIR?.trim() || 'data'),
    databaseUrl,
    staticDir: path.resolve(env.STATIC_DIR?.trim() || 'dist'),
    maxReportBytes,
    attachmentQuotaBytes,
  }
}
