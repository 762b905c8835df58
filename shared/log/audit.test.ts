import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { generateSignKeyPair, randomBytes, toBase64url } from '../crypto'
import { type AuditResult, auditLog, type Delivered, type LogSource, type VerifiedLog } from './audit'
import { TestLog } from './test-log'

/** What an honest relay delivers: every report by number, every case event in order. */
function deliveredOf(log: TestLog): { reports: Map<number, string>; events: string[] } {
  const reports = new Map<number, string>()
  const events: string[] = []
  for (const e of log.entries) {
    if (e.kind === 'report') reports.set(reports.size + 1, e.hash)
    if (e.kind === 'case-event') events.push(e.hash)
  }
  return { reports, events }
}

async function audit(
  log: TestLog,
  options: {
    kept?: VerifiedLog | null
    head?: unknown
    delivered?: Delivered
    source?: LogSource
    logKey?: string
  } = {},
): Promise<AuditResult> {
  return auditLog({
    community: log.community,
    logKey: options.logKey ?? log.publicKey,
    kept: options.kept ?? null,
    head: 'head' in options ? options.head : log.head(),
    source: options.source ?? log.source(),
    delivered: options.delivered ?? deliveredOf(log),
  })
}

const kept = (result: AuditResult): VerifiedLog => {
  if (!result.ok) throw new Error(`audit failed: ${JSON.stringify(result.alarms)}`)
  return result.log
}

function filled(reports: number, events = 0, replies = 0): TestLog {
  const log = new TestLog()
  for (let i = 0; i < Math.max(reports, events, replies); i++) {
    if (i < reports) log.append('report')
    if (i < events) log.append('case-event')
    if (i < replies) log.append('reply')
  }
  return log
}

