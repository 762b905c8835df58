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
  /** How many leaves the community's log holds (0 for an unknown community). */
  logSize(community: string): Promise<number>
  /**
   * The community's log leaves from index `fromIdx`, in order, at most `limit`: one per stored
   * envelope (report, case event, reply), appended in the transaction that stored it.
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
