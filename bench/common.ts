import { generateBoxKeyPair, generateSignKeyPair, toBase64url } from '../shared/crypto'
import { brokerEntry, signManifest } from '../shared/protocol'

/** What the relay benches share: a community, statistics, formatting. */

export const COMMUNITY = 'bench-community'

/**
 * A signed manifest for COMMUNITY naming one broker (JSON text, for `PUT …/manifest`), and that
 * broker's box key, to seal reports to: the relay stores only reports sealed to a current broker.
 */
export function benchManifest(): { manifest: string; brokerBoxKey: Uint8Array } {
  const rootKeys = generateSignKeyPair()
  const brokerBox = generateBoxKeyPair()
  const brokerSign = generateSignKeyPair()
  const manifest = JSON.stringify(
    signManifest(
      {
        v: 1,
        community: COMMUNITY,
        name: 'Benchmark community',
        seq: 1,
        issuedAt: new Date().toISOString(),
        root: toBase64url(rootKeys.publicKey),
        brokers: [brokerEntry('Broker', brokerBox.publicKey, brokerSign.publicKey)],
        policy: 'Benchmark only.',
      },
      rootKeys.secretKey,
    ),
  )
  return { manifest, brokerBoxKey: brokerBox.publicKey }
}

/** The p-th percentile (nearest rank) of ascending values; NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN
  const at = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, at)] as number
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  if (sorted.length === 0) return Number.NaN
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export interface Spread {
  readonly n: number
  readonly median: number
  readonly p99: number
  readonly max: number
}

/** Median, p99 and max of durations (any unit). */
export function spread(values: readonly number[]): Spread {
  const sorted = Float64Array.from(values).sort()
  return {
    n: sorted.length,
    median: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  }
}

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

/** mulberry32: a small seeded PRNG, uniform in [0, 1), so every run samples the same indices. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
