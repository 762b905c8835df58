import path from 'node:path'
import Database from 'better-sqlite3'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sha256, toBase64url, utf8 } from '../../shared/crypto'
import {
  auditLog,
  checkStillHeld,
  type Delivered,
  type HeldCheck,
  type LogSource,
  type ReceiptLog,
  verifyTreeHead,
} from '../../shared/log'
import { canonicalEnvelopeText, type EnvelopeV1Json } from '../../shared/protocol'
import { createApp, type RelayApp } from '../app'
import { SQLITE_FILE } from '../db/sqlite-store'
import { silentLogger } from '../log'
import { type FakeCommunity, fakeCommunity, fakeReport, json, signChallenge } from './fixtures'
import { BACKENDS, type TestStore } from './stores'

/**
 * Issue #5's tamper tests on a real database, SQLite and PostgreSQL: a report row deleted, one
 * byte of a stored envelope changed, two rows swapped, the log rolled back to an older head. Each
 * is caught by the complainant's receipt check (checkStillHeld) and by a broker's audit (auditLog),
 * the same shared code the apps run, here talking to the real relay over its routes.
 */

interface Sent {
  readonly id: string
  readonly hash: string
  readonly log: ReceiptLog
}

/** Raw SQL on the relay's own database, the way an operator (or an intruder) could change it. */
interface Tamper {
  run(sql: string, params?: unknown[]): Promise<void>
  rows<T>(sql: string, params?: unknown[]): Promise<T[]>
  close(): Promise<void>
}

function tamperer(ts: TestStore): Tamper {
  if (ts.location.dataDir) {
    const db = new Database(path.join(ts.location.dataDir, SQLITE_FILE))
    return {
      async run(sql, params = []) {
        db.prepare(sql).run(...params)
      },
      async rows<T>(sql: string, params: unknown[] = []) {
        return db.prepare(sql).all(...params) as T[]
      },
      async close() {
        db.close()
      },
    }
  }
  const pg = postgres(ts.location.databaseUrl as string, { max: 1, onnotice: () => {} })
  const numbered = (sql: string) => {
    let n = 0
    return sql.replace(/\?/g, () => `$${++n}`)
  }
  return {
    async run(sql, params = []) {
      await pg.unsafe(numbered(sql), params as never[])
    },
    async rows<T>(sql: string, params: unknown[] = []) {
      return (await pg.unsafe(numbered(sql), params as never[])) as unknown as T[]
    },
    close: () => pg.end(),
  }
}

