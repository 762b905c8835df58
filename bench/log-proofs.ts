import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { createApp } from '../server/app'
import { openSqliteStore, SQLITE_FILE } from '../server/db/sqlite-store'
import { silentLogger } from '../server/log'
import { fromBase64url, generateSignKeyPair, randomBytes, toBase64url } from '../shared/crypto'
import {
  logLeafHash,
  MerkleTree,
  signTreeHead,
  verifyConsistency,
  verifyInclusion,
  verifyTreeHead,
} from '../shared/log'
import { benchManifest, COMMUNITY, fmt, type Spread, seeded, spread } from './common'

/**
 * Child process of bench/log.bench.ts (forked with --expose-gc, so memory is measured after a full
 * collection, and in a process that holds nothing else): a community log of `leaves` leaves, and
 * what its proofs cost at that size.
 *
 *   1. Build: a shared/log MerkleTree appended one leaf at a time (as the relay's mirror grows);
 *      time, and the memory it holds.
 *   2. Proofs on that tree: inclusion proofs for random indices at the full size, consistency proofs
 *      between random sizes, and the verification of each (the RFC 9162 algorithms a broker or a
 *      complainant runs); every proof must verify. Also root(size) and one tree-head signature.
 *   3. Through the relay: the same leaves written into a real SQLite store's log table, then the
 *      relay's own mirror catching up from it (what the first request after a restart costs), and
 *      GET …/log/inclusion and …/log/consistency answered by the app (app.request: the route's
 *      work, without a socket).
 *
 * The leaves are real report leaves (logLeafHash of random envelope hashes). Results go to the
 * parent over IPC; progress goes to stdout.
 *
 *   tsx bench/log-proofs.ts <leaves> <proof samples> <route samples>
 */

export interface ProofResults {
  readonly leaves: number
  readonly buildMs: number
  readonly treeBytes: number
  readonly inclusion: { readonly generate: Spread; readonly verify: Spread; readonly hashes: Spread }
  readonly consistency: { readonly generate: Spread; readonly verify: Spread; readonly hashes: Spread }
  readonly root: Spread
  readonly signHead: Spread
  readonly verifyHead: Spread
  readonly route: {
    readonly fillMs: number
    readonly catchUpMs: number
    readonly mirrorBytes: number
    readonly inclusion: Spread
    readonly consistency: Spread
  }
}

const gc = (globalThis as { gc?: () => void }).gc

/** Bytes held on the V8 heap and outside it (ArrayBuffers), after a full collection when possible. */
function heldBytes(): number {
  gc?.()
  gc?.()
  const usage = process.memoryUsage()
  return usage.heapUsed + usage.external
}

const micros = (start: number): number => (performance.now() - start) * 1000

