import type { CaseEventReceipt, MailboxReceipt, MailboxSender, Receipt } from '../../shared/protocol'

/**
 * The relay's one storage interface. Two implementations (SQLite, PostgreSQL) pass the same
 * conformance suite. Every write resolves only after its transaction has committed durably.
 */

export interface NewReport {
  readonly community: string
  readonly id: string
  readonly hash: string
  /** Canonical envelope JSON without its last member ("ct"); see envelopeText(). */
  readonly head: string
  readonly ct: Uint8Array
  readonly receivedAt: string
  /**
   * Whether the envelope names a current broker. One that does not is never stored anew, but a
   * retry of one already stored still gets its receipt: a retry must not fail because the team
   * changed after the first attempt succeeded.
   */
  readonly sealedToCurrentTeam: boolean
}

export type InsertOutcome =
  | { readonly kind: 'stored' | 'duplicate'; readonly receipt: Receipt }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'unknown_community' }
  | { readonly kind: 'no_current_recipient' }

export interface StoredReport {
  readonly seq: number
  readonly receivedAt: string
  readonly envelopeText: string
}

export interface NewMailboxMessage {
  readonly community: string
  /** base64url mailbox id (16 bytes), checked by the route. */
  readonly mailbox: string
  readonly id: string
  readonly hash: string
  /** Canonical envelope JSON without its last member ("ct"); see envelopeText(). */
  readonly head: string
  readonly ct: Uint8Array
  readonly sender: MailboxSender
  readonly receivedAt: string
}

/**
 * `duplicate`: this envelope (same id, same hash) is already in this mailbox; the original receipt.
 * `conflict`: the id is taken in this community by other contents or by another mailbox.
 */
export type MailboxInsertOutcome =
  | { readonly kind: 'stored' | 'duplicate'; readonly receipt: MailboxReceipt }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'unknown_community' }

export interface StoredMailboxMessage {
  readonly seq: number
  readonly receivedAt: string
  readonly sender: MailboxSender
  readonly envelopeText: string
}

export interface NewCaseEvent {
  readonly community: string
  /** The case: the id of a report stored in this community (checked inside the transaction). */
  readonly caseId: string
  readonly id: string
  readonly hash: string
  /** Canonical envelope JSON without its last member ("ct"); see envelopeText(). */
  readonly head: string
  readonly ct: Uint8Array
  readonly receivedAt: string
  /** As for reports: a new event must name a current broker; a retry of a stored one need not. */
  readonly sealedToCurrentTeam: boolean
}

/**
 * `duplicate`: this envelope (same id, same hash, same case) is already stored; the original receipt.
 * `conflict`: the id is taken in this community's case events by other contents or another case.
 */
export type CaseEventInsertOutcome =
  | { readonly kind: 'stored' | 'duplicate'; readonly receipt: CaseEventReceipt }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'unknown_community' }
  | { readonly kind: 'unknown_case' }
  | { readonly kind: 'no_current_recipient' }

export interface StoredCaseEvent {
  readonly seq: number
  readonly caseId: string
  readonly receivedAt: string
  readonly envelopeText: string
}

/** One attachment chunk to store: its envelope exactly as sent, and what the relay read from its header. */
export interface NewChunk {
  readonly community: string
  /** The report the file belongs to (an envelope id, checked inside the transaction). */
  readonly report: string
  readonly file: string
  readonly index: number
  readonly last: boolean
  /** base64url SHA-256 of the whole chunk envelope. */
  readonly hash: string
  /** The chunk envelope bytes (docs/protocol.md 7.12); its ciphertext is all but the header. */
  readonly envelope: Uint8Array
  /** Ciphertext bytes: the envelope without its header. The padded file bytes it adds are this − 16. */
  readonly bytes: number
  readonly receivedAt: string
  /** The community's limit per report, in padded bytes (the manifest's, checked in the transaction). */
  readonly reportLimitBytes: number
  /** The relay's quota per community, in stored envelope bytes. */
  readonly quotaBytes: number
}

/** Where a stored chunk is and what the relay promised about it. */
export interface ChunkReceiptRow {
  readonly file: string
  readonly index: number
  readonly hash: string
  readonly receivedAt: string
}