describe.each(BACKENDS)('tampering with the log on $name', ({ open: openStore }) => {
  let ts: TestStore
  let app: RelayApp
  let db: Tamper
  let logKey: string

  const relay = () => app
  const api = (p: string, init?: RequestInit) => relay().request(`/api/v1${p}`, init)
  const getJson = async (p: string, init?: RequestInit): Promise<unknown> => {
    const res = await api(p, init)
    return res.status === 404 ? null : res.json()
  }

  async function session(community: FakeCommunity): Promise<string> {
    const base = `/communities/${community.id}/auth`
    const { challenge } = (await (await api(`${base}/challenge`, { method: 'POST' })).json()) as {
      challenge: string
    }
    const res = await api(`${base}/session`, json(signChallenge(community, 0, challenge)))
    return ((await res.json()) as { token: string }).token
  }

  async function setUp(name: string, reports: number) {
    const community = fakeCommunity(name, 1)
    expect((await api(`/communities/${community.id}/manifest`, json(community.signed, 'PUT'))).status).toBe(
      201,
    )
    const sent: Sent[] = []
    for (let i = 0; i < reports; i++) {
      const envelope: EnvelopeV1Json = await fakeReport(community, `report ${i} of ${name}`)
      const res = await api(`/communities/${community.id}/reports`, json(canonicalEnvelopeText(envelope)))
      expect(res.status).toBe(201)
      const { receipt } = (await res.json()) as { receipt: { hash: string; log: ReceiptLog } }
      expect(receipt.hash).toBe(toBase64url(sha256(utf8(canonicalEnvelopeText(envelope)))))
      sent.push({ id: envelope.id, hash: receipt.hash, log: receipt.log })
    }
    return { community, sent }
  }

  const stillHeld = (community: FakeCommunity, report: Sent): Promise<HeldCheck> => {
    const c = `/communities/${community.id}`
    return checkStillHeld({
      community: community.id,
      logKey,
      envelopeHash: report.hash,
      log: report.log,
      source: {
        head: () => getJson(`${c}/log/head`),
        consistency: (from, to) => getJson(`${c}/log/consistency?from=${from}&to=${to}`),
        inclusion: (leaf, size) => getJson(`${c}/log/inclusion?leaf=${leaf}&size=${size}`),
        envelope: async () =>
          ((await getJson(`${c}/reports/${report.id}`)) as { envelope: unknown } | null)?.envelope ?? null,
      },
    })
  }

  /** A broker's sync and audit, as the console does it: head first, then every report, then the check. */
  async function brokerAudit(community: FakeCommunity, kept: Parameters<typeof auditLog>[0]['kept'] = null) {
    const token = await session(community)
    const auth = { headers: { authorization: `Bearer ${token}` } }
    const c = `/communities/${community.id}`
    const head = await getJson(`${c}/log/head`)
    const page = (await getJson(`${c}/reports?after=0&limit=500`, auth)) as {
      reports: { seq: number; envelope: EnvelopeV1Json }[]
    }
    const delivered: Delivered = {
      reports: new Map(
        page.reports.map((r) => [r.seq, toBase64url(sha256(utf8(canonicalEnvelopeText(r.envelope))))]),
      ),
      events: [],
    }
    const source: LogSource = {
      consistency: (from, to) => getJson(`${c}/log/consistency?from=${from}&to=${to}`),
      leaves: (from, to) => getJson(`${c}/log/leaves?from=${from}&to=${to}`, auth),
    }
    return auditLog({ community: community.id, logKey, kept, head, source, delivered })
  }

  beforeAll(async () => {
    ts = await openStore()
    app = await createApp({ store: ts.store, log: silentLogger, staticDir: null, communitySetup: 'open' })
    db = tamperer(ts)
    logKey = String(((await getJson('/log-key')) as { key: string }).key)
  })
  afterAll(async () => {
    await db?.close()
    await ts?.close()
  })

  it('finds every report held, and the broker audit passes, while nobody tampers', async () => {
    const { community, sent } = await setUp('honest-wiki', 3)
    for (const report of sent) expect(await stillHeld(community, report)).toMatchObject({ ok: true })
    const audit = await brokerAudit(community)
    expect(audit).toMatchObject({ ok: true, log: { head: { size: 3 }, delivered: { reports: 3 } } })
    // The public page: the signed head and the reports held by month, nothing finer.
    const page = (await getJson(`/communities/${community.id}/transparency`)) as {
      head: unknown
      reportsByMonth: unknown
    }
    expect(verifyTreeHead(page.head, logKey, community.id)).toMatchObject({ size: 3 })
    expect(page.reportsByMonth).toEqual([{ month: new Date().toISOString().slice(0, 7), reports: 3 }])
    expect((await api('/communities/nobody-here/transparency')).status).toBe(404)
  })

  it('answers typed errors on the routes the checks use', async () => {
    const { community, sent } = await setUp('errors-wiki', 2)
    const c = `/communities/${community.id}`
    const code = async (p: string, init?: RequestInit) => {
      const res = await api(p, init)
      return [res.status, ((await res.json()) as { error?: { code: string } }).error?.code]
    }
    expect(await code(`${c}/reports/not-an-id`)).toEqual([400, 'invalid_case'])
    expect(await code(`${c}/reports/${'A'.repeat(22)}`)).toEqual([404, 'unknown_case'])
    expect(await code(`/communities/nobody-here/reports/${(sent[0] as Sent).id}`)).toEqual([
      404,
      'unknown_case',
    ])
    expect(await code(`${c}/log/leaves?from=0&to=2`)).toEqual([401, 'unauthorized'])
    const auth = { headers: { authorization: `Bearer ${await session(community)}` } }
    expect(await code(`${c}/log/leaves?from=0&to=3`, auth)).toEqual([400, 'invalid_log_size'])
    expect(await code(`${c}/log/leaves?from=2&to=1`, auth)).toEqual([400, 'invalid_log_size'])
    expect(await code(`${c}/log/leaves?from=x&to=1`, auth)).toEqual([400, 'invalid_log_size'])
    const page = (await getJson(`${c}/log/leaves?from=1&to=2`, auth)) as { from: number; leaves: unknown[] }
    expect(page).toEqual({ from: 1, leaves: [{ kind: 'report', hash: (sent[1] as Sent).hash }] })
  })

  it('catches a deleted report row', async () => {
    const { community, sent } = await setUp('deleted-wiki', 3)
    const victim = sent[1] as Sent
    await db.run('delete from reports where community = ? and id = ?', [community.id, victim.id])
    expect(await stillHeld(community, victim)).toEqual({ ok: false, problem: 'report_missing' })
    expect(await stillHeld(community, sent[0] as Sent)).toMatchObject({ ok: true })
    expect(await brokerAudit(community)).toMatchObject({
      ok: false,
      alarms: [{ code: 'missing', kind: 'report', position: 2 }],
    })
  })

  it('catches one byte changed in a stored envelope', async () => {
    const { community, sent } = await setUp('changed-wiki', 3)
    const victim = sent[2] as Sent
    const [row] = await db.rows<{ ct: Uint8Array }>('select ct from reports where community = ? and id = ?', [
      community.id,
      victim.id,
    ])
    const ct = Buffer.from(row?.ct as Uint8Array)
    ct[100] = (ct[100] as number) ^ 1
    await db.run('update reports set ct = ? where community = ? and id = ?', [ct, community.id, victim.id])
    expect(await stillHeld(community, victim)).toEqual({ ok: false, problem: 'report_altered' })
    expect(await brokerAudit(community)).toMatchObject({
      ok: false,
      alarms: [{ code: 'altered', kind: 'report', position: 3 }],
    })
  })

  it('catches two report rows swapped', async () => {
    const { community, sent } = await setUp('swapped-wiki', 3)
    const [a, , c] = sent as [Sent, Sent, Sent]
    // The stored envelopes trade places: each id now holds the other's envelope, at the other's seq.
    const rows = await db.rows<{ id: string; head: string; ct: Uint8Array }>(
      'select id, head, ct from reports where community = ? and id in (?, ?)',
      [community.id, a.id, c.id],
    )
    const [first, second] = rows as [(typeof rows)[0], (typeof rows)[0]]
    for (const [row, other] of [
      [first, second],
      [second, first],
    ] as const) {
      await db.run('update reports set head = ?, ct = ? where community = ? and id = ?', [
        other.head,
        Buffer.from(other.ct),
        community.id,
        row.id,
      ])
    }
    expect(await stillHeld(community, a)).toEqual({ ok: false, problem: 'report_altered' })
    expect(await stillHeld(community, c)).toEqual({ ok: false, problem: 'report_altered' })
    expect(await brokerAudit(community)).toMatchObject({
      ok: false,
      alarms: [
        { code: 'altered', kind: 'report', position: 1 },
        { code: 'altered', kind: 'report', position: 3 },
      ],
    })
  })

  it('catches the log rolled back to an older head (a restored backup, the relay restarted)', async () => {
    const { community, sent } = await setUp('rolled-back-wiki', 2)
    const kept = await brokerAudit(community)
    if (!kept.ok) throw new Error('the honest audit failed')
    // Undo the second report everywhere, as restoring yesterday's backup would.
    const last = sent[1] as Sent
    await db.run('delete from log_leaves where community = ? and idx >= ?', [community.id, 1])
    await db.run('delete from reports where community = ? and id = ?', [community.id, last.id])
    await db.run('update communities set log_size = 1, last_seq = 1 where id = ?', [community.id])
    app = await createApp({ store: ts.store, log: silentLogger, staticDir: null, communitySetup: 'open' })
    expect(await stillHeld(community, last)).toEqual({ ok: false, problem: 'rolled_back' })
    expect(await brokerAudit(community, kept.log)).toMatchObject({
      ok: false,
      alarms: [{ code: 'rolled_back', kept: 2, now: 1 }],
    })
  })
})
