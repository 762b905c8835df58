import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core'

/** PostgreSQL tables; column-for-column the same as schema.sqlite.ts (see there for meanings). */

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' })

export const communities = pgTable('communities', {
  id: text('id').primaryKey(),
  createdAt: text('created_at').notNull(),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull().default(0),
  logSize: bigint('log_size', { mode: 'number' }).notNull().default(0),
  attachmentBytes: bigint('attachment_bytes', { mode: 'number' }).notNull().default(0),
})

/** The community's transparency log: see schema.sqlite.ts. */
export const logLeaves = pgTable(
  'log_leaves',
  {
    community: text('community').notNull(),
    idx: bigint('idx', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    hash: text('hash').notNull(),
    leaf: bytea('leaf').notNull(),
  },
  (t) => [primaryKey({ columns: [t.community, t.idx] })],
)

export const manifests = pgTable(
  'manifests',
  {
    community: text('community').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    payload: text('payload').notNull(),
    signature: text('signature').notNull(),
    storedAt: text('stored_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.community, t.seq] })],
)

export const reports = pgTable(
  'reports',
  {
    community: text('community').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    id: text('id').notNull(),
    hash: text('hash').notNull(),
    head: text('head').notNull(),
    ct: bytea('ct').notNull(),
    receivedAt: text('received_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.community, t.seq] }),
    uniqueIndex('reports_community_id').on(t.community, t.id),
  ],
)

export const mailboxMessages = pgTable(
  'mailbox_messages',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    community: text('community').notNull(),
    mailbox: text('mailbox').notNull(),
    id: text('id').notNull(),
    hash: text('hash').notNull(),
    head: text('head').notNull(),
    ct: bytea('ct').notNull(),
    sender: text('sender', { enum: ['broker', 'complainant'] }).notNull(),
    receivedAt: text('received_at').notNull(),
  },
  (t) => [
    uniqueIndex('mailbox_messages_community_id').on(t.community, t.id),
    index('mailbox_messages_mailbox_seq').on(t.community, t.mailbox, t.seq),
    check('mailbox_messages_sender', sql`${t.sender} in ('broker', 'complainant')`),
  ],
)

export const sessions = pgTable('sessions', {
  tokenHash: text('token_hash').primaryKey(),
  community: text('community').notNull(),
  signKey: text('sign_key').notNull(),
  challenge: text('challenge').notNull().unique(),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
})

export const relaySecrets = pgTable('relay_secrets', {
  name: text('name').primaryKey(),
  value: bytea('value').notNull(),
})

export const setupTokens = pgTable('setup_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  createdAt: text('created_at').notNull(),
  spentAt: text('spent_at'),
  community: text('community'),
})

export const caseEvents = pgTable(
  'case_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    community: text('community').notNull(),
    caseId: text('case_id').notNull(),
    id: text('id').notNull(),
    hash: text('hash').notNull(),
    head: text('head').notNull(),
    ct: bytea('ct').notNull(),
    receivedAt: text('received_at').notNull(),
  },
  (t) => [
    uniqueIndex('case_events_community_id').on(t.community, t.id),
    index('case_events_community_seq').on(t.community, t.seq),
  ],
)

export const cannedResponses = pgTable(
  'canned_responses',
  {
    community: text('community').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    payload: text('payload').notNull(),
    signature: text('signature').notNull(),
    receivedAt: text('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.community, t.seq] })],
)

/** The referral directory's signed versions: see schema.sqlite.ts. */
export const directoryVersions = pgTable(
  'directory_versions',
  {
    community: text('community').notNull(),
    version: bigint('version', { mode: 'number' }).notNull(),
    payload: text('payload').notNull(),
    signature: text('signature').notNull(),
    entryCount: bigint('entry_count', { mode: 'number' }).notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.community, t.version] })],
)

/** The referral directory's entries as history: see schema.sqlite.ts. */
export const directoryEntries = pgTable(
  'directory_entries',
  {
    community: text('community').notNull(),
    key: text('key').notNull(),
    text: text('text').notNull(),
    hash: bytea('hash').notNull(),
    addedIn: bigint('added_in', { mode: 'number' }).notNull(),
    removedIn: bigint('removed_in', { mode: 'number' }),
  },
  (t) => [primaryKey({ columns: [t.community, t.key, t.addedIn] })],
)

/**
 * Attachment chunks: see schema.sqlite.ts. A 256 KiB bytea is stored out of line by TOAST, so rows
 * stay small to scan and the chunk is read only when a broker fetches it.
 */
export const attachmentChunks = pgTable(
  'attachment_chunks',
  {
    community: text('community').notNull(),
    file: text('file').notNull(),
    idx: bigint('idx', { mode: 'number' }).notNull(),
    report: text('report').notNull(),
    last: boolean('last').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
    receivedAt: text('received_at').notNull(),
    envelope: bytea('envelope').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.community, t.file, t.idx] }),
    index('attachment_chunks_report').on(t.community, t.report, t.file, t.idx),
  ],
)
