import { cpus, loadavg } from 'node:os'
import type autocannon from 'autocannon'
import { toBase64url } from '../shared/crypto'
import { forkServer, intEnv, sealInChildren } from './children'
import { benchManifest, COMMUNITY, fmt, median } from './common'
import { type LoadResult, load, rotatingPost } from './load'
import { machineShares, machineTimes } from './machine-cpu'
import type { ServerKind } from './servers'

/**
 * `npm run bench:relay` — what a durable report POST costs, next to the ceilings around it. In one
 * run on 127.0.0.1, in alternating rounds, each contender a real HTTP server in its own child process
 * and autocannon in this one:
 *
 *   hono   bare Hono hello world (GET): the HTTP stack's ceiling on this machine
 *   raw    the same POST bodies appended to a file, writev + fdatasync per batch: the disk's ceiling
 *   naive  one SQLite transaction (WAL, synchronous=FULL) per request, no validation
 *   relay  the real POST /api/v1/communities/:c/reports (validation, idempotency, group commit) on
 *          SQLite in WAL mode with synchronous=FULL: a 201 only after the fsync covering its row
 *   relay, no-op store   diagnostic, outside the budget: the same app whose insert never touches the
 *          disk — what HTTP, validation and hashing alone allow
 *
 * Every POST body is a distinct, real sealed report envelope (plaintext padded to the 8 KiB bucket)
 * made before timing; each round starts a fresh server on a fresh directory, so no id is ever sent
 * twice to one relay and the duplicate path is never what is measured. Prints req/s and p50/p99 per
 * contender (medians across rounds), the CPU each request cost the server and the load generator, how
 * busy the server's event loop and the whole machine were, the ratios, the CPU time per report each
 * throughput line leaves the relay, each target rate beside the raw append and the relay with no
 * store, and PASS/FAIL against the budget; exits 1 on FAIL.
 *
 * Environment: BENCH_ROUNDS (3), BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (1), BENCH_CONNECTIONS
 * (20), BENCH_CONNECTIONS_HIGH (100), BENCH_ENVELOPES (pool size), BENCH_BODY_BYTES (8156).
 */

const ROUNDS = intEnv('BENCH_ROUNDS', 3)
const SECONDS = intEnv('BENCH_SECONDS', 5)
const WARMUP_SECONDS = intEnv('BENCH_WARMUP_SECONDS', 1)
const CONNECTIONS = intEnv('BENCH_CONNECTIONS', 20)
const CONNECTIONS_HIGH = intEnv('BENCH_CONNECTIONS_HIGH', 100)
/** 8192-byte padding bucket minus the 36-byte frame: the largest body that seals to 8 KiB. */
const BODY_BYTES = intEnv('BENCH_BODY_BYTES', 8192 - 36)
const POOL = intEnv('BENCH_ENVELOPES', 40_000)

/** The budget this benchmark checks (see docs/benchmarks.md). */
const BUDGET = { relayOverHono: 0.2, relayOverNaive: 3, p99Ms: 25 }

interface Contender {
  readonly name: string
  readonly kind: ServerKind
  readonly connections: number
  readonly method: 'GET' | 'POST'
  readonly path: string
  /** Shown for insight, not part of the budget. */
  readonly diagnostic?: boolean
}

interface RunResult extends LoadResult {
  /** Server process CPU time (user + system) per answered request, µs. */
  readonly cpuPerRequest: number
  /** Share of the timed run the server's main thread was running rather than waiting for events. */
  readonly loopBusy: number
  /** This process's CPU time per answered request, µs: what the load generator (autocannon) costs. */
  readonly clientCpuPerRequest: number
  /** Share of all cores busy (any process, kernel included) during the timed run; null off Linux. */
  readonly machineBusy: number | null
  /** Share of all cores' time stolen by the hypervisor during the timed run; null off Linux. */
  readonly machineSteal: number | null
}

const contenders: readonly Contender[] = [
  { name: 'bare Hono (hello world)', kind: 'hono', connections: CONNECTIONS, method: 'GET', path: '/' },
  { name: 'raw append + fdatasync', kind: 'raw', connections: CONNECTIONS, method: 'POST', path: '/append' },
  { name: 'naive (1 tx/request)', kind: 'naive', connections: CONNECTIONS, method: 'POST', path: '/reports' },
  {
    name: 'relay POST report',
    kind: 'relay',
    connections: CONNECTIONS,
    method: 'POST',
    path: `/api/v1/communities/${COMMUNITY}/reports`,
  },
  {
    name: 'relay POST report',
    kind: 'relay',
    connections: CONNECTIONS_HIGH,
    method: 'POST',
    path: `/api/v1/communities/${COMMUNITY}/reports`,
  },
  {
    name: 'relay, no-op store',
    kind: 'relay-nop',
    connections: CONNECTIONS,
    method: 'POST',
    path: `/api/v1/communities/${COMMUNITY}/reports`,
    diagnostic: true,
  },
]