/**
 * `duplicate`: this exact chunk (same place, same hash) is already stored; the original receipt.
 * `conflict`: other bytes are stored at this place. `file_in_other_report`: the file id has chunks
 * under another report of the community. `out_of_range`: the last-chunk flags would disagree (a
 * last chunk stored at a lower index; a new last chunk with a higher index stored, or a second one).
 * `limit_exceeded`: the report's padded bytes would pass `reportLimitBytes`. `storage_full`: the
 * community's stored chunk bytes would pass `quotaBytes`. Every refusal stores nothing.
 */
export type ChunkInsertOutcome =
  | { readonly kind: 'stored' | 'duplicate'; readonly receipt: ChunkReceiptRow }
  | {
      readonly kind:
        | 'unknown_community'
        | 'unknown_case'
        | 'file_in_other_report'
        | 'conflict'
        | 'out_of_range'
        | 'limit_exceeded'
        | 'storage_full'
    }

/** A stored chunk's metadata, as brokers list them (StoredChunkSchema). */
export interface StoredChunkRow {
  readonly file: string
  readonly index: number
  readonly last: boolean
  readonly bytes: number
  readonly hash: string
  readonly receivedAt: string
}

/** `setup_token_invalid`: the token given to spend is unknown or already spent; nothing was stored. */
export type AppendManifestOutcome = 'stored' | 'conflict' | 'setup_token_invalid'

export interface StoredManifest {
  readonly seq: number
  readonly payload: string
  readonly signature: string
}

/** A version of a community's signed canned responses: the payload and signature exactly as sent. */
export interface StoredCannedResponsesRow {
  readonly seq: number
  readonly payload: string
  readonly signature: string
}

/**
 * `conflict`: the current version is no longer `previousSeq` (another one landed meanwhile), or
 * the community has one where none was expected; nothing was stored.
 */
export type AppendCannedResponsesOutcome = 'stored' | 'conflict' | 'unknown_community'

/** A version of a community's referral directory: its head as the root signed it, exactly as sent. */
export interface StoredDirectoryHead {
  readonly version: number
  readonly payload: string
  readonly signature: string
}

export interface NewDirectoryVersion extends StoredDirectoryHead {
  /** How many entries the version holds (the head's `entries`). */
  readonly entryCount: number
}

/** One directory entry: its key and its JSON text exactly as signed. */
export interface DirectoryEntryRow {
  readonly key: string
  readonly text: string
}

/** An entry with its directoryEntryHash (32 bytes), which the relay keeps beside it. */
export interface HashedDirectoryEntry extends DirectoryEntryRow {
  readonly hash: Uint8Array
}

/**
 * What turns one version's entries into another's: entries put (added, or with new text) and keys
 * removed, each key at most once, in key order (code units).
 */
export interface DirectoryChanges {
  readonly put: DirectoryEntryRow[]
  readonly removed: string[]
}

/**
 * `conflict`: the current version is no longer `previousVersion` (another one landed meanwhile), or
 * the community has one where none was expected; nothing was stored.
 */
export type AppendDirectoryOutcome = 'stored' | 'conflict' | 'unknown_community'

export interface Session {
  readonly community: string
  readonly signKey: string
  readonly expiresAt: number
}

