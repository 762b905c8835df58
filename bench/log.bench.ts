import { type ChildProcess, fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { createCommunityLogs } from '../server/communities/community-logs'
import { openSqliteStore } from '../server/db/sqlite-store'
import type { NewReport, Store } from '../server/db/store'
import { coarseTime } from '../server/routes/context'
import { checkEnvelope } from '../server/routes/sealed-envelope'
import { fromBase64url, toBase64url } from '../shared/crypto'
import { logLeafHash, verifyInclusion, verifyTreeHead } from '../shared/log'
import { EnvelopeKind, type Receipt } from '../shared/protocol'
import { forkServer, intEnv, sealInChildren } from './children'
import { benchManifest, COMMUNITY, fmt, median, type Spread } from './common'
import { load, rotatingPost } from './load'
import type { ProofResults } from './log-proofs'
import type { LogServerKind, LogServerStats } from './log-servers'
import { openSqliteStoreWithoutLog } from './no-log-store'

/**
 * `npm run bench:log` — what the transparency log costs (issue #5): the log may take at most 20 % of
 * the report POST's throughput; and what its proofs cost at 1,000,000 leaves. Three parts:
 *
 *   1. POST throughput, with and without the log. Two real HTTP servers in child processes
 *      (bench/log-servers.ts), autocannon in this one, alternating rounds, each on a fresh directory
 *      with distinct real 8 KiB report envelopes, as bench:relay runs its "relay":
 *        relay          the real relay (group commit, WAL + synchronous=FULL, receipts with the log)
 *        relay-no-log   the same app and store code, on a database whose triggers turn the log's two
 *                       writes into no-ops (bench/no-log-store.ts): no leaf row, no mirror, no
 *                       signed head or proof in the receipt. No code path in server/ turns the log off.
 *      The log's share of a POST is 1 − (with ÷ without), per round, median across rounds: the
 *      budget line. The servers' CPU per request, with against without, gives a second estimate.
 *   2. The log's own work per report, in this process, on two real SQLite stores (WAL,
 *      synchronous=FULL), batch for batch, at 1 report per commit and at the batch size the relay
 *      committed at in part 1: insertReports + the receipt's log work (createCommunityLogs().inclusion:
 *      catch-up read, Merkle append, signed head, proof, the receipt's bytes) against insertReports on
 *      the no-log store. The paired difference, next to part 1's time per POST (1 ÷ throughput),
 *      estimates the same share without HTTP's noise, and shows where the log's time goes.
 *   3. At BENCH_LEAVES leaves (bench/log-proofs.ts, a child of its own): build time and memory of the
 *      tree, inclusion and consistency proof generation and verification, and the same through the
 *      relay (catch-up from SQLite after a restart, the proof routes).
 *
 * Prints PASS/FAIL against the budget and exits 1 on FAIL. Not part of `npm test`.
 *
 * Environment: BENCH_ROUNDS (6), BENCH_SECONDS (3), BENCH_WARMUP_SECONDS (1), BENCH_CONNECTIONS (20),
 * BENCH_ENVELOPES (15,000: the pool, which one run must not exhaust), BENCH_BODY_BYTES (8156),
 * BENCH_BATCHES (300 commits per variant and batch size in part 2), BENCH_BATCH (part 2's batch
 * size; default: what the relay committed at), BENCH_LEAVES (1,000,000), BENCH_PROOFS (10,000),
 * BENCH_ROUTE_PROOFS (1,000), BENCH_CPU_PROFILE_DIR (a V8 CPU profile per server process).
 */

const ROUNDS = intEnv('BENCH_ROUNDS', 6)
const SECONDS = intEnv('BENCH_SECONDS', 3)
const WARMUP_SECONDS = intEnv('BENCH_WARMUP_SECONDS', 1)
const CONNECTIONS = intEnv('BENCH_CONNECTIONS', 20)
/** 8192-byte padding bucket minus the 36-byte frame: the largest body that seals to 8 KiB. */
const BODY_BYTES = intEnv('BENCH_BODY_BYTES', 8192 - 36)
const POOL = intEnv('BENCH_ENVELOPES', 15_000)
const BATCHES = intEnv('BENCH_BATCHES', 300)
const BATCH = process.env.BENCH_BATCH ? intEnv('BENCH_BATCH', 1) : null
const LEAVES = intEnv('BENCH_LEAVES', 1_000_000)
const PROOFS = intEnv('BENCH_PROOFS', 10_000)
const ROUTE_PROOFS = intEnv('BENCH_ROUTE_PROOFS', 1_000)
const cpuProfileDir = process.env.BENCH_CPU_PROFILE_DIR || undefined

/** Issue #5: the log may cost at most this share of the report POST. */
const BUDGET_LOG_SHARE = 0.2

const root = path.resolve(import.meta.dirname, '..')
const loadNow = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')

// ——— Part 1: POST throughput with and without the log ———

interface RunResult {
  readonly kind: LogServerKind
  readonly rps: number
  readonly p50: number
  readonly p99: number
  readonly created: number
  readonly ok: number
  readonly other: number
  readonly errors: number
  /** Server process CPU (user + system) per answered request, µs. */
  readonly cpuPerRequest: number
  /** Reports per store commit during the measured seconds. */
  readonly batch: number
  readonly exhausted: boolean
  /** What the run's receipts and head say about the log; null when they say what they should. */
  readonly logProblem: string | null
  readonly logSize: number
}

interface ServerHandle {
  readonly url: string
  stats(): Promise<LogServerStats>
  stop(): Promise<void>
}

async function startServer(kind: LogServerKind): Promise<ServerHandle> {
  const child = await forkServer('log-servers.ts', kind, { cpuProfileDir })
  return {
    url: child.url,
    stats: async () => ((await child.ask('stats')) as { stats: LogServerStats }).stats,
    stop: child.stop,
  }
}

/** One autocannon run of report POSTs, bodies rotating through the pool from `cursor.next`. */
const postReports = (url: string, seconds: number, pool: readonly Buffer[], cursor: { next: number }) =>
  load(url, {
    request: rotatingPost(`/api/v1/communities/${COMMUNITY}/reports`, pool, cursor),
    connections: CONNECTIONS,
    seconds,
  })

/**
 * After a run: a retry of an envelope the relay stored must get a receipt with the log (index, a head
 * signed by the relay's log key, a proof that verifies) from the relay, and none from relay-no-log;
 * the head must count every report the run stored, or none.
 */
async function checkLog(
  url: string,
  kind: LogServerKind,
  body: Buffer,
  created: number,
): Promise<{ problem: string | null; size: number }> {
  const base = `${url}/api/v1/communities/${COMMUNITY}`
  const res = await fetch(`${base}/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: new Uint8Array(body),
  })
  const { receipt } = (await res.json()) as { receipt: Receipt }
  const head = (await (await fetch(`${base}/log/head`)).json()) as { size: number }
  if (res.status !== 200) return { problem: `the retry answered ${res.status}, not 200`, size: head.size }
  if (kind === 'relay-no-log') {
    const problem = receipt.log || head.size !== 0 ? 'relay-no-log kept a log' : null
    return { problem, size: head.size }
  }
  if (!receipt.log) return { problem: 'a receipt without the log', size: head.size }
  const { key } = (await (await fetch(`${url}/api/v1/log-key`)).json()) as { key: string }
  const { index, head: signed, proof } = receipt.log
  const verified = verifyTreeHead(signed, key, COMMUNITY)
  const rootBytes = verified ? fromBase64url(verified.root) : null
  const proofOk =
    verified !== null &&
    rootBytes !== null &&
    verifyInclusion(
      logLeafHash('report', receipt.hash),
      index,
      verified.size,
      proof.map((h) => fromBase64url(h) ?? new Uint8Array(0)),
      rootBytes,
    )
  if (!proofOk) return { problem: "a receipt's head or inclusion proof did not verify", size: head.size }
  if (head.size < created)
    return { problem: `the log holds ${head.size} leaves for ${created} reports`, size: head.size }
  return { problem: null, size: head.size }
}

async function runOnce(kind: LogServerKind, pool: readonly Buffer[], manifest: string): Promise<RunResult> {
  const server = await startServer(kind)
  try {
    const put = await fetch(`${server.url}/api/v1/communities/${COMMUNITY}/manifest`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: manifest,
    })
    if (put.status !== 201) throw new Error(`manifest PUT answered ${put.status}: ${await put.text()}`)
    const cursor = { next: 0 }
    const warm = await postReports(server.url, WARMUP_SECONDS, pool, cursor)
    const before = await server.stats()
    const result = await postReports(server.url, SECONDS, pool, cursor)
    const after = await server.stats()
    const cpu = after.cpu.user + after.cpu.system - (before.cpu.user + before.cpu.system)
    const answered = Math.max(1, result.ok + result.created)
    const log = await checkLog(server.url, kind, pool[0] as Buffer, warm.created + result.created)
    return {
      kind,
      ...result,
      cpuPerRequest: cpu / answered,
      batch: (after.reports - before.reports) / Math.max(1, after.commits - before.commits),
      exhausted: cursor.next > pool.length,
      logProblem: log.problem,
      logSize: log.size,
    }
  } finally {
    await server.stop()
  }
}

// ——— Part 2: the log's own work per report, in this process ———

interface LogWork {
  readonly batch: number
  /** Per report, µs: medians over commits of each variant's steps, and of the paired difference. */
  readonly insertWith: number
  readonly insertWithout: number
  /** The receipt's log work after the commit: catch-up, append, head, proof, receipt bytes. */
  readonly receiptLog: number
  /** Median over commits of (with − without), both whole, per report: the log's cost. */
  readonly log: number
  /** What relay-no-log still does per report on the route's side: leaf hash, a log-size read. */
  readonly residual: number
  /** Tree heads signed per commit (median): the receipts of one commit could share one. */
  readonly signatures: number
  /** Diagnostic: receipts asked for one after another, so they share the head the first signs. */
  readonly sequential: boolean
}

/**
 * `rows` go into both stores `batch` at a time, alternating which store goes first. Each store's
 * commit is timed with what the report route then does with its outcomes: the log's receipt work
 * and the JSON for the relay; only the JSON for relay-no-log, whose leftover log bookkeeping is
 * timed apart (`residual`). With `sequential`, the receipts of a commit are made one after another
 * rather than together as the route's requests are: what sharing one signed head per commit would give.
 */
async function measureLogWork(
  rows: readonly NewReport[],
  batch: number,
  commits: number,
  sequential = false,
): Promise<LogWork> {
  const dir = mkdtempSync(path.join(tmpdir(), 'heard-bench-log-work-'))
  const stores: Store[] = []
  try {
    const withLog = openSqliteStore(path.join(dir, 'with'))
    stores.push(withLog)
    const withoutLog = openSqliteStoreWithoutLog(path.join(dir, 'without'))
    stores.push(withoutLog)
    for (const store of stores) {
      await store.appendManifest(COMMUNITY, { seq: 1, payload: '{}', signature: '' }, null, 'bench')
    }
    const logs = createCommunityLogs(withLog, () => new Date())
    const noLogs = createCommunityLogs(withoutLog, () => new Date())
    // The log key is made on first use; a relay makes it once, so it stays out of the timing.
    await logs.publicKey()

    const warmup = Math.min(20, Math.floor(commits / 10))
    const samples = {
      insertWith: [] as number[],
      insertWithout: [] as number[],
      receiptLog: [] as number[],
      signatures: [] as number[],
    }
    const diffs: number[] = []
    const residuals: number[] = []
    const receivedAt = coarseTime(new Date())

    const runWith = async (items: NewReport[]) => {
      const t0 = performance.now()
      const outcomes = await withLog.insertReports(items)
      const t1 = performance.now()
      const receipt = async (outcome: (typeof outcomes)[number]) => {
        if (outcome.kind !== 'stored') throw new Error(`insert answered ${outcome.kind}`)
        const log = await logs.inclusion(COMMUNITY, toBase64url(logLeafHash('report', outcome.receipt.hash)))
        if (!log) throw new Error('a stored report is not in the log')
        JSON.stringify({ receipt: { ...outcome.receipt, log } })
        return log.head
      }
      const heads: unknown[] = []
      if (sequential) for (const outcome of outcomes) heads.push(await receipt(outcome))
      // As the route does: the requests of one commit continue together.
      else heads.push(...(await Promise.all(outcomes.map(receipt))))
      const t2 = performance.now()
      // The log reuses one signed head object per size and second: distinct objects were each signed.
      const signatures = new Set(heads).size
      return { insert: t1 - t0, receipt: t2 - t1, total: t2 - t0, signatures }
    }
    const runWithout = async (items: NewReport[]) => {
      const t0 = performance.now()
      const outcomes = await withoutLog.insertReports(items)
      const t1 = performance.now()
      for (const outcome of outcomes) {
        if (outcome.kind !== 'stored') throw new Error(`insert answered ${outcome.kind}`)
        JSON.stringify({ receipt: outcome.receipt })
      }
      const t2 = performance.now()
      const t3 = performance.now()
      await Promise.all(
        outcomes.map(async (outcome) => {
          if (outcome.kind !== 'stored') return
          await noLogs.inclusion(COMMUNITY, toBase64url(logLeafHash('report', outcome.receipt.hash)))
        }),
      )
      residuals.push(((performance.now() - t3) * 1000) / items.length)
      return { insert: t1 - t0, total: t2 - t0 }
    }

    for (let k = 0; k < warmup + commits; k++) {
      const items = rows.slice(k * batch, (k + 1) * batch).map((r) => ({ ...r, receivedAt }))
      if (items.length < batch) throw new Error('not enough envelopes for part 2: raise BENCH_ENVELOPES')
      // Alternate which store commits first, so neither always finds the disk just synced.
      const a = k % 2 === 0 ? await runWith(items) : null
      const b = await runWithout(items)
      const w = a ?? (await runWith(items))
      if (k < warmup) continue
      samples.insertWith.push(w.insert)
      samples.insertWithout.push(b.insert)
      samples.receiptLog.push(w.receipt)
      samples.signatures.push(w.signatures)
      diffs.push(w.total - b.total)
    }
    const perReport = (ms: number) => (ms * 1000) / batch
    return {
      batch,
      insertWith: perReport(median(samples.insertWith)),
      insertWithout: perReport(median(samples.insertWithout)),
      receiptLog: perReport(median(samples.receiptLog)),
      log: perReport(median(diffs)),
      residual: median(residuals.slice(warmup)),
      signatures: median(samples.signatures),
      sequential,
    }
  } finally {
    for (const store of stores) await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

// ——— Part 3: proofs at BENCH_LEAVES leaves ———

function runProofs(): Promise<ProofResults> {
  // --expose-gc: the child measures memory after full collections.
  const proc: ChildProcess = fork(
    path.join(root, 'bench', 'log-proofs.ts'),
    [String(LEAVES), String(PROOFS), String(ROUTE_PROOFS)],
    {
      cwd: root,
      execArgv: ['--import', 'tsx', '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  )
  return new Promise((resolve, reject) => {
    proc.once('message', (m) => resolve((m as { results: ProofResults }).results))
    proc.once('exit', (code) =>
      reject(new Error(`bench/log-proofs.ts exited with ${code} before its results`)),
    )
  })
}

// ——— Report ———

const ms = (s: Spread) => `${fmt(s.median / 1000, 3)} | ${fmt(s.p99 / 1000, 3)}`
const us = (s: Spread) => `${fmt(s.median, 1)} | ${fmt(s.p99, 1)}`
const pct = (share: number) => `${fmt(share * 100, 1)} %`

async function main(): Promise<void> {
  const started = performance.now()
  console.log(
    `Heard transparency-log benchmark: ${ROUNDS} rounds × 2 relays × ${SECONDS} s (+${WARMUP_SECONDS} s warm-up) ` +
      `at ${CONNECTIONS} connections; then ${BATCHES} commits per variant in-process; then ${fmt(LEAVES)} leaves. ` +
      `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, load average ${loadNow()}`,
  )

  const { manifest, brokerBoxKey } = benchManifest()
  const lines = await sealInChildren(
    'seal-envelopes.ts',
    POOL,
    (_first, count, file) => [COMMUNITY, toBase64url(brokerBoxKey), String(BODY_BYTES), String(count), file],
    { cpuProfileDir },
  )
  const pool = lines.map((line) => Buffer.from(line))
  console.log(
    `Sealed ${fmt(pool.length)} distinct envelopes (${fmt(pool[0]?.length ?? 0)}-byte POST bodies) in ` +
      `${fmt((performance.now() - started) / 1000, 1)} s\n\nPart 1: report POST throughput, with and without the log`,
  )

  const kinds: readonly LogServerKind[] = ['relay', 'relay-no-log']
  const rounds: { relay: RunResult; noLog: RunResult }[] = []
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so neither always meets the disk or the machine in the same state.
    const order = round % 2 === 0 ? kinds : [...kinds].reverse()
    const results = new Map<LogServerKind, RunResult>()
    for (const kind of order) {
      const r = await runOnce(kind, pool, manifest)
      results.set(kind, r)
      console.log(
        `  round ${round + 1}  ${kind.padEnd(12)} ${fmt(r.rps).padStart(6)} req/s  p50 ${fmt(r.p50, 2).padStart(6)} ms  ` +
          `p99 ${fmt(r.p99, 2).padStart(6)} ms  server CPU ${fmt(r.cpuPerRequest).padStart(4)} µs/req  ` +
          `${fmt(r.batch, 1)} reports/commit  log size ${fmt(r.logSize)}` +
          (r.other + r.errors > 0 ? `  (${r.other} non-2xx, ${r.errors} errors)` : '') +
          (r.ok > 0 ? `  (${r.ok} answered 200: duplicates)` : '') +
          (r.exhausted ? '  (envelope pool exhausted: raise BENCH_ENVELOPES)' : '') +
          (r.logProblem ? `  (${r.logProblem})` : ''),
      )
    }
    rounds.push({ relay: results.get('relay') as RunResult, noLog: results.get('relay-no-log') as RunResult })
  }
  const relayRps = median(rounds.map((r) => r.relay.rps))
  const noLogRps = median(rounds.map((r) => r.noLog.rps))
  const ratios = rounds.map((r) => r.relay.rps / r.noLog.rps)
  const ratio = median(ratios)
  const e2eShare = 1 - ratio
  const cpuRelay = median(rounds.map((r) => r.relay.cpuPerRequest))
  const cpuNoLog = median(rounds.map((r) => r.noLog.cpuPerRequest))
  const observedBatch = median(rounds.map((r) => r.relay.batch))
  // The pool is no longer needed for HTTP; part 2 takes real rows from it.
  const batches = [...new Set([1, BATCH ?? Math.max(1, Math.round(observedBatch))])]

  console.log(
    `\nPart 2: the log's own work per report, in-process, ${BATCHES} commits per variant, ` +
      `at ${batches.join(' and ')} report(s) per commit`,
  )
  const needed = Math.max(...batches) * (BATCHES + 20)
  const rows: NewReport[] = []
  for (const text of pool.slice(0, needed)) {
    const checked = await checkEnvelope(JSON.parse(text.toString('utf8')), COMMUNITY, EnvelopeKind.report)
    rows.push({
      community: COMMUNITY,
      id: checked.envelope.id,
      hash: checked.hash,
      head: checked.head,
      ct: checked.ct,
      receivedAt: '',
      sealedToCurrentTeam: true,
    })
  }
  const work: LogWork[] = []
  const relayBatch = batches[batches.length - 1] as number
  const variants = [
    ...batches.map((batch) => ({ batch, sequential: false })),
    ...(relayBatch > 1 ? [{ batch: relayBatch, sequential: true }] : []),
  ]
  for (const { batch, sequential } of variants) {
    // A large batch size with a small pool: fewer commits rather than a failure.
    const commits = Math.min(BATCHES, Math.floor((rows.length / batch) * 0.9))
    const w = await measureLogWork(rows, batch, commits, sequential)
    work.push(w)
    console.log(
      `  ${String(batch).padStart(3)}/commit${sequential ? ', heads shared (diagnostic)' : ''}  ` +
        `insert with log ${fmt(w.insertWith).padStart(5)} µs/report, ` +
        `without ${fmt(w.insertWithout).padStart(5)}; receipt's log work ${fmt(w.receiptLog, 1)}; ` +
        `log in all ${fmt(w.log, 1)} µs/report; ` +
        `${fmt(w.signatures)} head signature(s)/commit`,
    )
  }
  const atRelayBatch = work.find((w) => w.batch === relayBatch && !w.sequential) as LogWork
  const postMicros = 1e6 / relayRps

  console.log(`\nPart 3: ${fmt(LEAVES)} leaves`)
  const proofs = await runProofs()

  console.log(`\nResults (load average now ${loadNow()}):\n`)
  console.log(`Report POST, ${CONNECTIONS} connections, medians of ${ROUNDS} rounds of ${SECONDS} s:\n`)
  console.log('| relay | req/s | p50 ms | p99 ms | server CPU µs/req | reports/commit | req/s per round |')
  console.log('|---|--:|--:|--:|--:|--:|---|')
  for (const [name, pick] of [
    ['with the log', (r: (typeof rounds)[number]) => r.relay],
    ['without the log (bench only)', (r: (typeof rounds)[number]) => r.noLog],
  ] as const) {
    const runs = rounds.map(pick)
    console.log(
      `| ${name} | ${fmt(median(runs.map((r) => r.rps)))} | ${fmt(median(runs.map((r) => r.p50)), 2)} | ` +
        `${fmt(median(runs.map((r) => r.p99)), 2)} | ${fmt(median(runs.map((r) => r.cpuPerRequest)))} | ` +
        `${fmt(median(runs.map((r) => r.batch)), 1)} | ${runs.map((r) => fmt(r.rps)).join(' / ')} |`,
    )
  }
  console.log(
    `\nwith ÷ without, per round: ${ratios.map((r) => fmt(r, 3)).join(' / ')}; median ${fmt(ratio, 3)} ` +
      `(ratio of medians ${fmt(relayRps / noLogRps, 3)})`,
  )

  console.log("\nThe log's own work per report (µs; medians over commits):\n")
  console.log(
    '| reports/commit | insert with log | insert without | receipt log work | log in all (paired) | log appends/s | heads signed/commit |',
  )
  console.log('|--:|--:|--:|--:|--:|--:|--:|')
  for (const w of work) {
    console.log(
      `| ${w.batch}${w.sequential ? ', heads shared (diagnostic)' : ''} | ${fmt(w.insertWith, 1)} | ${fmt(w.insertWithout, 1)} | ${fmt(w.receiptLog, 1)} | ` +
        `${fmt(w.log, 1)} | ${w.log > 0 ? fmt(1e6 / w.log) : '—'} | ${fmt(w.signatures)} |`,
    )
  }
  console.log(
    `\nrelay-no-log still spends ≈ ${fmt(atRelayBatch.residual, 1)} µs/report on the route's log call (leaf hash, ` +
      `log-size read), plus a leaf hash and a log-size read in the store's transaction: part 1 understates the log by that.`,
  )

  console.log(`\nThe log's share of a report POST (budget ≤ ${pct(BUDGET_LOG_SHARE)}):`)
  const share = (label: string, value: number, note: string) =>
    console.log(`  ${label.padEnd(48)} ${pct(value).padStart(7)}   ${note}`)
  share(
    'POST throughput, 1 − with ÷ without (budget)',
    e2eShare,
    `per round: ${ratios.map((r) => pct(1 - r)).join(' / ')}`,
  )
  share(
    'server CPU per POST, with vs without',
    (cpuRelay - cpuNoLog) / cpuRelay,
    `${fmt(cpuRelay)} µs with the log, ${fmt(cpuNoLog)} without`,
  )
  share(
    "part 2's log wall time ÷ time per POST",
    atRelayBatch.log / postMicros,
    `${fmt(atRelayBatch.log)} µs of ${fmt(postMicros)} (1 ÷ ${fmt(relayRps)} req/s), at ${atRelayBatch.batch} reports/commit`,
  )

  const mib = (bytes: number) => fmt(bytes / 2 ** 20, 1)
  console.log(`\nProofs at ${fmt(proofs.leaves)} leaves:\n`)
  console.log(
    `tree built in ${fmt(proofs.buildMs / 1000, 2)} s (${fmt((proofs.leaves / proofs.buildMs) * 1000)} appends/s), ` +
      `holding ${mib(proofs.treeBytes)} MiB (${fmt(proofs.treeBytes / proofs.leaves, 1)} bytes/leaf)\n`,
  )
  console.log('| operation | samples | median µs | p99 µs | hashes (median / max) |')
  console.log('|---|--:|--:|--:|--:|')
  const row = (name: string, s: Spread, hashes?: Spread) =>
    console.log(`| ${name} | ${fmt(s.n)} | ${us(s)} | ${hashes ? `${hashes.median} / ${hashes.max}` : '—'} |`)
  row('inclusion proof, random leaf, full size', proofs.inclusion.generate, proofs.inclusion.hashes)
  row('verify inclusion proof', proofs.inclusion.verify)
  row('consistency proof, random sizes', proofs.consistency.generate, proofs.consistency.hashes)
  row('verify consistency proof', proofs.consistency.verify)
  row('root at a random size', proofs.root)
  row('sign a tree head (Node Ed25519)', proofs.signHead)
  row('verify a tree head (tweetnacl, as clients do)', proofs.verifyHead)
  console.log(
    `\nThrough the relay: ${fmt(proofs.leaves)} leaf rows written in ${fmt(proofs.route.fillMs / 1000, 1)} s; ` +
      `the first head after a restart (catch-up from SQLite) took ${fmt(proofs.route.catchUpMs / 1000, 2)} s ` +
      `and the mirror holds ${mib(proofs.route.mirrorBytes)} MiB.\n`,
  )
  console.log('| route (app.request, no socket) | samples | median ms | p99 ms |')
  console.log('|---|--:|--:|--:|')
  console.log(
    `| GET …/log/inclusion, full size | ${fmt(proofs.route.inclusion.n)} | ${ms(proofs.route.inclusion)} |`,
  )
  console.log(
    `| GET …/log/consistency, random sizes | ${fmt(proofs.route.consistency.n)} | ${ms(proofs.route.consistency)} |`,
  )

  const all = rounds.flatMap((r) => [r.relay, r.noLog])
  const checks = [
    {
      what: `the log ≤ ${pct(BUDGET_LOG_SHARE)} of the POST, end to end (relay with the log ≥ ${fmt(1 - BUDGET_LOG_SHARE, 2)} × without)`,
      pass: e2eShare <= BUDGET_LOG_SHARE,
    },
    {
      what: 'every request answered 2xx, no socket errors',
      pass: all.every((r) => r.other + r.errors === 0),
    },
    {
      what: 'every POST was a new envelope (no duplicates)',
      pass: all.every((r) => r.ok === 0 && !r.exhausted),
    },
    {
      what: 'receipts carry a verifying log and the head counts every report (none without the log)',
      pass: all.every((r) => r.logProblem === null),
    },
  ]
  console.log('\nBudget (issue #5):')
  for (const check of checks) console.log(`  ${check.pass ? 'PASS' : 'FAIL'}  ${check.what}`)
  const pass = checks.every((c) => c.pass)
  console.log(`\n${pass ? 'PASS' : 'FAIL'} (run took ${fmt((performance.now() - started) / 1000)} s)`)
  if (!pass) process.exitCode = 1
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