// BENCH_CPU_PROFILE_DIR: each server (and sealing child) writes a V8 CPU profile there (open in Chrome DevTools).
const cpuProfileDir = process.env.BENCH_CPU_PROFILE_DIR || undefined

/** Seal the pool in one child process per core (pure-JS X25519 is the slow part). */
async function sealPool(brokerBoxKey: Uint8Array): Promise<Buffer[]> {
  const lines = await sealInChildren(
    'seal-envelopes.ts',
    POOL,
    (_first, count, file) => [COMMUNITY, toBase64url(brokerBoxKey), String(BODY_BYTES), String(count), file],
    { cpuProfileDir },
  )
  return lines.map((line) => Buffer.from(line))
}

interface ServerUsage {
  /** The server process's CPU time so far (user + system), µs. */
  readonly cpu: number
  /** Its main thread's event loop so far, ms: running (JS, or waiting in a synchronous call such as SQLite's fsync) and idle. */
  readonly loop: { readonly active: number; readonly idle: number }
}

interface ServerHandle {
  readonly url: string
  usage(): Promise<ServerUsage>
  stop(): Promise<void>
}

async function startServer(kind: ServerKind): Promise<ServerHandle> {
  const child = await forkServer('servers.ts', kind, { cpuProfileDir })
  return {
    url: child.url,
    usage: async () => {
      const { cpu, loop } = (await child.ask('usage')) as { cpu: NodeJS.CpuUsage; loop: ServerUsage['loop'] }
      return { cpu: cpu.user + cpu.system, loop }
    },
    stop: child.stop,
  }
}

/** One autocannon run; POST bodies rotate through the pool from `cursor.next`. */
function loadContender(
  url: string,
  contender: Contender,
  seconds: number,
  pool: readonly Buffer[],
  cursor: { next: number },
): Promise<LoadResult> {
  const request: autocannon.Request =
    contender.method === 'GET'
      ? { method: 'GET', path: contender.path }
      : rotatingPost(contender.path, pool, cursor)
  return load(url, { request, connections: contender.connections, seconds })
}

async function runOnce(
  contender: Contender,
  pool: readonly Buffer[],
  manifest: string,
): Promise<RunResult & { exhausted: boolean }> {
  const server = await startServer(contender.kind)
  try {
    if (contender.kind === 'relay' || contender.kind === 'relay-nop') {
      const res = await fetch(`${server.url}/api/v1/communities/${COMMUNITY}/manifest`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: manifest,
      })
      if (res.status !== 201) throw new Error(`manifest PUT answered ${res.status}: ${await res.text()}`)
    }
    const cursor = { next: 0 }
    await loadContender(server.url, contender, WARMUP_SECONDS, pool, cursor)
    const serverBefore = await server.usage()
    const clientBefore = process.cpuUsage()
    const machineBefore = machineTimes()
    const result = await loadContender(server.url, contender, SECONDS, pool, cursor)
    const machine = machineShares(machineBefore, machineTimes())
    const client = process.cpuUsage(clientBefore)
    const serverAfter = await server.usage()
    const loopActive = serverAfter.loop.active - serverBefore.loop.active
    const loopTotal = loopActive + serverAfter.loop.idle - serverBefore.loop.idle
    const answered = Math.max(1, result.ok + result.created)
    return {
      ...result,
      cpuPerRequest: (serverAfter.cpu - serverBefore.cpu) / answered,
      loopBusy: loopTotal > 0 ? loopActive / loopTotal : 0,
      clientCpuPerRequest: (client.user + client.system) / answered,
      machineBusy: machine?.busy ?? null,
      machineSteal: machine?.steal ?? null,
      exhausted: cursor.next > pool.length,
    }
  } finally {
    await server.stop()
  }
}

const percent = (share: number | null): string => (share === null ? 'n/a' : `${fmt(share * 100)} %`)
const medianOrNull = (values: readonly (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null)
  return known.length > 0 ? median(known) : null
}