export interface NewSession extends Session {
  readonly tokenHash: string
  readonly challenge: string
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres'
  /** Insert a batch in one transaction (group commit). One outcome per input, in order. */
  insertReports(batch: readonly NewReport[]): Promise<InsertOutcome[]>
  listReports(community: string, afterSeq: number, limit: number): Promise<StoredReport[]>
  /** One stored report by its envelope id, or null. */
  findReport(community: string, id: string): Promise<StoredReport | null>
  /** How many reports the community holds, by month of arrival (`YYYY-MM`, UTC), oldest first. */
  countReportsByMonth(community: string): Promise<{ month: string; reports: number }[]>
  /**
   * Store one mailbox message in its own transaction, idempotent by (community, id). A community
   * without a manifest (no communities row) is refused inside the transaction.
   */
  insertMailboxMessage(message: NewMailboxMessage): Promise<MailboxInsertOutcome>
  /** One mailbox's messages after `afterSeq`, oldest first. */
  listMailboxMessages(
    community: string,
    mailbox: string,
    afterSeq: number,
    limit: number,
  ): Promise<StoredMailboxMessage[]>
  currentManifest(community: string): Promise<StoredManifest | null>
  /** Ids of the communities this relay holds, in id order, at most `limit`. */
  listCommunities(limit: number): Promise<string[]>
  /** The community's manifests after `afterSeq`, oldest first: the chain a pinned client verifies. */
  listManifests(community: string, afterSeq: number, limit: number): Promise<StoredManifest[]>
  /**
   * Append a manifest if the current one is still `previousSeq` (null: the community is new),
   * atomically, so two updates checked against the same manifest cannot both land. With
   * `setupTokenHash`, that setup token is spent (for this community) in the same transaction: an
   * unknown or spent token stores nothing and answers `setup_token_invalid`, checked first.
   */
  appendManifest(
    community: string,
    manifest: StoredManifest,
    previousSeq: number | null,
    storedAt: string,
    setupTokenHash?: string,
  ): Promise<AppendManifestOutcome>
  /**
   * Store a new unspent setup token (by its hash). With `supersedeUnspent`, every token still
   * unspent is first marked spent at `at` with no community, in the same transaction: only the
   * newest link works. Nothing is deleted.
   */
  mintSetupToken(tokenHash: string, at: string, options?: { supersedeUnspent?: boolean }): Promise<void>
  /**
   * Store one case event in its own transaction, idempotent by (community, id). The community must
   * have a manifest and the case must be one of its reports, both checked inside the transaction.
   */
  insertCaseEvent(event: NewCaseEvent): Promise<CaseEventInsertOutcome>
  /** A community's case events (every case) after `afterSeq`, oldest first. */
  listCaseEvents(community: string, afterSeq: number, limit: number): Promise<StoredCaseEvent[]>
  /** The community's current canned responses (the highest `seq`), or null when it has none. */
  currentCannedResponses(community: string): Promise<StoredCannedResponsesRow | null>
  /**
   * Append a version of the canned responses if the current one is still `previousSeq` (null: it
   * has none), atomically, so two versions checked against the same current one cannot both land.
   * A community without a manifest (no communities row) is refused inside the transaction.
   * Nothing is ever updated or deleted: every version stays.
   */
  appendCannedResponses(
    community: string,
    row: StoredCannedResponsesRow,
    previousSeq: number | null,
    receivedAt: string,
  ): Promise<AppendCannedResponsesOutcome>
  /** The community's current directory head (the highest version), or null when it has none. */
  currentDirectory(community: string): Promise<StoredDirectoryHead | null>
  /**
   * The entries of a version (default: the current one) with their hashes, in key order (code
   * units); empty when there is no such version. Versions never change once stored, so entries
   * read for a version named explicitly always match its head, whatever lands meanwhile.
   */
  directoryEntries(community: string, version?: number): Promise<HashedDirectoryEntry[]>
  /**
   * The changes from version `from` to version `to` (default: the current one): entries added or
   * changed after `from` and still there at `to`, and keys there at `from` but gone by `to`. Null
   * when the relay has no version `from` or `to`, or `from` is after `to`: send the whole version.
   */
  directoryChangesSince(community: string, from: number, to?: number): Promise<DirectoryChanges | null>
  /**
   * Append a directory version if the current one is still `previousVersion` (null: it has none),
   * atomically, so two versions checked against the same current one cannot both land. `put`
   * entries replace the current text of their key (the old row gets `removed_in`), `removed` keys
   * are retired; rows are never deleted. The caller passes a diff already reduced to real changes
   * (each key once, in one of the two lists). A community without a manifest is refused inside
   * the transaction.
   */
  appendDirectoryVersion(
    community: string,
    version: NewDirectoryVersion,
    put: readonly HashedDirectoryEntry[],
    removed: readonly string[],
    previousVersion: number | null,
    createdAt: string,
  ): Promise<AppendDirectoryOutcome>
  /**
   * Store one attachment chunk in its own transaction, with its log leaf (`attachment-chunk`, over
   * the envelope hash) and the community's byte count, idempotent by (community, file, index). The
   * community must have a manifest and the report must be one of its reports; then, in this
   * order: the file belongs to no other report, the place is free (or holds this very chunk: the
   * original receipt), the last flags agree, the report's limit and the community's quota hold.
   * Rows are never updated or deleted.
   */
  insertChunk(chunk: NewChunk): Promise<ChunkInsertOutcome>
  /** Every chunk of a report (metadata only), ordered by file id (code units), then index. */
  listChunks(community: string, report: string): Promise<StoredChunkRow[]>
  /** One chunk envelope of a report, exactly as stored, or null. */
  readChunk(community: string, report: string, file: string, index: number): Promise<Uint8Array | null>
  /** Bytes of chunk envelopes the community holds (0 for an unknown community). */
  attachmentBytes(community: string): Promise<number>
  /** How many leaves the community's log holds (0 for an unknown community). */
  logSize(community: string): Promise<number>
  /**
   * The community's log leaves from index `fromIdx`, in order, at most `limit`: one per stored
   * envelope (report, case event, reply) or attachment chunk, appended in the transaction that
   * stored it.
   */
  listLogLeaves(community: string, fromIdx: number, limit: number): Promise<LogLeafRow[]>
  /** A random secret shared by every relay process on this database, made on first use. */
  relaySecret(name: string): Promise<Uint8Array>
  /** Store a session (its challenge spent for good), dropping sessions that expired before `now`. */
  createSession(session: NewSession, nowSeconds: number): Promise<'created' | 'challenge_used'>
  findSession(tokenHash: string): Promise<Session | null>
  close(): Promise<void>
}

