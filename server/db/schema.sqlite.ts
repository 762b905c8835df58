import { sql } from 'drizzle-orm'
import {
  blob,
  check,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core'

/**
 * SQLite tables. Kept column-for-column in step with schema.pg.ts: the storage conformance suite
 * runs the same tests on both. Nothing here holds plaintext, keys that open anything, or addresses.
 */

export const communities = sqliteTable('communities', {
  id: text('id').primaryKey(),
  createdAt: text('created_at').notNull(),
  /** Last report sequence number handed out; bumps inside the insert transaction. */
  lastSeq: integer('last_seq').notNull().default(0),
  /** Leaves in the community's log (the next leaf's index); bumps with every stored envelope. */
  logSize: integer('log_size').notNull().default(0),
  /**
   * Bytes of attachment chunk envelopes the community holds (the sum of `attachment_chunks.bytes`
   * plus their headers): what the relay's quota per community is checked against. Bumps in the
   * transaction that stores a chunk, so the check never sums the whole table.
   */
  attachmentBytes: integer('attachment_bytes').notNull().default(0),
})

/**
 * The community's transparency log (issue #5): one leaf per stored envelope — report, case event
 * or reply — or attachment chunk, appended in the transaction that stores it, in storing order. Never
 * updated or deleted. `leaf` is the Merkle leaf hash (shared/log/leaf.ts).
 */
export const logLeaves = sqliteTable(
  'log_leaves',
  {
    community: text('community').notNull(),
    idx: integer('idx').notNull(),
    kind: text('kind').notNull(),
    /** base64url envelope hash of the stored envelope. */
    hash: text('hash').notNull(),
    leaf: blob('leaf', { mode: 'buffer' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.community, t.idx] })],
)