describe('a broker audit of the log', () => {
  it('passes an honest log, first from nothing, then from the head it kept', async () => {
    const log = filled(5, 3, 2)
    const first = kept(await audit(log))
    expect(first.head.size).toBe(10)
    expect(first.delivered).toEqual({ reports: 5, events: 3 })
    log.append('report')
    log.append('case-event')
    log.append('reply')
    const second = kept(await audit(log, { kept: first }))
    expect(second.entries).toEqual(log.entries)
  })

  it('reads the log while the sync is still running, and compares only once it has delivered', async () => {
    const log = filled(4, 2)
    const source = log.source()
    let leavesRead = false
    let release: (d: Delivered) => void = () => undefined
    const delivered = new Promise<Delivered>((resolve) => {
      release = resolve
    })
    const result = auditLog({
      community: log.community,
      logKey: log.publicKey,
      kept: null,
      head: log.head(),
      source: {
        ...source,
        leaves: (from, to) => {
          leavesRead = true
          return source.leaves(from, to)
        },
      },
      delivered,
    })
    await expect.poll(() => leavesRead).toBe(true)
    // A delivery that misses a report is still caught when it comes in late.
    const short = deliveredOf(log)
    short.reports.delete(3)
    release(short)
    expect(await result).toMatchObject({
      ok: false,
      alarms: [{ code: 'missing', kind: 'report', position: 3 }],
    })
  })

  it('passes a log with attachment chunks among the envelopes: they count in the tree, nothing is matched', async () => {
    const log = new TestLog()
    log.append('report')
    for (let i = 0; i < 3; i++) log.append('attachment-chunk')
    log.append('case-event')
    log.append('report')
    log.append('attachment-chunk')
    const first = kept(await audit(log))
    expect(first.head.size).toBe(7)
    expect(first.delivered).toEqual({ reports: 2, events: 1 })
    // Reports and events are still numbered by their own kind, whatever chunks sit between them.
    const dropped = new Map(deliveredOf(log).reports)
    dropped.delete(2)
    expect(await audit(log, { delivered: { ...deliveredOf(log), reports: dropped } })).toMatchObject({
      ok: false,
      alarms: [{ code: 'missing', kind: 'report', position: 2 }],
    })
    // More chunks later, and a relay that rewrites one is caught like for any other entry.
    log.append('attachment-chunk')
    const second = kept(await audit(log, { kept: first }))
    expect(second.entries.filter((e) => e.kind === 'attachment-chunk')).toHaveLength(5)
    log.entries[2] = { kind: 'attachment-chunk', hash: toBase64url(randomBytes(32)) }
    log.append('attachment-chunk')
    expect(await audit(log, { kept: second })).toMatchObject({
      ok: false,
      alarms: [{ code: 'not_consistent' }],
    })
  })

  it('passes an empty log', async () => {
    expect(kept(await audit(new TestLog())).head.size).toBe(0)
  })

  it('refuses a head signed by another key, about another community, or malformed', async () => {
    const log = filled(2)
    const stranger = generateSignKeyPair()
    for (const head of [log.head(2, stranger), { ...log.head(), community: 'other' }, { size: 2 }, null]) {
      expect(await audit(log, { head })).toEqual({ ok: false, alarms: [{ code: 'bad_head' }], more: 0 })
    }
  })

  it('raises rolled_back when the log shrank since the head it kept', async () => {
    const log = filled(4)
    const before = kept(await audit(log))
    log.entries.pop()
    const result = await audit(log, { kept: before, delivered: deliveredOf(filled(0)) })
    expect(result).toMatchObject({ ok: false, alarms: [{ code: 'rolled_back', kept: 4, now: 3 }] })
  })

  it('raises not_consistent when an entry the device verified was rewritten', async () => {
    const log = filled(4)
    const before = kept(await audit(log))
    log.entries[1] = { kind: 'report', hash: toBase64url(randomBytes(32)) }
    log.append('report')
    const result = await audit(log, { kept: before })
    expect(result).toMatchObject({ ok: false, alarms: [{ code: 'not_consistent', kept: 4, now: 5 }] })
  })

  it('raises entries_mismatch when the listed entries do not make the signed root', async () => {
    const log = filled(3)
    const honest = log.source()
    const lying: LogSource = {
      ...honest,
      leaves: async (from, to) => {
        const answer = (await honest.leaves(from, to)) as { from: number; leaves: { kind: string }[] }
        return { ...answer, leaves: answer.leaves.map((l) => ({ ...l, kind: 'reply' })) }
      },
    }
    expect(await audit(log, { source: lying })).toMatchObject({
      ok: false,
      alarms: [{ code: 'entries_mismatch' }],
    })
  })

  it('names a report in the log that was not delivered, or delivered changed, or swapped', async () => {
    const log = filled(4)
    const honest = deliveredOf(log)

    const deleted = new Map(honest.reports)
    deleted.delete(2)
    expect(await audit(log, { delivered: { ...honest, reports: deleted } })).toEqual({
      ok: false,
      alarms: [{ code: 'missing', kind: 'report', position: 2 }],
      more: 0,
    })

    const changed = new Map(honest.reports).set(3, toBase64url(randomBytes(32)))
    expect(await audit(log, { delivered: { ...honest, reports: changed } })).toMatchObject({
      alarms: [{ code: 'altered', kind: 'report', position: 3 }],
    })

    const swapped = new Map<number, string | undefined>(honest.reports)
      .set(1, honest.reports.get(4))
      .set(4, honest.reports.get(1))
    expect(await audit(log, { delivered: { ...honest, reports: swapped } })).toMatchObject({
      alarms: [
        { code: 'altered', kind: 'report', position: 1 },
        { code: 'altered', kind: 'report', position: 4 },
      ],
    })
  })

  it('accepts reports delivered after the head, and raises not_logged when a later head still lacks them', async () => {
    const log = filled(2)
    const head = log.head()
    const extra = toBase64url(randomBytes(32))
    const delivered = deliveredOf(log)
    delivered.reports.set(3, extra)
    const first = kept(await audit(log, { head, delivered }))
    expect(first.delivered.reports).toBe(3)
    // The relay never logs report 3, and logs nothing else either.
    log.append('reply')
    expect(await audit(log, { kept: first, delivered })).toMatchObject({
      ok: false,
      alarms: [{ code: 'not_logged', kind: 'report', position: 3 }],
    })
  })

  it('names case events taken out or reordered', async () => {
    const log = filled(1, 4)
    const honest = deliveredOf(log)
    const [a, b, c, d] = honest.events
    expect(await audit(log, { delivered: { ...honest, events: [a, c, d] } })).toMatchObject({
      ok: false,
      alarms: [{ code: 'missing', kind: 'case-event', position: 2 }],
    })
    expect(await audit(log, { delivered: { ...honest, events: [a, c, b, d] } })).toMatchObject({
      alarms: [
        { code: 'altered', kind: 'case-event', position: 2 },
        { code: 'altered', kind: 'case-event', position: 3 },
      ],
    })
  })

  it('keeps the alarm list short and counts the rest', async () => {
    const log = filled(30)
    const result = await audit(log, { delivered: { reports: new Map(), events: [] } })
    expect(result).toMatchObject({ ok: false, more: 10 })
    expect(result.ok || result.alarms.length).toBe(20)
  })

  it('passes every honest history and catches every single tampering (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.constantFrom('report', 'case-event', 'reply', 'attachment-chunk') as fc.Arbitrary<'report'>,
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        fc.nat(),
        fc.nat(),
        fc.constantFrom('drop', 'change', 'rewrite', 'roll back'),
        async (kinds, splitSeed, victimSeed, tamper) => {
          const log = new TestLog()
          const split = splitSeed % (kinds.length + 1)
          for (const kind of kinds.slice(0, split)) log.append(kind)
          let state = kept(await audit(log))
          for (const kind of kinds.slice(split)) log.append(kind)
          state = kept(await audit(log, { kept: state }))

          const delivered = deliveredOf(log)
          const victim = victimSeed % log.entries.length
          const entry = log.entries[victim]
          if (!entry) throw new Error('no victim')
          if (tamper === 'rewrite') {
            log.entries[victim] = { ...entry, hash: toBase64url(randomBytes(32)) }
            log.append('reply')
            expect((await audit(log, { kept: state, delivered })).ok).toBe(false)
          } else if (tamper === 'roll back') {
            log.entries.pop()
            expect((await audit(log, { kept: state, delivered })).ok).toBe(false)
          } else if (entry.kind === 'report') {
            const n = log.entries.slice(0, victim + 1).filter((e) => e.kind === 'report').length
            const reports = new Map(delivered.reports)
            if (tamper === 'drop') reports.delete(n)
            else reports.set(n, toBase64url(randomBytes(32)))
            expect((await audit(log, { delivered: { ...delivered, reports } })).ok).toBe(false)
          } else if (entry.kind === 'case-event') {
            const n = log.entries.slice(0, victim).filter((e) => e.kind === 'case-event').length
            const events = [...delivered.events]
            if (tamper === 'drop') events.splice(n, 1)
            else events[n] = toBase64url(randomBytes(32))
            expect((await audit(log, { delivered: { ...delivered, events } })).ok).toBe(false)
          }
        },
      ),
      { numRuns: 50 },
    )
  })
})
