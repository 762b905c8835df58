import { Dexie, type EntityTable, type Table } from 'dexie'
import type { PassphraseWrapped } from '../../shared/crypto'
import type { Receipt } from '../../shared/protocol'

/**
 * Browser only. Everything Heard keeps on the complainant's device, in one IndexedDB database.
 * Nothing here holds readable report text: drafts and unsent reports are sealed at rest under the
 * device key (a non-extractable WebCrypto key), and queued envelopes are sealed to the brokers.
 */

/** The manifest this device trusts for a community (trust on first use), as the signed bytes. */
export interface Pin {
  readonly community: string
  readonly seq: number
  readonly payload: string
  readonly signature: string
  readonly pinnedAt: string
}

export interface DraftRow {
  readonly id: string
  readonly community: string
  /** Coarse (minute) time of the last save, for the drafts list. */
  readonly updatedAt: string
  /** The draft's form, sealed at rest (shared/crypto sealAtRest). */
  readonly sealed: Uint8Array
  /** Sealed inside to the PIN's public key as well: opening needs the PIN. */
  readonly locked?: boolean
}

export type OutboxState = 'waiting' | 'sending' | 'stored' | 'refused'

export interface OutboxRow {
  /** The envelope id: fixed at sealing time, so every retry is the same report to the relay. */
  readonly id: string
  readonly community: string
  readonly createdAt: string
  /** The canonical envelope JSON, sealed to the brokers: unreadable on this device. */
  readonly envelopeText: string
  readonly state: OutboxState
  readonly attempts: number
  /** Epoch ms before which the sender does not retry. */
  readonly nextAttemptAt: number
  readonly receipt?: Receipt
  /** The relay's machine code when it refused the report for good (the UI explains it). */
  readonly refusal?: string
  /** The follow-up mailbox, if the person asked for follow-up (the id only; never the passphrase). */
  readonly mailbox?: string
  /**
   * The sealed-at-rest draft this report was made from. It is kept until the relay's receipt
   * arrives, so a refused report can be opened and sealed again; then it is deleted.
   */
  readonly draftId?: string
  /** The last check of the report's place in the log, if any has run. */
  readonly logCheck?: LogCheck
  /** Files sent after the report, chunk by chunk (issue #8); their sealed chunks wait in `chunks`. */
  readonly attachments?: readonly AttachmentUpload[]
  /** Epoch ms before which the attachment sender does not retry after a failed chunk. */
  readonly attachmentsRetryAt?: number
  readonly attachmentsAttempts?: number
}

/** One file's upload, as this device tracks it. */
export interface AttachmentUpload {
  readonly file: string
  /** The name the sealed report carries: neutral, or the original if the person kept it. */
  readonly name: string
  readonly type: string
  readonly size: number
  readonly chunks: number
  /** Chunks the relay has confirmed, in order: the next one to send is this index. */
  readonly stored: number
  /** The relay's machine code when it refused a chunk for good (the UI explains it). */
  readonly refusal?: string
}

/** One sealed chunk waiting to be sent: ciphertext under the file's key, unreadable on this device. */
export interface ChunkRow {
  readonly file: string
  readonly index: number
  readonly report: string
  /** The chunk envelope (shared/protocol encodeChunk), exactly as it will be PUT. */
  readonly bytes: Uint8Array
}

/** What the last check of a report's place in the community's log found (shared/log/still-held.ts). */
export interface LogCheck {
  /** `receipt`: the receipt as it arrived; `still-held`: a fresh check the person asked for. */
  readonly kind: 'receipt' | 'still-held'
  readonly ok: boolean
  /** Why not, when not ok: a HeldProblem code. */
  readonly problem?: string
  /** The size of the log under the head that was checked. */
  readonly size?: number
  /** When, by this device's clock. */
  readonly at: string
}

export interface KeyRow {
  readonly name: string
  readonly key: CryptoKey
}

/** The optional draft PIN: a key pair whose secret half is wrapped under the PIN (scrypt). */
export interface DraftLockRow {
  readonly name: 'draft-lock'
  readonly publicKey: Uint8Array
  readonly wrapped: PassphraseWrapped
}

/**
 * A community's referral directory as last verified on this device: the signed head and every
 * entry's exact text, so the next sync can take a diff and check the whole version again.
 */
export interface DirectoryRow {
  readonly community: string
  readonly version: number
  readonly head: { readonly payload: string; readonly signature: string }
  readonly entries: Readonly<Record<string, string>>
  /** When the relay last answered a sync (ISO time). */
  readonly syncedAt: string
  /** The last version the relay served that this device refused, and why; kept until one verifies. */
  readonly refused?: { readonly code: string; readonly at: string }
}

export type HeardDb = Dexie & {
  pins: EntityTable<Pin, 'community'>
  drafts: EntityTable<DraftRow, 'id'>
  outbox: EntityTable<OutboxRow, 'id'>
  keys: EntityTable<KeyRow, 'name'>
  locks: EntityTable<DraftLockRow, 'name'>
  directories: EntityTable<DirectoryRow, 'community'>
  chunks: Table<ChunkRow, [string, number]>
}

export const DB_NAME = 'heard'

let db: HeardDb | null = null

export function heardDb(): HeardDb {
  if (db) return db
  const next = new Dexie(DB_NAME) as HeardDb
  next.version(1).stores({
    pins: '&community',
    drafts: '&id, community, updatedAt',
    outbox: '&id, community, state',
    keys: '&name',
  })
  // Version 2 adds the optional draft PIN; nothing existing changes shape.
  next.version(2).stores({ locks: '&name' })
  // Version 3 adds the cached referral directory (issue #6).
  next.version(3).stores({ directories: '&community' })
  // Version 4 adds sealed attachment chunks waiting to be sent (issue #8).
  next.version(4).stores({ chunks: '&[file+index], report' })
  db = next
  return next
}