/** Every manifest a community ever had: the chain is history, never overwritten. */
export const manifests = sqliteTable(
  'manifests',
  {
    community: text('community').notNull(),
    seq: integer('seq').notNull(),
    payload: text('payload').notNull(),
    signature: text('signature').notNull(),
    storedAt: text('stored_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.community, t.seq] })],
)

export const reports = sqliteTable(
  'reports',
  {
    community: text('community').notNull(),
    seq: integer('seq').notNull(),
    id: text('id').notNull(),
    /** base64url SHA-256 of the canonical envelope text. */
    hash: text('hash').notNull(),
    /** Canonical envelope JSON without its last member, "ct". */
    head: text('head').notNull(),
    /** The body ciphertext, raw bytes (a third smaller than its base64). */
    ct: blob('ct', { mode: 'buffer' }).notNull(),
    /** Arrival time coarsened to the hour. */
    receivedAt: text('received_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.community, t.seq] }),
    uniqueIndex('reports_community_id').on(t.community, t.id),
  ],
)

/**
 * Follow-up mailboxes: `reply` envelopes between a community's brokers and one complainant, named
 * by the mailbox id (a hash of the owner's public signing key, nothing else about them).
 */
export const mailboxMessages = sqliteTable(
  'mailbox_messages',
  {
    /** One increasing sequence over all mailboxes, never reused: the cursor clients page by. */
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    community: text('community').notNull(),
    mailbox: text('mailbox').notNull(),
    id: text('id').notNull(),
    /** base64url SHA-256 of the canonical envelope text. */
    hash: text('hash').notNull(),
    /** Canonical envelope JSON without its last member, "ct". */
    head: text('head').notNull(),
    ct: blob('ct', { mode: 'buffer' }).notNull(),
    /** Who posted it: 'broker' (bearer session) or 'complainant' (the owner's signature). */
    sender: text('sender', { enum: ['broker', 'complainant'] }).notNull(),
    /** Arrival time coarsened to the hour. */
    receivedAt: text('received_at').notNull(),
  },
  (t) => [
    uniqueIndex('mailbox_messages_community_id').on(t.community, t.id),
    index('mailbox_messages_mailbox_seq').on(t.community, t.mailbox, t.seq),
    check('mailbox_messages_sender', sql`${t.sender} in ('broker', 'complainant')`),
  ],
)

export const sessions = sqliteTable('sessions', {
  /** base64url SHA-256 of the bearer token; the token itself is never stored. */
  tokenHash: text('token_hash').primaryKey(),
  community: text('community').notNull(),
  signKey: text('sign_key').notNull(),
  /** A challenge buys one session: the unique index refuses replays. */
  challenge: text('challenge').notNull().unique(),
  expiresAt: integer('expires_at').notNull(),
})

export const relaySecrets = sqliteTable('relay_secrets', {
  name: text('name').primaryKey(),
  value: blob('value', { mode: 'buffer' }).notNull(),
})

/**
 * One-time setup links. A relay with no community mints one at start (and `npm run setup-link`
 * mints more); creating a community spends one in the same transaction as its first manifest.
 * Spent tokens stay, never deleted: `spent_at` set, with the community they created, or no
 * community when a newer link superseded them.
 */
export const setupTokens = sqliteTable('setup_tokens', {
  /** base64url SHA-256 of the token text; the token itself is never stored. */
  tokenHash: text('token_hash').primaryKey(),
  createdAt: text('created_at').notNull(),
  spentAt: text('spent_at'),
  community: text('community'),
})

/**
 * Case events: `case-event` envelopes brokers append to a case (a report of the community).
 * Append-only, like everything else: a case's history is every event ever posted to it.
 */
export const caseEvents = sqliteTable(
  'case_events',
  {
    /** One increasing sequence over all communities, never reused: the cursor brokers page by. */
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    community: text('community').notNull(),
    /** The report id (envelope id) of the case. */
    caseId: text('case_id').notNull(),
    id: text('id').notNull(),
    /** base64url SHA-256 of the canonical envelope text. */
    hash: text('hash').notNull(),
    /** Canonical envelope JSON without its last member, "ct". */
    head: text('head').notNull(),
    ct: blob('ct', { mode: 'buffer' }).notNull(),
    /** Arrival time coarsened to the hour. */
    receivedAt: text('received_at').notNull(),
  },
  (t) => [
    uniqueIndex('case_events_community_id').on(t.community, t.id),
    index('case_events_community_seq').on(t.community, t.seq),
  ],
)

/**
 * Canned responses: each version of a community's signed reply templates (the payload and signature
 * exactly as a broker sent them). Append-only: a new version is a new row, the current one is the
 * highest `seq`, and every earlier one stays.
 */
export const cannedResponses = sqliteTable(
  'canned_responses',
  {
    community: text('community').notNull(),
    seq: integer('seq').notNull(),
    payload: text('payload').notNull(),
    signature: text('signature').notNull(),
    receivedAt: text('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.community, t.seq] })],
)

/**
 * The referral directory (issue #6): each version's head as the community root signed it (the
 * payload and signature exactly as sent), and how many entries it commits to. Append-only: a new
 * version is a new row, the current one is the highest `version`, every earlier one stays.
 */
export const directoryVersions = sqliteTable(
  'directory_versions',
  {
    community: text('community').notNull(),
    version: integer('version').notNull(),
    payload: text('payload').notNull(),
    signature: text('signature').notNull(),
    entryCount: integer('entry_count').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.community, t.version] })],
)

/**
 * The directory's entries as history: a row is one key's text from the version that put it
 * (`added_in`) until the version that replaced or removed it (`removed_in`, null while current).
 * Rows are never deleted and only `removed_in` is ever set, so any version's entries can be read
 * back (a diff from any version a device holds). `hash` is the entry's directoryEntryHash (32
 * bytes), kept so a new version's digest need not hash the whole directory again.
 */
export const directoryEntries = sqliteTable(
  'directory_entries',
  {
    community: text('community').notNull(),
    key: text('key').notNull(),
    text: text('text').notNull(),
    hash: blob('hash', { mode: 'buffer' }).notNull(),
    addedIn: integer('added_in').notNull(),
    removedIn: integer('removed_in'),
  },
  (t) => [primaryKey({ columns: [t.community, t.key, t.addedIn] })],
)

/**
 * Attachment chunks (issue #8): each a chunk envelope exactly as sent (docs/protocol.md 7.12), one
 * row per chunk, under the report the file belongs to. Never updated or deleted. The relay reads
 * only the header: the file's key lives inside the sealed report. `envelope` is the last column,
 * so reading the others never touches the blob's overflow pages.
 */
export const attachmentChunks = sqliteTable(
  'attachment_chunks',
  {
    community: text('community').notNull(),
    /** The file id (base64url, 16 bytes), as in the chunk header. */
    file: text('file').notNull(),
    idx: integer('idx').notNull(),
    /** The report (envelope id) the file belongs to; every chunk of a file has the same one. */
    report: text('report').notNull(),
    last: integer('last', { mode: 'boolean' }).notNull(),
    /** Ciphertext bytes (the envelope without its header); padded file bytes are this − 16. */
    bytes: integer('bytes').notNull(),
    /** base64url SHA-256 of the whole chunk envelope: what the receipt and the log leaf name. */
    hash: text('hash').notNull(),
    /** Arrival time coarsened to the hour. */
    receivedAt: text('received_at').notNull(),
    envelope: blob('envelope', { mode: 'buffer' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.community, t.file, t.idx] }),
    index('attachment_chunks_report').on(t.community, t.report, t.file, t.idx),
  ],
)