async function main(): Promise<void> {
  const [leavesText, samplesText, routeSamplesText] = process.argv.slice(2)
  const N = Number(leavesText)
  const samples = Number(samplesText)
  const routeSamples = Number(routeSamplesText)
  if (!(N >= 2 && samples >= 1 && routeSamples >= 1)) throw new Error('usage: see bench/log-proofs.ts')
  const random = seeded(0x10a)
  const randomIndex = (below: number) => Math.floor(random() * below)

  // Envelope hashes and their leaves, made before anything is timed.
  const envelopeHashes = randomBytes(N * 32)
  const leafBytes = new Uint8Array(N * 32)
  const envelopeHash = (i: number) => toBase64url(envelopeHashes.subarray(i * 32, i * 32 + 32))
  for (let i = 0; i < N; i++) leafBytes.set(logLeafHash('report', envelopeHash(i)), i * 32)
  const leaf = (i: number) => leafBytes.subarray(i * 32, i * 32 + 32)

  // 1. Build.
  const before = heldBytes()
  let started = performance.now()
  const tree = new MerkleTree()
  for (let i = 0; i < N; i++) tree.append(leaf(i))
  const buildMs = performance.now() - started
  const treeBytes = heldBytes() - before
  console.log(
    `  built a tree of ${fmt(N)} leaves in ${fmt(buildMs / 1000, 2)} s, holding ${fmt(treeBytes / 2 ** 20, 1)} MiB`,
  )

  // 2. Proofs. Arrays of timings, one entry per sample, in µs.
  const root = tree.root()
  const inclusionGenerate: number[] = []
  const inclusionVerify: number[] = []
  const inclusionHashes: number[] = []
  for (let s = 0; s < samples; s++) {
    const index = randomIndex(N)
    started = performance.now()
    const proof = tree.inclusionProof(index)
    inclusionGenerate.push(micros(started))
    started = performance.now()
    const ok = verifyInclusion(leaf(index), index, N, proof, root)
    inclusionVerify.push(micros(started))
    inclusionHashes.push(proof.length)
    if (!ok) throw new Error(`inclusion proof of leaf ${index} did not verify`)
  }
  const consistencyGenerate: number[] = []
  const consistencyVerify: number[] = []
  const consistencyHashes: number[] = []
  const rootTimes: number[] = []
  for (let s = 0; s < samples; s++) {
    const a = 1 + randomIndex(N)
    const b = 1 + randomIndex(N)
    const oldSize = Math.min(a, b)
    const newSize = Math.max(a, b)
    started = performance.now()
    const oldRoot = tree.root(oldSize)
    rootTimes.push(micros(started))
    const newRoot = tree.root(newSize)
    started = performance.now()
    const proof = tree.consistencyProof(oldSize, newSize)
    consistencyGenerate.push(micros(started))
    started = performance.now()
    const ok = verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof)
    consistencyVerify.push(micros(started))
    consistencyHashes.push(proof.length)
    if (!ok) throw new Error(`consistency proof ${oldSize} → ${newSize} did not verify`)
  }
  const logKey = generateSignKeyPair()
  const signHead: number[] = []
  const verifyHead: number[] = []
  const headSamples = Math.min(samples, 200)
  for (let s = 0; s < headSamples; s++) {
    const time = new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString()
    started = performance.now()
    const head = signTreeHead({ v: 1, community: COMMUNITY, size: N, root: toBase64url(root), time }, logKey)
    signHead.push(micros(started))
    started = performance.now()
    const ok = verifyTreeHead(head, toBase64url(logKey.publicKey), COMMUNITY)
    verifyHead.push(micros(started))
    if (!ok) throw new Error('a signed tree head did not verify')
  }
  console.log(`  ${fmt(samples)} inclusion and ${fmt(samples)} consistency proofs made and verified`)

  // 3. Through the relay.
  const workDir = mkdtempSync(path.join(tmpdir(), 'heard-bench-log-proofs-'))
  try {
    const store = openSqliteStore(workDir)
    try {
      const app = await createApp({ store, log: silentLogger, staticDir: null, communitySetup: 'open' })
      const put = await app.request(`/api/v1/communities/${COMMUNITY}/manifest`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: benchManifest().manifest,
      })
      if (put.status !== 201) throw new Error(`manifest PUT answered ${put.status}`)

      // Written as the store writes them, but in one transaction: a million reports are not the point.
      started = performance.now()
      const db = new Database(path.join(workDir, SQLITE_FILE))
      try {
        const insert = db.prepare(
          'INSERT INTO log_leaves (community, idx, kind, hash, leaf) VALUES (?, ?, ?, ?, ?)',
        )
        db.transaction(() => {
          for (let i = 0; i < N; i++) insert.run(COMMUNITY, i, 'report', envelopeHash(i), leaf(i))
          db.prepare('UPDATE communities SET log_size = ? WHERE id = ?').run(N, COMMUNITY)
        })()
      } finally {
        db.close()
      }
      const fillMs = performance.now() - started
      console.log(`  wrote ${fmt(N)} leaves into the relay's SQLite log in ${fmt(fillMs / 1000, 1)} s`)

      const base = `/api/v1/communities/${COMMUNITY}/log`
      const beforeMirror = heldBytes()
      started = performance.now()
      const headResponse = await app.request(`${base}/head`)
      const catchUpMs = performance.now() - started
      const head = (await headResponse.json()) as { size: number; root: string }
      const mirrorBytes = heldBytes() - beforeMirror
      if (head.size !== N || head.root !== toBase64url(root)) {
        throw new Error("the relay's head does not match the tree built from the same leaves")
      }
      console.log(
        `  the relay's mirror caught up in ${fmt(catchUpMs / 1000, 2)} s, holding ${fmt(mirrorBytes / 2 ** 20, 1)} MiB`,
      )

      const routeInclusion: number[] = []
      for (let s = 0; s < routeSamples; s++) {
        const index = randomIndex(N)
        started = performance.now()
        const res = await app.request(`${base}/inclusion?leaf=${toBase64url(leaf(index))}&size=${N}`)
        const body = (await res.json()) as { index: number; proof: string[] }
        routeInclusion.push(micros(started))
        const proof = body.proof.map((h) => fromBase64url(h) ?? new Uint8Array(0))
        if (res.status !== 200 || !verifyInclusion(leaf(index), body.index, N, proof, root)) {
          throw new Error(`the relay's inclusion proof of leaf ${index} did not verify`)
        }
      }
      const routeConsistency: number[] = []
      for (let s = 0; s < routeSamples; s++) {
        const a = 1 + randomIndex(N)
        const b = 1 + randomIndex(N)
        const from = Math.min(a, b)
        const to = Math.max(a, b)
        started = performance.now()
        const res = await app.request(`${base}/consistency?from=${from}&to=${to}`)
        const body = (await res.json()) as { proof: string[] }
        routeConsistency.push(micros(started))
        const proof = body.proof.map((h) => fromBase64url(h) ?? new Uint8Array(0))
        if (res.status !== 200 || !verifyConsistency(from, to, tree.root(from), tree.root(to), proof)) {
          throw new Error(`the relay's consistency proof ${from} → ${to} did not verify`)
        }
      }
      console.log(
        `  ${fmt(routeSamples)} inclusion and ${fmt(routeSamples)} consistency proofs through the app`,
      )

      const results: ProofResults = {
        leaves: N,
        buildMs,
        treeBytes,
        inclusion: {
          generate: spread(inclusionGenerate),
          verify: spread(inclusionVerify),
          hashes: spread(inclusionHashes),
        },
        consistency: {
          generate: spread(consistencyGenerate),
          verify: spread(consistencyVerify),
          hashes: spread(consistencyHashes),
        },
        root: spread(rootTimes),
        signHead: spread(signHead),
        verifyHead: spread(verifyHead),
        route: {
          fillMs,
          catchUpMs,
          mirrorBytes,
          inclusion: spread(routeInclusion),
          consistency: spread(routeConsistency),
        },
      }
      process.send?.({ results })
    } finally {
      await store.close()
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true })
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
