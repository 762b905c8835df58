import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import Database from 'better-sqlite3'
import { and, asc, desc, eq, gt, gte, isNull, lt, lte, or, sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { randomBytes } from '../../shared/crypto'
import { type LogKind, logLeafHash } from '../../shared/log'
import type { Logger } from '../log'
import {
  attachmentChunks,
  cannedResponses,
  caseEvents,
  communities,
  directoryEntries,
  directoryVersions,
  logLeaves,
  mailboxMessages,
  manifests,
  relaySecrets,
  reports,
  sessions,
  setupTokens,
} from './schema.sqlite'
import {
  type AppendCannedResponsesOutcome,
  type AppendDirectoryOutcome,
  type AppendManifestOutcome,
  byCodeUnit,
  byFileThenIndex,
  type CaseEventInsertOutcome,
  type ChunkInsertOutcome,
  directoryChangesOf,
  envelopeText,
  type HashedDirectoryEntry,
  type InsertOutcome,
  type MailboxInsertOutcome,
  type NewCaseEvent,
  type NewChunk,
  type NewDirectoryVersion,
  type NewMailboxMessage,
  type NewReport,
  placeChunk,
  type Store,
  type StoredCannedResponsesRow,
} from './store'
import { startWalCheckpointer } from './wal-checkpointer'

const migrationsFolder = fileURLToPath(new URL('./migrations/sqlite', import.meta.url))

export const SQLITE_FILE = 'heard.sqlite'

export interface SqliteStoreOptions {
  /** Where a failed background checkpoint is reported (name and code only). */
  readonly log?: Pick<Logger, 'failure'>
}

/**
 * Embedded SQLite: one file in the data directory, WAL mode with synchronous=FULL so a commit has
 * reached the disk (fsync of the WAL) before any write is acknowledged — power-loss durable. One
 * process owns the file; larger operators use PostgreSQL. Checkpoints run on a thread of their own
 * (wal-checkpointer.ts), never inside a commit.
 */
export function openSqliteStore(dataDir: string, options: SqliteStoreOptions = {}): Store {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const file = path.join(dataDir, SQLITE_FILE)
  const sqlite = new Database(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('wal_autocheckpoint = 0')
  // Once a checkpoint has caught up, the next write starts the WAL again and trims a file that a
  // burst had grown past this back to it.
  sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`)
  const db = drizzle(sqlite)
  migrate(db, { migrationsFolder })
  let catchingUp = false
  const checkpointer = startWalCheckpointer(file, {
    behind() {
      if (catchingUp) return
      catchingUp = true
      // Between two turns of the event loop no transaction of this connection is open: better-sqlite3
      // runs each one to its end synchronously.
      setImmediate(() => {
        catchingUp = false
        if (!sqlite.open) return
        try {
          sqlite.pragma('wal_checkpoint(PASSIVE)')
        } catch (error) {
          options.log?.failure('sqlite wal checkpoint', error)
        }
      })
    },
    failed: (error) => options.log?.failure('sqlite background checkpoint', error),
  })

  const lastSeqOf = db
    .select({ lastSeq: communities.lastSeq })
    .from(communities)
    .where(eq(communities.id, sql.placeholder('community')))
    .prepare()
  const logSizeOf = db
    .select({ logSize: communities.logSize })
    .from(communities)
    .where(eq(communities.id, sql.placeholder('community')))
    .prepare()
  const insertLeaf = db
    .insert(logLeaves)
    .values({
      community: sql.placeholder('community'),
      idx: sql.placeholder('idx'),
      kind: sql.placeholder('kind'),
      hash: sql.placeholder('hash'),
      leaf: sql.placeholder('leaf'),
    })
    .prepare()
  const setLogSize = db
    .update(communities)
    .set({ logSize: sql`${sql.placeholder('logSize')}` })
    .where(eq(communities.id, sql.placeholder('community')))
    .prepare()
  /**
   * Appends stored envelopes' leaves to their communities' logs, inside the storing transaction.
   * Each log's size is read once and written back once, by finish(): a batch of reports then costs
   * one statement per leaf rather than three.
   */
  const logAppender = () => {
    const sizes = new Map<string, number>()
    return {
      append(community: string, kind: LogKind, hash: string): void {
        const idx = sizes.get(community) ?? logSizeOf.get({ community })?.logSize ?? 0
        insertLeaf.run({ community, idx, kind, hash, leaf: Buffer.from(logLeafHash(kind, hash)) })
        sizes.set(community, idx + 1)
      },
      finish(): void {
        for (const [community, logSize] of sizes) setLogSize.run({ community, logSize })
      },
    }
  }
  const appendLeaf = (community: string, kind: LogKind, hash: string): void => {
    const log = logAppender()
    log.append(community, kind, hash)
    log.finish()
  }
  // Read after every batch of reports, to give their receipts a proof: prepared once, not rebuilt.
  const logLeavesFrom = db
    .select({ idx: logLeaves.idx, kind: logLeaves.kind, hash: logLeaves.hash, leaf: logLeaves.leaf })
    .from(logLeaves)
    .where(
      and(
        eq(logLeaves.community, sql.placeholder('community')),
        gte(logLeaves.idx, sql.placeholder('fromIdx')),
      ),
    )
    .orderBy(asc(logLeaves.idx))
    .limit(sql.placeholder('limit'))
    .prepare()
  const existing = db
    .select({ hash: reports.hash, seq: reports.seq, receivedAt: reports.receivedAt })
    .from(reports)
    .where(and(eq(reports.community, sql.placeholder('community')), eq(reports.id, sql.placeholder('id'))))
    .prepare()
  const insertReport = db
    .insert(reports)
    .values({
      community: sql.placeholder('community'),
      seq: sql.placeholder('seq'),
      id: sql.placeholder('id'),
      hash: sql.placeholder('hash'),
      head: sql.placeholder('head'),
      ct: sql.placeholder('ct'),
      receivedAt: sql.placeholder('receivedAt'),
    })
    .prepare()
  const setLastSeq = db
    .update(communities)
    .set({ lastSeq: sql`${sql.placeholder('lastSeq')}` })
    .where(eq(communities.id, sql.placeholder('community')))
    .prepare()

  const insertBatch = sqlite.transaction((batch: readonly NewReport[]): InsertOutcome[] => {
    const lastSeqs = new Map<string, number | null>()
    const log = logAppender()
    const outcomes = batch.map((report): InsertOutcome => {
      if (!lastSeqs.has(report.community)) {
        lastSeqs.set(report.community, lastSeqOf.get({ community: report.community })?.lastSeq ?? null)
      }
      const lastSeq = lastSeqs.get(report.community)
      if (lastSeq === null || lastSeq === undefined) return { kind: 'unknown_community' }
      const prior = existing.get({ community: report.community, id: report.id })
      if (prior) {
        if (prior.hash !== report.hash) return { kind: 'conflict' }
        const receipt = {
          community: report.community,
          id: report.id,
          hash: prior.hash,
          seq: prior.seq,
          receivedAt: prior.receivedAt,
        }
        return { kind: 'duplicate', receipt }
      }
      if (!report.sealedToCurrentTeam) return { kind: 'no_current_recipient' }
      const seq = lastSeq + 1
      const { sealedToCurrentTeam: _, ...row } = report
      insertReport.run({
        ...row,
        seq,
        ct: Buffer.from(report.ct.buffer, report.ct.byteOffset, report.ct.byteLength),
      })
      lastSeqs.set(report.community, seq)
      log.append(report.community, 'report', report.hash)
      const receipt = {
        community: report.community,
        id: report.id,
        hash: report.hash,
        seq,
        receivedAt: report.receivedAt,
      }
      return { kind: 'stored', receipt }
    })
    for (const [community, lastSeq] of lastSeqs) if (lastSeq !== null) setLastSeq.run({ community, lastSeq })
    log.finish()
    return outcomes
  })

  const insertMailbox = sqlite.transaction((message: NewMailboxMessage): MailboxInsertOutcome => {
    if (!lastSeqOf.get({ community: message.community })) return { kind: 'unknown_community' }
    const { community, mailbox, id } = message
    const prior = db
      .select({
        mailbox: mailboxMessages.mailbox,
        hash: mailboxMessages.hash,
        seq: mailboxMessages.seq,
        receivedAt: mailboxMessages.receivedAt,
      })
      .from(mailboxMessages)
      .where(and(eq(mailboxMessages.community, community), eq(mailboxMessages.id, id)))
      .get()
    if (prior) {
      if (prior.hash !== message.hash || prior.mailbox !== mailbox) return { kind: 'conflict' }
      const receipt = {
        community,
        mailbox,
        id,
        hash: prior.hash,
        seq: prior.seq,
        receivedAt: prior.receivedAt,
      }
      return { kind: 'duplicate', receipt }
    }
    const [row] = db
      .insert(mailboxMessages)
      .values({ ...message, ct: Buffer.from(message.ct) })
      .returning({ seq: mailboxMessages.seq })
      .all()
    if (!row) throw new Error('mailbox insert returned no row')
    appendLeaf(community, 'reply', message.hash)
    const receipt = {
      community,
      mailbox,
      id,
      hash: message.hash,
      seq: row.seq,
      receivedAt: message.receivedAt,
    }
    return { kind: 'stored', receipt }
  })

  const insertCase = sqlite.transaction((event: NewCaseEvent): CaseEventInsertOutcome => {
    const { community, caseId, id } = event
    if (!lastSeqOf.get({ community })) return { kind: 'unknown_community' }
    const theCase = existing.get({ community, id: caseId })
    if (!theCase) return { kind: 'unknown_case' }
    const prior = db
      .select({
        caseId: caseEvents.caseId,
        hash: caseEvents.hash,
        seq: caseEvents.seq,
        receivedAt: caseEvents.receivedAt,
      })
      .from(caseEvents)
      .where(and(eq(caseEvents.community, community), eq(caseEvents.id, id)))
      .get()
    if (prior) {
      if (prior.hash !== event.hash || prior.caseId !== caseId) return { kind: 'conflict' }
      const receipt = {
        community,
        case: caseId,
        id,
        hash: prior.hash,
        seq: prior.seq,
        receivedAt: prior.receivedAt,
      }
      return { kind: 'duplicate', receipt }
    }
    if (!event.sealedToCurrentTeam) return { kind: 'no_current_recipient' }
    const { sealedToCurrentTeam: _, ...row } = event
    const [stored] = db
      .insert(caseEvents)
      .values({ ...row, ct: Buffer.from(event.ct) })
      .returning({ seq: caseEvents.seq })
      .all()
    if (!stored) throw new Error('case event insert returned no row')
    appendLeaf(community, 'case-event', event.hash)
    const receipt = {
      community,
      case: caseId,
      id,
      hash: event.hash,
      seq: stored.seq,
      receivedAt: event.receivedAt,
    }
    return { kind: 'stored', receipt }
  })

  const chunksOfFile = db
    .select({
      report: attachmentChunks.report,
      idx: attachmentChunks.idx,
      last: attachmentChunks.last,
      hash: attachmentChunks.hash,
      receivedAt: attachmentChunks.receivedAt,
    })
    .from(attachmentChunks)
    .where(
      and(
        eq(attachmentChunks.community, sql.placeholder('community')),
        eq(attachmentChunks.file, sql.placeholder('file')),
      ),
    )
    .prepare()
  /** The report's padded attachment bytes: every chunk's ciphertext less its 16-byte tag. */
  const paddedBytesOf = db
    .select({ padded: sql<number>`coalesce(sum(${attachmentChunks.bytes} - 16), 0)` })
    .from(attachmentChunks)
    .where(
      and(
        eq(attachmentChunks.community, sql.placeholder('community')),
        eq(attachmentChunks.report, sql.placeholder('report')),
      ),
    )
    .prepare()
  const attachmentBytesOf = db
    .select({ attachmentBytes: communities.attachmentBytes })
    .from(communities)
    .where(eq(communities.id, sql.placeholder('community')))
    .prepare()

  const insertChunkTx = sqlite.transaction((chunk: NewChunk): ChunkInsertOutcome => {
    const { community, report, file, index } = chunk
    const holder = attachmentBytesOf.get({ community })
    if (!holder) return { kind: 'unknown_community' }
    if (!existing.get({ community, id: report })) return { kind: 'unknown_case' }
    const placed = placeChunk(chunk, chunksOfFile.all({ community, file }))
    if (placed) return placed
    const padded = paddedBytesOf.get({ community, report })?.padded ?? 0
    if (padded + chunk.bytes - 16 > chunk.reportLimitBytes) return { kind: 'limit_exceeded' }
    const size = chunk.envelope.byteLength
    if (holder.attachmentBytes + size > chunk.quotaBytes) return { kind: 'storage_full' }
    db.insert(attachmentChunks)
      .values({
        community,
        file,
        idx: index,
        report,
        last: chunk.last,
        bytes: chunk.bytes,
        hash: chunk.hash,
        receivedAt: chunk.receivedAt,
        envelope: Buffer.from(chunk.envelope.buffer, chunk.envelope.byteOffset, size),
      })
      .run()
    db.update(communities)
      .set({ attachmentBytes: holder.attachmentBytes + size })
      .where(eq(communities.id, community))
      .run()
    appendLeaf(community, 'attachment-chunk', chunk.hash)
    return { kind: 'stored', receipt: { file, index, hash: chunk.hash, receivedAt: chunk.receivedAt } }
  })

  const appendManifestTx = sqlite.transaction(
    (
      community: string,
      manifest: { seq: number; payload: string; signature: string },
      previousSeq: number | null,
      storedAt: string,
      setupTokenHash: string | undefined,
    ): AppendManifestOutcome => {
      if (setupTokenHash !== undefined) {
        const token = db
          .select({ spentAt: setupTokens.spentAt })
          .from(setupTokens)
          .where(eq(setupTokens.tokenHash, setupTokenHash))
          .get()
        if (!token || token.spentAt !== null) return 'setup_token_invalid'
      }
      const current = db
        .select({ seq: manifests.seq })
        .from(manifests)
        .where(eq(manifests.community, community))
        .orderBy(desc(manifests.seq))
        .limit(1)
        .get()
      if ((current?.seq ?? null) !== previousSeq) return 'conflict'
      if (setupTokenHash !== undefined) {
        db.update(setupTokens)
          .set({ spentAt: storedAt, community })
          .where(eq(setupTokens.tokenHash, setupTokenHash))
          .run()
      }
      db.insert(communities).values({ id: community, createdAt: storedAt }).onConflictDoNothing().run()
      db.insert(manifests)
        .values({ community, ...manifest, storedAt })
        .run()
      return 'stored'
    },
  )

  const currentCanned = db
    .select({
      seq: cannedResponses.seq,
      payload: cannedResponses.payload,
      signature: cannedResponses.signature,
    })
    .from(cannedResponses)
    .where(eq(cannedResponses.community, sql.placeholder('community')))
    .orderBy(desc(cannedResponses.seq))
    .limit(1)
    .prepare()

  const appendCannedTx = sqlite.transaction(
    (
      community: string,
      row: StoredCannedResponsesRow,
      previousSeq: number | null,
      receivedAt: string,
    ): AppendCannedResponsesOutcome => {
      if (!lastSeqOf.get({ community })) return 'unknown_community'
      const current = currentCanned.get({ community })
      if ((current?.seq ?? null) !== previousSeq) return 'conflict'
      db.insert(cannedResponses)
        .values({ community, seq: row.seq, payload: row.payload, signature: row.signature, receivedAt })
        .run()
      return 'stored'
    },
  )

  const currentDirectoryOf = db
    .select({
      version: directoryVersions.version,
      payload: directoryVersions.payload,
      signature: directoryVersions.signature,
    })
    .from(directoryVersions)
    .where(eq(directoryVersions.community, sql.placeholder('community')))
    .orderBy(desc(directoryVersions.version))
    .limit(1)
    .prepare()
  const directoryVersionExists = (community: string, version: number): boolean =>
    db
      .select({ version: directoryVersions.version })
      .from(directoryVersions)
      .where(and(eq(directoryVersions.community, community), eq(directoryVersions.version, version)))
      .get() !== undefined
  /** The community's entry rows that belong to version `at`. */
  const entriesAt = (community: string, at: number) =>
    and(
      eq(directoryEntries.community, community),
      lte(directoryEntries.addedIn, at),
      or(isNull(directoryEntries.removedIn), gt(directoryEntries.removedIn, at)),
    )
  const retireEntry = db
    .update(directoryEntries)
    .set({ removedIn: sql`${sql.placeholder('version')}` })
    .where(
      and(
        eq(directoryEntries.community, sql.placeholder('community')),
        eq(directoryEntries.key, sql.placeholder('key')),
        isNull(directoryEntries.removedIn),
      ),
    )
    .prepare()
  const insertEntry = db
    .insert(directoryEntries)
    .values({
      community: sql.placeholder('community'),
      key: sql.placeholder('key'),
      text: sql.placeholder('text'),
      hash: sql.placeholder('hash'),
      addedIn: sql.placeholder('addedIn'),
    })
    .prepare()

  const appendDirectoryTx = sqlite.transaction(
    (
      community: string,
      version: NewDirectoryVersion,
      put: readonly HashedDirectoryEntry[],
      removed: readonly string[],
      previousVersion: number | null,
      createdAt: string,
    ): AppendDirectoryOutcome => {
      if (!lastSeqOf.get({ community })) return 'unknown_community'
      const current = currentDirectoryOf.get({ community })
      if ((current?.version ?? null) !== previousVersion) return 'conflict'
      db.insert(directoryVersions)
        .values({ community, ...version, createdAt })
        .run()
      for (const key of removed) retireEntry.run({ community, key, version: version.version })
      for (const entry of put) {
        retireEntry.run({ community, key: entry.key, version: version.version })
        insertEntry.run({
          community,
          key: entry.key,
          text: entry.text,
          hash: Buffer.from(entry.hash),
          addedIn: version.version,
        })
      }
      return 'stored'
    },
  )

  const mintTx = sqlite.transaction((tokenHash: string, at: string, supersedeUnspent: boolean) => {
    if (supersedeUnspent) db.update(setupTokens).set({ spentAt: at }).where(isNull(setupTokens.spentAt)).run()
    db.insert(setupTokens).values({ tokenHash, createdAt: at }).run()
  })

  return {
    dialect: 'sqlite',
    async insertReports(batch) {
      return insertBatch(batch)
    },
    async listReports(community, afterSeq, limit) {
      const rows = db
        .select({ seq: reports.seq, receivedAt: reports.receivedAt, head: reports.head, ct: reports.ct })
        .from(reports)
        .where(and(eq(reports.community, community), gt(reports.seq, afterSeq)))
        .orderBy(asc(reports.seq))
        .limit(limit)
        .all()
      return rows.map((r) => ({
        seq: r.seq,
        receivedAt: r.receivedAt,
        envelopeText: envelopeText(r.head, r.ct),
      }))
    },
    async countReportsByMonth(community) {
      const month = sql<string>`substr(${reports.receivedAt}, 1, 7)`
      return db
        .select({ month, reports: sql<number>`count(*)` })
        .from(reports)
        .where(eq(reports.community, community))
        .groupBy(month)
        .orderBy(month)
        .all()
    },
    async findReport(community, id) {
      const row = db
        .select({ seq: reports.seq, receivedAt: reports.receivedAt, head: reports.head, ct: reports.ct })
        .from(reports)
        .where(and(eq(reports.community, community), eq(reports.id, id)))
        .get()
      return row
        ? { seq: row.seq, receivedAt: row.receivedAt, envelopeText: envelopeText(row.head, row.ct) }
        : null
    },
    async insertMailboxMessage(message) {
      return insertMailbox.immediate(message)
    },
    async listMailboxMessages(community, mailbox, afterSeq, limit) {
      const rows = db
        .select({
          seq: mailboxMessages.seq,
          receivedAt: mailboxMessages.receivedAt,
          sender: mailboxMessages.sender,
          head: mailboxMessages.head,
          ct: mailboxMessages.ct,
        })
        .from(mailboxMessages)
        .where(
          and(
            eq(mailboxMessages.community, community),
            eq(mailboxMessages.mailbox, mailbox),
            gt(mailboxMessages.seq, afterSeq),
          ),
        )
        .orderBy(asc(mailboxMessages.seq))
        .limit(limit)
        .all()
      return rows.map((r) => ({
        seq: r.seq,
        receivedAt: r.receivedAt,
        sender: r.sender,
        envelopeText: envelopeText(r.head, r.ct),
      }))
    },
    async currentManifest(community) {
      const row = db
        .select({ seq: manifests.seq, payload: manifests.payload, signature: manifests.signature })
        .from(manifests)
        .where(eq(manifests.community, community))
        .orderBy(desc(manifests.seq))
        .limit(1)
        .get()
      return row ?? null
    },
    async listCommunities(limit) {
      const rows = db
        .select({ id: communities.id })
        .from(communities)
        .orderBy(asc(communities.id))
        .limit(limit)
        .all()
      return rows.map((r) => r.id)
    },
    async listManifests(community, afterSeq, limit) {
      return db
        .select({ seq: manifests.seq, payload: manifests.payload, signature: manifests.signature })
        .from(manifests)
        .where(and(eq(manifests.community, community), gt(manifests.seq, afterSeq)))
        .orderBy(asc(manifests.seq))
        .limit(limit)
        .all()
    },
    async appendManifest(community, manifest, previousSeq, storedAt, setupTokenHash) {
      return appendManifestTx.immediate(community, manifest, previousSeq, storedAt, setupTokenHash)
    },
    async mintSetupToken(tokenHash, at, options) {
      mintTx.immediate(tokenHash, at, options?.supersedeUnspent ?? false)
    },
    async insertCaseEvent(event) {
      return insertCase.immediate(event)
    },
    async listCaseEvents(community, afterSeq, limit) {
      const rows = db
        .select({
          seq: caseEvents.seq,
          caseId: caseEvents.caseId,
          receivedAt: caseEvents.receivedAt,
          head: caseEvents.head,
          ct: caseEvents.ct,
        })
        .from(caseEvents)
        .where(and(eq(caseEvents.community, community), gt(caseEvents.seq, afterSeq)))
        .orderBy(asc(caseEvents.seq))
        .limit(limit)
        .all()
      return rows.map((r) => ({
        seq: r.seq,
        caseId: r.caseId,
        receivedAt: r.receivedAt,
        envelopeText: envelopeText(r.head, r.ct),
      }))
    },
    async currentCannedResponses(community) {
      return currentCanned.get({ community }) ?? null
    },
    async appendCannedResponses(community, row, previousSeq, receivedAt) {
      // Immediate: the write lock is taken before the current version is read.
      return appendCannedTx.immediate(community, row, previousSeq, receivedAt)
    },
    async currentDirectory(community) {
      return currentDirectoryOf.get({ community }) ?? null
    },
    async directoryEntries(community, version) {
      if (version !== undefined && !directoryVersionExists(community, version)) return []
      const at = version ?? currentDirectoryOf.get({ community })?.version
      if (at === undefined) return []
      return db
        .select({ key: directoryEntries.key, text: directoryEntries.text, hash: directoryEntries.hash })
        .from(directoryEntries)
        .where(entriesAt(community, at))
        .all()
        .map((r) => ({ key: r.key, text: r.text, hash: new Uint8Array(r.hash) }))
        .sort((a, b) => byCodeUnit(a.key, b.key))
    },
    async directoryChangesSince(community, from, to) {
      const until = to ?? currentDirectoryOf.get({ community })?.version
      if (until === undefined || from > until) return null
      if (!directoryVersionExists(community, from) || !directoryVersionExists(community, until)) return null
      const put = db
        .select({ key: directoryEntries.key, text: directoryEntries.text })
        .from(directoryEntries)
        .where(and(entriesAt(community, until), gt(directoryEntries.addedIn, from)))
        .all()
      const retired = db
        .select({ key: directoryEntries.key })
        .from(directoryEntries)
        .where(
          and(
            eq(directoryEntries.community, community),
            lte(directoryEntries.addedIn, from),
            gt(directoryEntries.removedIn, from),
            lte(directoryEntries.removedIn, until),
          ),
        )
        .all()
      return directoryChangesOf(
        put,
        retired.map((r) => r.key),
      )
    },
    async appendDirectoryVersion(community, version, put, removed, previousVersion, createdAt) {
      // Immediate: the write lock is taken before the current version is read.
      return appendDirectoryTx.immediate(community, version, put, removed, previousVersion, createdAt)
    },
    async insertChunk(chunk) {
      // Immediate: the write lock is taken before the file's chunks and the counts are read.
      return insertChunkTx.immediate(chunk)
    },
    async listChunks(community, report) {
      return db
        .select({
          file: attachmentChunks.file,
          index: attachmentChunks.idx,
          last: attachmentChunks.last,
          bytes: attachmentChunks.bytes,
          hash: attachmentChunks.hash,
          receivedAt: attachmentChunks.receivedAt,
        })
        .from(attachmentChunks)
        .where(and(eq(attachmentChunks.community, community), eq(attachmentChunks.report, report)))
        .all()
        .sort(byFileThenIndex)
    },
    async readChunk(community, report, file, index) {
      const row = db
        .select({ envelope: attachmentChunks.envelope })
        .from(attachmentChunks)
        .where(
          and(
            eq(attachmentChunks.community, community),
            eq(attachmentChunks.file, file),
            eq(attachmentChunks.idx, index),
            eq(attachmentChunks.report, report),
          ),
        )
        .get()
      return row
        ? new Uint8Array(row.envelope.buffer, row.envelope.byteOffset, row.envelope.byteLength)
        : null
    },
    async attachmentBytes(community) {
      return attachmentBytesOf.get({ community })?.attachmentBytes ?? 0
    },
    async logSize(community) {
      return logSizeOf.get({ community })?.logSize ?? 0
    },
    async listLogLeaves(community, fromIdx, limit) {
      return logLeavesFrom
        .all({ community, fromIdx, limit })
        .map((r) => ({ ...r, leaf: new Uint8Array(r.leaf) }))
    },
    async relaySecret(name) {
      db.insert(relaySecrets)
        .values({ name, value: Buffer.from(randomBytes(32)) })
        .onConflictDoNothing()
        .run()
      const row = db
        .select({ value: relaySecrets.value })
        .from(relaySecrets)
        .where(eq(relaySecrets.name, name))
        .get()
      if (!row) throw new Error('relay secret missing after insert')
      return new Uint8Array(row.value)
    },
    async createSession(session, nowSeconds) {
      db.delete(sessions).where(lt(sessions.expiresAt, nowSeconds)).run()
      const inserted = db
        .insert(sessions)
        .values(session)
        .onConflictDoNothing()
        .returning({ t: sessions.tokenHash })
        .all()
      return inserted.length === 1 ? 'created' : 'challenge_used'
    },
    async findSession(tokenHash) {
      const row = db
        .select({ community: sessions.community, signKey: sessions.signKey, expiresAt: sessions.expiresAt })
        .from(sessions)
        .where(eq(sessions.tokenHash, tokenHash))
        .get()
      return row ?? null
    },
    async close() {
      await checkpointer.stop()
      sqlite.close()
    },
  }
}
