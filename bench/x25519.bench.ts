import {
  bytesEqual,
  generateBoxKeyPair,
  open,
  randomBytes,
  type SealedEnvelope,
  seal,
} from '../shared/crypto'
// Internal on purpose: the app cannot switch backends, a bench and tests can.
import { setX25519Backend, type X25519Backend, x25519Backend } from '../shared/crypto/x25519-fast'

/**
 * `npm run bench:x25519`: what opening envelopes costs on Node with tweetnacl's X25519 (what every
 * open() did before, and what hosts without WebCrypto X25519 still do) and with WebCrypto's.
 * Seals BENCH_ENVELOPES (2,000) report envelopes of BENCH_BODY_BYTES (2,012: the 2 KiB padding
 * bucket) to one broker key, then opens them all with that key, one after another, in alternating
 * rounds (BENCH_ROUNDS, 3) per backend after a warm-up; prints the median ms per backend and the
 * ratio. Each round starts with an empty key cache, so one private-key import is inside the timing.
 * Also prints, as a diagnostic, the WebCrypto path with every open() started at once (Node runs
 * WebCrypto jobs on its thread pool, so they overlap). Every opened body is checked against what was
 * sealed, on both backends.
 */

const COUNT = intEnv('BENCH_ENVELOPES', 2000)
const BODY_BYTES = intEnv('BENCH_BODY_BYTES', 2048 - 36)
const ROUNDS = intEnv('BENCH_ROUNDS', 3)
const context = { version: 1, kind: 'report', community: 'bench' } as const

function intEnv(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`)
  return value
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] as number
}

async function main(): Promise<void> {
  const broker = generateBoxKeyPair()
  console.log(`Sealing ${COUNT} envelopes of ${BODY_BYTES} bytes…`)
  const bodies: Uint8Array[] = []
  const envelopes: SealedEnvelope[] = []
  for (let i = 0; i < COUNT; i++) {
    const body = randomBytes(BODY_BYTES)
    bodies.push(body)
    envelopes.push(await seal(body, [broker.publicKey], context))
  }

  const check = (opened: readonly Uint8Array[]) => {
    opened.forEach((body, i) => {
      if (!bytesEqual(body, bodies[i] as Uint8Array)) throw new Error(`envelope ${i} opened to other bytes`)
    })
  }
  const sequential = async (backend: X25519Backend): Promise<number> => {
    setX25519Backend(backend)
    const opened: Uint8Array[] = []
    const start = performance.now()
    for (const envelope of envelopes) opened.push(await open(envelope, broker.secretKey))
    const ms = performance.now() - start
    check(opened)
    return ms
  }
  const concurrent = async (): Promise<number> => {
    setX25519Backend('webcrypto')
    const start = performance.now()
    const opened = await Promise.all(envelopes.map((envelope) => open(envelope, broker.secretKey)))
    const ms = performance.now() - start
    check(opened)
    return ms
  }

  setX25519Backend('auto')
  console.log(`Detected backend on this host: ${await x25519Backend()}`)
  // Warm-up: JIT both paths and WebCrypto's first use.
  for (const backend of ['tweetnacl', 'webcrypto'] as const) {
    setX25519Backend(backend)
    for (const envelope of envelopes.slice(0, 200)) await open(envelope, broker.secretKey)
  }

  const times: Record<X25519Backend | 'concurrent', number[]> = {
    tweetnacl: [],
    webcrypto: [],
    concurrent: [],
  }
  for (let round = 0; round < ROUNDS; round++) {
    times.tweetnacl.push(await sequential('tweetnacl'))
    times.webcrypto.push(await sequential('webcrypto'))
    times.concurrent.push(await concurrent())
  }
  setX25519Backend('auto')

  const slow = median(times.tweetnacl)
  const fast = median(times.webcrypto)
  const all = median(times.concurrent)
  const row = (label: string, ms: number) =>
    console.log(
      `  ${label.padEnd(34)} ${ms.toFixed(1).padStart(8)} ms  ${((ms * 1000) / COUNT).toFixed(1).padStart(7)} µs/envelope`,
    )
  console.log(`\nOpening ${COUNT} envelopes (${BODY_BYTES}-byte bodies), median of ${ROUNDS} rounds:`)
  row('tweetnacl, one after another', slow)
  row('WebCrypto, one after another', fast)
  row('WebCrypto, all at once (diagnostic)', all)
  console.log(`  ratio tweetnacl / WebCrypto          ${(slow / fast).toFixed(2)}×`)
  console.log(`  ratio tweetnacl / WebCrypto at once  ${(slow / all).toFixed(2)}×`)
  console.log(`Node ${process.version}; every body checked on both backends.`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
