import { fileURLToPath } from 'node:url'
import {
  and,
  asc,
  desc,
  eq,
  gt,
  gte,
  inArray,
  isNull,
  lt,
  lte,
  or,
  sql,
  TransactionRollbackError,
} from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/postgres-js'
import { migrate } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import { randomBytes } from '../../shared/crypto'
import { type LogKind, logLeafHash } from '../../shared/log'
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
} from './schema.pg'
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
  type InsertOutcome,
  type MailboxInsertOutcome,
  placeChunk,
  type Store,
} from './store'

const migrationsFolder = fileURLToPath(new URL('./migrations/pg', import.meta.url))
/** Arbitrary constant naming Heard's migration lock among PostgreSQL advisory locks. */
const MIGRATION_LOCK = 0x4865_6172

/**
 * PostgreSQL, for operators who run several relay processes on one database. Writes to one
 * community serialise on its row lock, so sequence numbers become visible in order and a broker
 * syncing by cursor never skips a report that committed late.
 */
export async function openPgStore(url: string): Promise<Store> {
  const client = postgres(url, { max: 10, onnotice: () => {} })
  const db = drizzle(client)
  const lock = await client.reserve()
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK})`
    await migrate(db, { migrationsFolder })
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`
    lock.release()
  }

  type Tx = Parameters<Parameters<typeof db.transaction>[0]>[0]
  /**
   * Appends stored envelopes' leaves to their communities' logs, inside the storing transaction.
   * Every caller holds the community row lock, so one community's leaves are appended one at a
   * time even across relay processes. As in the SQLite store, each log's size is read once and
   * written back once, by finish(): a batch of reports costs one statement per leaf, not three.
   */
  const logAppender = (tx: Tx) => {
    const sizes = new Map<string, number>()
    return {
      async append(community: string, kind: LogKind, hash: string): Promise<void> {
        let idx = sizes.get(community)
        if (idx === undefined) {
          const [row] = await tx
            .select({ logSize: communities.logSize })
            .from(communities)
            .where(eq(communities.id, community))
          idx = row?.logSize ?? 0
        }
        await tx
          .insert(logLeaves)
          .values({ community, idx, kind, hash, leaf: Buffer.from(logLeafHash(kind, hash)) })
        sizes.set(community, idx + 1)
      },
      async finish(): Promise<void> {
        for (const [community, logSize] of sizes) {
          await tx.update(communities).set({ logSize }).where(eq(communities.id, community))
        }
      },
    }
  }
  const appendLeaf = async (tx: Tx, community: string, kind: LogKind, hash: string): Promise<void> => {
    const log = logAppender(tx)
    await log.append(community, kind, hash)
    await log.finish()
  }

  /** Rows per statement when a directory version is written: well under 65,535 parameters. */
  const DIRECTORY_CHUNK = 2_000
  const chunks = <T>(items: readonly T[]): T[][] =>
    Array.from({ length: Math.ceil(items.length / DIRECTORY_CHUNK) }, (_, i) =>
      items.slice(i * DIRECTORY_CHUNK, (i + 1) * DIRECTORY_CHUNK),
    )
  const currentDirectoryOf = async (community: string) => {
    const [row] = await db
      .select({
        version: directoryVersions.version,
        payload: directoryVersions.payload,
        signature: directoryVersions.signature,
      })
      .from(directoryVersions)
      .where(eq(directoryVersions.community, community))
      .orderBy(desc(directoryVersions.version))
      .limit(1)
    return row ?? null
  }
  /** The stored versions among `versions`. */
  const storedDirectoryVersions = async (community: string, versions: number[]): Promise<Set<number>> => {
    const rows = await db
      .select({ version: directoryVersions.version })
      .from(directoryVersions)
      .where(and(eq(directoryVersions.community, community), inArray(directoryVersions.version, versions)))
    return new Set(rows.map((r) => r.version))
  }
  /** The community's entry rows that belong to version `at`. */
  const entriesAt = (community: string, at: number) =>
    and(
      eq(directoryEntries.community, community),
      lte(directoryEntries.addedIn, at),
      or(isNull(directoryEntries.removedIn), gt(directoryEntries.removedIn, at)),
    )

  return {
    dialect: 'postgres',
    async insertReports(batch) {
      return db.transaction(async (tx) => {
        const ids = [...new Set(batch.map((r) => r.community))].sort()
        const locked = await tx
          .select({ id: communities.id, lastSeq: communities.lastSeq })
          .from(communities)
          .where(inArray(communities.id, ids))
          .orderBy(asc(communities.id))
          .for('update')
        const lastSeqs = new Map(locked.map((c) => [c.id, c.lastSeq]))
        const log = logAppender(tx)
        const outcomes: InsertOutcome[] = []
        for (const report of batch) {
          const lastSeq = lastSeqs.get(report.community)
          if (lastSeq === undefined) {
            outcomes.push({ kind: 'unknown_community' })
            continue
          }
          const [prior] = await tx
            .select({ hash: reports.hash, seq: reports.seq, receivedAt: reports.receivedAt })
            .from(reports)
            .where(and(eq(reports.community, report.community), eq(reports.id, report.id)))
          if (prior) {
            if (prior.hash !== report.hash) outcomes.push({ kind: 'conflict' })
            else
              outcomes.push({
                kind: 'duplicate',
                receipt: { community: report.community, id: report.id, ...prior },
              })
            continue
          }
          if (!report.sealedToCurrentTeam) {
            outcomes.push({ kind: 'no_current_recipient' })
            continue
          }
          const seq = lastSeq + 1
          const { sealedToCurrentTeam: _, ...row } = report
          await tx.insert(reports).values({ ...row, seq, ct: Buffer.from(report.ct) })
          lastSeqs.set(report.community, seq)
          await log.append(report.community, 'report', report.hash)
          outcomes.push({
            kind: 'stored',
            receipt: {
              community: report.community,
              id: report.id,
              hash: report.hash,
              seq,
              receivedAt: report.receivedAt,
            },
          })
        }
        for (const [id, lastSeq] of lastSeqs) {
          await tx.update(communities).set({ lastSeq }).where(eq(communities.id, id))
        }
        await log.finish()
        return outcomes
      })
    },
    async listReports(community, afterSeq, limit) {
      const rows = await db
        .select({ seq: reports.seq, receivedAt: reports.receivedAt, head: reports.head, ct: reports.ct })
        .from(reports)
        .where(and(eq(reports.community, community), gt(reports.seq, afterSeq)))
        .orderBy(asc(reports.seq))
        .limit(limit)
      return rows.map((r) => ({
        seq: r.seq,
        receivedAt: r.receivedAt,
        envelopeText: envelopeText(r.head, r.ct),
      }))
    },
    async countReportsByMonth(community) {
      const month = sql<string>`substr(${reports.receivedAt}, 1, 7)`
      const rows = await db
        .select({ month, reports: sql<string>`count(*)` })
        .from(reports)
        .where(eq(reports.community, community))
        .groupBy(month)
        .orderBy(month)
      // PostgreSQL counts in bigint, which the driver hands over as text.
      return rows.map((r) => ({ month: r.month, reports: Number(r.reports) }))
    },
    async findReport(community, id) {
      const [row] = await db
        .select({ seq: reports.seq, receivedAt: reports.receivedAt, head: reports.head, ct: reports.ct })
        .from(reports)
        .where(and(eq(reports.community, community), eq(reports.id, id)))
      return row
        ? { seq: row.seq, receivedAt: row.receivedAt, envelopeText: envelopeText(row.head, row.ct) }
        : null
    },
    async insertMailboxMessage(message) {
      const { community, mailbox, id } = message
      return db.transaction(async (tx): Promise<MailboxInsertOutcome> => {
        // The community row lock orders this community's writes: a message's seq is taken and
        // committed before the next one's, so a client paging by cursor never skips a late commit.
        const [exists] = await tx
          .select({ id: communities.id })
          .from(communities)
          .where(eq(communities.id, community))
          .for('update')
        if (!exists) return { kind: 'unknown_community' }
        const [prior] = await tx
          .select({
            mailbox: mailboxMessages.mailbox,
            hash: mailboxMessages.hash,
            seq: mailboxMessages.seq,
            receivedAt: mailboxMessages.receivedAt,
          })
          .from(mailboxMessages)
          .where(and(eq(mailboxMessages.community, community), eq(mailboxMessages.id, id)))
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
        const [row] = await tx
          .insert(mailboxMessages)
          .values({ ...message, ct: Buffer.from(message.ct) })
          .returning({ seq: mailboxMessages.seq })
        if (!row) throw new Error('mailbox insert returned no row')
        await appendLeaf(tx, community, 'reply', message.hash)
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
    },
    async listMailboxMessages(community, mailbox, afterSeq, limit) {
      const rows = await db
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
      return rows.map((r) => ({
        seq: r.seq,
        receivedAt: r.receivedAt,
        sender: r.sender,
        envelopeText: envelopeText(r.head, r.ct),
      }))
    },
    async currentManifest(community) {
      const [row] = await db
        .select({ seq: manifests.seq, payload: manifests.payload, signature: manifests.signature })
        .from(manifests)
        .where(eq(manifests.community, community))
        .orderBy(desc(manifests.seq))
        .limit(1)
      return row ?? null
    },
    async listCommunities(limit) {
      const rows = await db
        .select({ id: communities.id })
        .from(communities)
        .orderBy(asc(communities.id))
        .limit(limit)
      return rows.map((r) => r.id)
    },
    async listManifests(community, afterSeq, limit) {
      return db
        .select({ seq: manifests.seq, payload: manifests.payload, signature: manifests.signature })
        .from(manifests)
        .where(and(eq(manifests.community, community), gt(manifests.seq, afterSeq)))
        .orderBy(asc(manifests.seq))
        .limit(limit)
    },
    async appendManifest(community, manifest, previousSeq, storedAt, setupTokenHash) {
      let refusal: Exclude<AppendManifestOutcome, 'stored'> = 'conflict'
      return db
        .transaction(async (tx) => {
          if (setupTokenHash !== undefined) {
            // One statement: the row lock makes a concurrent spend of the same token wait, then
            // find it spent. A rollback below un-spends it.
            const spent = await tx
              .update(setupTokens)
              .set({ spentAt: storedAt, community })
              .where(and(eq(setupTokens.tokenHash, setupTokenHash), isNull(setupTokens.spentAt)))
              .returning({ tokenHash: setupTokens.tokenHash })
            if (spent.length !== 1) {
              refusal = 'setup_token_invalid'
              tx.rollback()
            }
          }
          // The community row is the lock that serialises manifest updates across relay processes.
          await tx.insert(communities).values({ id: community, createdAt: storedAt }).onConflictDoNothing()
          await tx
            .select({ id: communities.id })
            .from(communities)
            .where(eq(communities.id, community))
            .for('update')
          const [current] = await tx
            .select({ seq: manifests.seq })
            .from(manifests)
            .where(eq(manifests.community, community))
            .orderBy(desc(manifests.seq))
            .limit(1)
          if ((current?.seq ?? null) !== previousSeq) tx.rollback()
          await tx.insert(manifests).values({ community, ...manifest, storedAt })
          return 'stored' as const
        })
        .catch((error: unknown) => {
          if (error instanceof TransactionRollbackError) return refusal
          throw error
        })
    },
    async mintSetupToken(tokenHash, at, options) {
      await db.transaction(async (tx) => {
        if (options?.supersedeUnspent) {
          await tx.update(setupTokens).set({ spentAt: at }).where(isNull(setupTokens.spentAt))
        }
        await tx.insert(setupTokens).values({ tokenHash, createdAt: at })
      })
    },
    async insertCaseEvent(event) {
      const { community, caseId, id } = event
      return db.transaction(async (tx): Promise<CaseEventInsertOutcome> => {
        // As for mailbox messages: the community row lock orders this community's case events, so
        // a broker paging by cursor never skips one that committed late.
        const [exists] = await tx
          .select({ id: communities.id })
          .from(communities)
          .where(eq(communities.id, community))
          .for('update')
        if (!exists) return { kind: 'unknown_community' }
        const [theCase] = await tx
          .select({ id: reports.id })
          .from(reports)
          .where(and(eq(reports.community, community), eq(reports.id, caseId)))
        if (!theCase) return { kind: 'unknown_case' }
        const [prior] = await tx
          .select({
            caseId: caseEvents.caseId,
            hash: caseEvents.hash,
            seq: caseEvents.seq,
            receivedAt: caseEvents.receivedAt,
          })
          .from(caseEvents)
          .where(and(eq(caseEvents.community, community), eq(caseEvents.id, id)))
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
        const [stored] = await tx
          .insert(caseEvents)
          .values({ ...row, ct: Buffer.from(event.ct) })
          .returning({ seq: caseEvents.seq })
        if (!stored) throw new Error('case event insert returned no row')
        await appendLeaf(tx, community, 'case-event', event.hash)
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
    },
    async listCaseEvents(community, afterSeq, limit) {
      const rows = await db
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
      return rows.map((r) => ({
        seq: r.seq,
        caseId: r.caseId,
        receivedAt: r.receivedAt,
        envelopeText: envelopeText(r.head, r.ct),
      }))
    },
    async currentCannedResponses(community) {
      const [row] = await db
        .select({
          seq: cannedResponses.seq,
          payload: cannedResponses.payload,
          signature: cannedResponses.signature,
        })
        .from(cannedResponses)
        .where(eq(cannedResponses.community, community))
        .orderBy(desc(cannedResponses.seq))
        .limit(1)
      return row ?? null
    },
    async appendCannedResponses(community, row, previousSeq, receivedAt) {
      return db.transaction(async (tx): Promise<AppendCannedResponsesOutcome> => {
        // The community row lock serialises versions across relay processes: a second append
        // checked against the same version waits here, then finds it is no longer current.
        const [exists] = await tx
          .select({ id: communities.id })
          .from(communities)
          .where(eq(communities.id, community))
          .for('update')
        if (!exists) return 'unknown_community'
        const [current] = await tx
          .select({ seq: cannedResponses.seq })
          .from(cannedResponses)
          .where(eq(cannedResponses.community, community))
          .orderBy(desc(cannedResponses.seq))
          .limit(1)
        if ((current?.seq ?? null) !== previousSeq) return 'conflict'
        await tx.insert(cannedResponses).values({
          community,
          seq: row.seq,
          payload: row.payload,
          signature: row.signature,
          receivedAt,
        })
        return 'stored'
      })
    },
    async currentDirectory(community) {
      return currentDirectoryOf(community)
    },
    async directoryEntries(community, version) {
      if (version !== undefined && !(await storedDirectoryVersions(community, [version])).has(version))
        return []
      const at = version ?? (await currentDirectoryOf(community))?.version
      if (at === undefined) return []
      const rows = await db
        .select({ key: directoryEntries.key, text: directoryEntries.text, hash: directoryEntries.hash })
        .from(directoryEntries)
        .where(entriesAt(community, at))
      // Sorted here, not by ORDER BY: the database's collation need not be code-unit order.
      return rows
        .map((r) => ({ key: r.key, text: r.text, hash: new Uint8Array(r.hash) }))
        .sort((a, b) => byCodeUnit(a.key, b.key))
    },
    async directoryChangesSince(community, from, to) {
      const until = to ?? (await currentDirectoryOf(community))?.version
      if (until === undefined || from > until) return null
      const stored = await storedDirectoryVersions(community, [from, until])
      if (!stored.has(from) || !stored.has(until)) return null
      // Both reads name their versions, which never change: no transaction is needed for them to agree.
      const put = await db
        .select({ key: directoryEntries.key, text: directoryEntries.text })
        .from(directoryEntries)
        .where(and(entriesAt(community, until), gt(directoryEntries.addedIn, from)))
      const retired = await db
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
      return directoryChangesOf(
        put,
        retired.map((r) => r.key),
      )
    },
    async appendDirectoryVersion(community, version, put, removed, previousVersion, createdAt) {
      return db.transaction(async (tx): Promise<AppendDirectoryOutcome> => {
        // The community row lock serialises versions across relay processes, as for canned responses.
        const [exists] = await tx
          .select({ id: communities.id })
          .from(communities)
          .where(eq(communities.id, community))
          .for('update')
        if (!exists) return 'unknown_community'
        const [current] = await tx
          .select({ version: directoryVersions.version })
          .from(directoryVersions)
          .where(eq(directoryVersions.community, community))
          .orderBy(desc(directoryVersions.version))
          .limit(1)
        if ((current?.version ?? null) !== previousVersion) return 'conflict'
        await tx.insert(directoryVersions).values({ community, ...version, createdAt })
        for (const keys of chunks([...removed, ...put.map((e) => e.key)])) {
          await tx
            .update(directoryEntries)
            .set({ removedIn: version.version })
            .where(
              and(
                eq(directoryEntries.community, community),
                inArray(directoryEntries.key, keys),
                isNull(directoryEntries.removedIn),
              ),
            )
        }
        for (const rows of chunks(put)) {
          await tx.insert(directoryEntries).values(
            rows.map((e) => ({
              community,
              key: e.key,
              text: e.text,
              hash: Buffer.from(e.hash),
              addedIn: version.version,
            })),
          )
        }
        return 'stored'
      })
    },
    async insertChunk(chunk) {
      const { community, report, file, index } = chunk
      return db.transaction(async (tx): Promise<ChunkInsertOutcome> => {
        // The community row lock orders this community's chunks (and log leaves): the limit and
        // quota are checked against counts no other process can change before this commits.
        const [holder] = await tx
          .select({ attachmentBytes: communities.attachmentBytes })
          .from(communities)
          .where(eq(communities.id, community))
          .for('update')
        if (!holder) return { kind: 'unknown_community' }
        const [theReport] = await tx
          .select({ id: reports.id })
          .from(reports)
          .where(and(eq(reports.community, community), eq(reports.id, report)))
        if (!theReport) return { kind: 'unknown_case' }
        const stored = await tx
          .select({
            report: attachmentChunks.report,
            idx: attachmentChunks.idx,
            last: attachmentChunks.last,
            hash: attachmentChunks.hash,
            receivedAt: attachmentChunks.receivedAt,
          })
          .from(attachmentChunks)
          .where(and(eq(attachmentChunks.community, community), eq(attachmentChunks.file, file)))
        const placed = placeChunk(chunk, stored)
        if (placed) return placed
        // PostgreSQL sums bigint as numeric, which the driver hands over as text.
        const [sum] = await tx
          .select({ padded: sql<string>`coalesce(sum(${attachmentChunks.bytes} - 16), 0)` })
          .from(attachmentChunks)
          .where(and(eq(attachmentChunks.community, community), eq(attachmentChunks.report, report)))
        if (Number(sum?.padded ?? 0) + chunk.bytes - 16 > chunk.reportLimitBytes)
          return { kind: 'limit_exceeded' }
        const size = chunk.envelope.byteLength
        if (holder.attachmentBytes + size > chunk.quotaBytes) return { kind: 'storage_full' }
        await tx.insert(attachmentChunks).values({
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
        await tx
          .update(communities)
          .set({ attachmentBytes: holder.attachmentBytes + size })
          .where(eq(communities.id, community))
        await appendLeaf(tx, community, 'attachment-chunk', chunk.hash)
        return { kind: 'stored', receipt: { file, index, hash: chunk.hash, receivedAt: chunk.receivedAt } }
      })
    },
    async listChunks(community, report) {
      const rows = await db
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
      // Sorted here, not by ORDER BY: the database's collation need not be code-unit order.
      return rows.sort(byFileThenIndex)
    },
    async readChunk(community, report, file, index) {
      const [row] = await db
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
      return row
        ? new Uint8Array(row.envelope.buffer, row.envelope.byteOffset, row.envelope.byteLength)
        : null
    },
    async attachmentBytes(community) {
      const [row] = await db
        .select({ attachmentBytes: communities.attachmentBytes })
        .from(communities)
        .where(eq(communities.id, community))
      return row?.attachmentBytes ?? 0
    },
    async logSize(community) {
      const [row] = await db
        .select({ logSize: communities.logSize })
        .from(communities)
        .where(eq(communities.id, community))
      return row?.logSize ?? 0
    },
    async listLogLeaves(community, fromIdx, limit) {
      const rows = await db
        .select({ idx: logLeaves.idx, kind: logLeaves.kind, hash: logLeaves.hash, leaf: logLeaves.leaf })
        .from(logLeaves)
        .where(and(eq(logLeaves.community, community), gte(logLeaves.idx, fromIdx)))
        .orderBy(asc(logLeaves.idx))
        .limit(limit)
      return rows.map((r) => ({ ...r, leaf: new Uint8Array(r.leaf) }))
    },
    async relaySecret(name) {
      await db
        .insert(relaySecrets)
        .values({ name, value: Buffer.from(randomBytes(32)) })
        .onConflictDoNothing()
      const [row] = await db
        .select({ value: relaySecrets.value })
        .from(relaySecrets)
        .where(eq(relaySecrets.name, name))
      if (!row) throw new Error('relay secret missing after insert')
      return new Uint8Array(row.value)
    },
    async createSession(session, nowSeconds) {
      await db.delete(sessions).where(lt(sessions.expiresAt, nowSeconds))
      const inserted = await db
        .insert(sessions)
        .values(session)
        .onConflictDoNothing()
        .returning({ t: sessions.tokenHash })
      return inserted.length === 1 ? 'created' : 'challenge_used'
    },
    async findSession(tokenHash) {
      const [row] = await db
        .select({ community: sessions.community, signKey: sessions.signKey, expiresAt: sessions.expiresAt })
        .from(sessions)
        .where(eq(sessions.tokenHash, tokenHash))
      return row ?? null
    },
    async close() {
      await client.end({ timeout: 5 })
    },
  }
}