async function main(): Promise<void> {
  const started = performance.now()
  console.log(
    `Heard relay benchmark: ${ROUNDS} rounds × ${contenders.length} runs × ${SECONDS} s (+${WARMUP_SECONDS} s warm-up), ` +
      `${CONNECTIONS} connections (relay also ${CONNECTIONS_HIGH}); node ${process.version}, ` +
      `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  )

  const { manifest, brokerBoxKey } = benchManifest()

  const pool = await sealPool(brokerBoxKey)
  const bodyLength = pool[0]?.length ?? 0
  console.log(
    `Sealed ${fmt(pool.length)} distinct envelopes (${BODY_BYTES}-byte bodies → ${fmt(bodyLength)}-byte POST bodies) ` +
      `in ${fmt((performance.now() - started) / 1000, 1)} s\n`,
  )

  const results = contenders.map(() => [] as (RunResult & { exhausted: boolean })[])
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order each round so no contender always runs first (cold disk) or last.
    for (let k = 0; k < contenders.length; k++) {
      const index = (k + round) % contenders.length
      const contender = contenders[index] as Contender
      const result = await runOnce(contender, pool, manifest)
      results[index]?.push(result)
      const unique = contender.kind === 'relay' || contender.kind === 'naive'
      console.log(
        `  round ${round + 1}  ${contender.name.padEnd(24)} c=${String(contender.connections).padEnd(3)} ` +
          `${fmt(result.rps).padStart(7)} req/s  p50 ${fmt(result.p50, 2).padStart(6)} ms  ` +
          `p99 ${fmt(result.p99, 2).padStart(6)} ms  CPU µs/req server ${fmt(result.cpuPerRequest).padStart(5)} ` +
          `client ${fmt(result.clientCpuPerRequest).padStart(4)}  busy: server loop ${percent(result.loopBusy)}, ` +
          `machine ${percent(result.machineBusy)}` +
          (result.machineSteal ? ` (stolen ${percent(result.machineSteal)})` : '') +
          (result.other + result.errors > 0 ? `  (${result.other} non-2xx, ${result.errors} errors)` : '') +
          (unique && result.ok > 0 ? `  (${result.ok} answered 200: duplicates)` : '') +
          (unique && result.exhausted ? '  (envelope pool exhausted: raise BENCH_ENVELOPES)' : ''),
      )
    }
  }

  const summary = contenders.map((contender, i) => {
    const runs = results[i] ?? []
    return {
      contender,
      runs,
      rps: median(runs.map((r) => r.rps)),
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      worstP99: Math.max(...runs.map((r) => r.p99)),
      cpu: median(runs.map((r) => r.cpuPerRequest)),
      clientCpu: median(runs.map((r) => r.clientCpuPerRequest)),
      busy: medianOrNull(runs.map((r) => r.machineBusy)),
      loopBusy: median(runs.map((r) => r.loopBusy)),
    }
  })
  const find = (kind: ServerKind, connections = CONNECTIONS) => {
    const found = summary.find((s) => s.contender.kind === kind && s.contender.connections === connections)
    if (!found) throw new Error(`no ${kind} contender at ${connections} connections`)
    return found
  }
  const hono = find('hono')
  const raw = find('raw')
  const naive = find('naive')
  const relay = find('relay')
  const relayHigh = find('relay', CONNECTIONS_HIGH)
  const relayNop = find('relay-nop')

  console.log(
    `\nMedians of ${ROUNDS} rounds of ${SECONDS} s (load average now ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}):\n`,
  )
  console.log(
    '| contender | conns | req/s | p50 ms | p99 ms | worst p99 ms | server CPU µs/req | client CPU µs/req | server loop busy | machine busy | req/s per round |',
  )
  console.log('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|')
  for (const s of summary) {
    console.log(
      `| ${s.contender.name}${s.contender.diagnostic ? ' (diagnostic)' : ''} | ${s.contender.connections} | ` +
        `${fmt(s.rps)} | ${fmt(s.p50, 2)} | ${fmt(s.p99, 2)} | ${fmt(s.worstP99, 2)} | ${fmt(s.cpu)} | ` +
        `${fmt(s.clientCpu)} | ${percent(s.loopBusy)} | ${percent(s.busy)} | ` +
        `${s.runs.map((r) => fmt(r.rps)).join(' / ')} |`,
    )
  }

  const overHono = relay.rps / hono.rps
  const overNaive = relay.rps / naive.rps
  const overRaw = relay.rps / raw.rps
  console.log(`\nRatios of medians, ${CONNECTIONS} connections unless noted:`)
  const ratio = (label: string, value: number, note = '') =>
    console.log(`  ${label.padEnd(32)} ${fmt(value, 3).padStart(6)}${note ? `   ${note}` : ''}`)
  ratio('relay ÷ bare Hono', overHono, `(budget ≥ ${BUDGET.relayOverHono})`)
  ratio('relay ÷ naive', overNaive, `(budget ≥ ${BUDGET.relayOverNaive})`)
  ratio('relay ÷ raw ceiling', overRaw)
  ratio(`relay at ${CONNECTIONS_HIGH} conns ÷ bare Hono`, relayHigh.rps / hono.rps)
  ratio('naive ÷ bare Hono', naive.rps / hono.rps)
  ratio('raw ceiling ÷ bare Hono', raw.rps / hono.rps)
  ratio('relay, no-op store ÷ bare Hono', relayNop.rps / hono.rps, '(diagnostic: no disk at all)')

  // What each throughput line asks of the machine: at the target rate the cores' time, divided
  // among the requests, must cover the load generator's share and the relay's own, even were the
  // relay spread perfectly over every core. The load generator's share is taken from the raw
  // contender, which sends the same bodies at about the target rates.
  const targets = [
    [`${BUDGET.relayOverHono} × bare Hono`, BUDGET.relayOverHono * hono.rps],
    [`${BUDGET.relayOverNaive} × naive`, BUDGET.relayOverNaive * naive.rps],
  ] as const
  const cores = cpus().length
  console.log(`\nCPU time the budget leaves a report (${cores} cores shared with the load generator):`)
  for (const [label, target] of targets) {
    const perRequest = (cores * 1e6) / target
    console.log(
      `  ${label.padEnd(16)} ${fmt(target).padStart(6)} req/s: ${fmt(perRequest)} µs of CPU a request, ` +
        `less ${fmt(raw.clientCpu)} for the load generator = ${fmt(perRequest - raw.clientCpu)} µs for the relay ` +
        `on all ${cores} cores (it spends ${fmt(relay.cpu)}; with no store ${fmt(relayNop.cpu)})`,
    )
  }

  // The two contenders that bound the relay from above, measured in this run. The raw one stores
  // the same bytes durably with no checks and no database: no relay passes it on this machine. The
  // no-op relay checks them and stores nothing: this relay on its one thread does not pass it, as
  // storing only adds to that cost.
  console.log('\nEach target rate against the two contenders that bound the relay from above:')
  for (const [label, target] of targets) {
    const above = [
      target > raw.rps ? `the raw durable append (${fmt(raw.rps)})` : '',
      target > relayNop.rps ? `the relay with no store (${fmt(relayNop.rps)})` : '',
    ].filter(Boolean)
    console.log(
      `  ${label.padEnd(16)} ${fmt(target).padStart(6)} req/s: ` +
        (above.length > 0
          ? `above ${above.join(' and ')}`
          : `below the raw durable append (${fmt(raw.rps)}) and the relay with no store (${fmt(relayNop.rps)})`),
    )
  }

  const measured = summary.filter((s) => !s.contender.diagnostic).flatMap((s) => s.runs)
  const faults = measured.reduce((n, r) => n + r.other + r.errors, 0)
  const relayRuns = [...relay.runs, ...relayHigh.runs, ...naive.runs]
  const duplicates = [...relay.runs, ...relayHigh.runs].reduce((n, r) => n + r.ok, 0)
  const exhausted = relayRuns.some((r) => r.exhausted)
  const checks = [
    { what: `relay ÷ bare Hono ≥ ${BUDGET.relayOverHono}`, pass: overHono >= BUDGET.relayOverHono },
    { what: `relay ÷ naive ≥ ${BUDGET.relayOverNaive}`, pass: overNaive >= BUDGET.relayOverNaive },
    {
      what: `relay p99 ≤ ${BUDGET.p99Ms} ms at ${CONNECTIONS} connections (median of rounds)`,
      pass: relay.p99 <= BUDGET.p99Ms,
    },
    { what: 'every request answered 2xx, no socket errors', pass: faults === 0 },
    { what: 'every relay POST was a new envelope (no 200 duplicates)', pass: duplicates === 0 && !exhausted },
  ]
  console.log('\nBudget:')
  for (const check of checks) console.log(`  ${check.pass ? 'PASS' : 'FAIL'}  ${check.what}`)
  const pass = checks.every((c) => c.pass)
  console.log(`\n${pass ? 'PASS' : 'FAIL'} (run took ${fmt((performance.now() - started) / 1000)} s)`)
  if (!pass) process.exitCode = 1
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
