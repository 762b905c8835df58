import { Dexie, type EntityTable, type Table } from 'dexie'
import type { PassphraseWrapped } from '../../../shared/crypto'
import type { LogAlarm, VerifiedLog } from '../../../shared/log'

/**
 * Browser only. What a broker's device keeps, in its own IndexedDB database (apart from the
 * complainant app's). Private keys are wrapped under the broker's passphrase; every case record is
 * sealed under a store key that is itself inside that wrapping, so nothing here opens without it.
 */

/** This device's broker identity. One per community. */
export interface IdentityRow {
  readonly community: string
  readonly brokerName: string
  /** base64url public keys, as they appear in the manifest. */
  readonly boxKey: string
  readonly signKey: string
  /** The community root's public key, when this broker holds the root (the admin). */
  readonly rootKey?: string
  /** JSON of the secrets (box, sign, root?, store key), wrapped under the passphrase. */
  readonly wrapped: PassphraseWrapped
  readonly createdAt: string
  /** This broker's own choices on this device (not secret). */
  readonly settings?: BrokerSettings
}

export interface BrokerSettings {
  /** Hide report text until the broker chooses to read it (the wellbeing default). */
  readonly blurReports: boolean
  /** Lock after this many minutes without activity. */
  readonly autoLockMinutes: number
}

/** A synced report or case event, opened and sealed again under the store key. */
export interface SealedRecord {
  /** Envelope id. */
  readonly id: string
  readonly seq: number
  readonly sealed: Uint8Array
}

export interface CursorRow {
  readonly name: string
  readonly seq: number
}

export interface UnlockAttemptRow {
  readonly community: string
  readonly failures: number
  /** Epoch ms before which the next attempt is refused. */
  readonly notBefore: number
}

/**
 * One page of synced records as the relay served it (up to 500 reports or events), opened and
 * sealed again, as a whole, under the store key: a few large writes instead of one per report.
 */
export interface PageRow {
  /** `<community>/<kind>/<first seq, zero-padded>`: sorts pages in sequence order. */
  readonly key: string
  readonly community: string
  readonly kind: 'reports' | 'events'
  readonly first: number
  readonly last: number
  /**
   * Reports: what the device keeps of each (content key, recipients, why unreadable), sealed under
   * the store key. Events: the records themselves, sealed likewise.
   */
  readonly sealed: Uint8Array
  /**
   * Reports only: the relay's page text (`{"reports":[{…, "envelope": …}], …}`), as it came. The
   * envelopes are ciphertext already, so they are kept rather than opened and sealed again.
   */
  readonly envelopes?: string
}

/** A content key granted to this broker for one report, sealed at rest under the store key. */
export interface GrantKeyRow {
  readonly community: string
  readonly report: string
  readonly sealed: Uint8Array
}

/**
 * This device's view of its community's transparency log: the last head it verified with every
 * entry under it, and the alarm of the last audit that failed. An alarm stays until an audit
 * passes again; the verified head never moves back, so a rolled-back log keeps failing.
 */
export interface LogRow {
  readonly community: string
  /** The log key the verified head was checked against (from the manifest). */
  readonly logKey: string
  readonly verified: VerifiedLog | null
  readonly alarm?: { readonly alarms: readonly LogAlarm[]; readonly more: number; readonly at: string }
  /** The last audit could not read the relay's answers (no verdict either way). */
  readonly unreadable?: boolean
  /** When the last audit ran (passed or not), by this device's clock. */
  readonly checkedAt: string
}

export type BrokerDb = Dexie & {
  identities: EntityTable<IdentityRow, 'community'>
  reports: EntityTable<SealedRecord & { community: string }, 'id'>
  events: EntityTable<SealedRecord & { community: string }, 'id'>
  cursors: EntityTable<CursorRow, 'name'>
  attempts: EntityTable<UnlockAttemptRow, 'community'>
  grantKeys: Table<GrantKeyRow, [string, string]>
  pages: EntityTable<PageRow, 'key'>
  logs: EntityTable<LogRow, 'community'>
}

let db: BrokerDb | null = null

export function brokerDb(): BrokerDb {
  if (db) return db
  const next = new Dexie('heard-broker') as BrokerDb
  next.version(1).stores({
    identities: '&community',
    reports: '&id, community, seq',
    events: '&id, community, seq',
    cursors: '&name',
    attempts: '&community',
  })
  // v2: content keys granted by colleagues, kept until the report they open has arrived.
  next.version(2).stores({ grantKeys: '&[community+report]' })
  // v3: synced records kept a page at a time (the per-record tables of v1 are no longer written;
  // what they hold stays, and is fetched again into pages under new cursors).
  next.version(3).stores({ pages: '&key, [community+kind]' })
  // v4: the log audit. Case events kept before it carry no envelope hash and no envelope to
  // compute one from, so they are fetched again (the relay keeps every one; nothing is lost).
  next
    .version(4)
    .stores({ logs: '&community' })
    .upgrade(async (tx) => {
      await tx
        .table('pages')
        .filter((p: PageRow) => p.kind === 'events')
        .delete()
      await tx
        .table('cursors')
        .filter((c: CursorRow) => c.name.endsWith('/events/pages'))
        .delete()
    })
  db = next
  return next
}