export interface LogLeafRow {
  readonly idx: number
  readonly kind: string
  /** base64url envelope hash. */
  readonly hash: string
  /** The Merkle leaf hash (shared/log/leaf.ts). */
  readonly leaf: Uint8Array
}

/** A chunk already stored for a file, as insertChunk reads them. */
export interface FileChunkRow {
  readonly report: string
  readonly idx: number
  readonly last: boolean
  readonly hash: string
  readonly receivedAt: string
}

/**
 * The checks on a new chunk's place that depend on the file's stored chunks, in their order (both
 * stores run them inside the storing transaction): the file belongs to this report; the place is
 * free, or holds this very chunk (the original receipt) or other bytes (conflict); the last flags
 * stay consistent. Null: the place is free and fits.
 */
export function placeChunk(
  chunk: Pick<NewChunk, 'report' | 'file' | 'index' | 'last' | 'hash'>,
  stored: readonly FileChunkRow[],
): ChunkInsertOutcome | null {
  if (stored.some((r) => r.report !== chunk.report)) return { kind: 'file_in_other_report' }
  const same = stored.find((r) => r.idx === chunk.index)
  if (same) {
    if (same.hash !== chunk.hash) return { kind: 'conflict' }
    const receipt = { file: chunk.file, index: chunk.index, hash: same.hash, receivedAt: same.receivedAt }
    return { kind: 'duplicate', receipt }
  }
  const last = stored.find((r) => r.last)
  // The file already ends before this index; or this would be a second end to it.
  if (last && (last.idx < chunk.index || chunk.last)) return { kind: 'out_of_range' }
  // A last chunk cannot come before chunks already stored.
  if (chunk.last && stored.some((r) => r.idx > chunk.index)) return { kind: 'out_of_range' }
  return null
}

/** Chunks as brokers list them: by file id in code-unit order (never a collation), then index. */
export const byFileThenIndex = (a: StoredChunkRow, b: StoredChunkRow): number =>
  byCodeUnit(a.file, b.file) || a.index - b.index

/** Directory keys sort by UTF-16 code unit, as the digest orders them (never by a collation). */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * A diff from what a store read between two versions `from` < `to`: `put`, the rows there at `to`
 * that were added after `from`; `retired`, the keys of rows there at `from` that were replaced or
 * removed by `to`. A retired key with a put row was replaced, not removed. (A key has at most one
 * row at any version, so a key there at both versions with the same row is in neither list.)
 */
export function directoryChangesOf(
  put: readonly DirectoryEntryRow[],
  retired: readonly string[],
): DirectoryChanges {
  const putKeys = new Set(put.map((e) => e.key))
  return {
    put: put.map((e) => ({ key: e.key, text: e.text })).sort((a, b) => byCodeUnit(a.key, b.key)),
    removed: [...new Set(retired)].filter((key) => !putKeys.has(key)).sort(byCodeUnit),
  }
}

/**
 * Rebuild the exact canonical envelope text from its stored parts. The ciphertext is encoded by
 * Node's own base64url (unpadded, so canonical): a page of 500 reports is 2–4 MB of it, and the
 * host encoder is an order of magnitude faster than any JavaScript one.
 */
export const envelopeText = (head: string, ct: Uint8Array): string =>
  `${head.slice(0, -1)},"ct":"${Buffer.from(ct.buffer, ct.byteOffset, ct.byteLength).toString('base64url')}"}`

/** Split canonical envelope text into the parts stored: the head (without "ct") is all but the last member. */
export function splitEnvelopeText(text: string): string {
  const at = text.lastIndexOf(',"ct":"')
  return `${text.slice(0, at)}}`
}
