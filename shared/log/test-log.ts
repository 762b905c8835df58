import { generateSignKeyPair, randomBytes, type SignKeyPair, toBase64url } from '../crypto'
import type { LogEntry, LogSource } from './audit'
import { logLeafHash } from './leaf'
import { MerkleTree } from './merkle-tree'
import { type SignedTreeHead, signTreeHead } from './tree-head'

/**
 * Tests only. A relay's log in memory, honest unless a test makes it lie: entries, signed heads
 * and proofs computed exactly as the relay does, from a tree rebuilt from its entries.
 */
export class TestLog {
  readonly key: SignKeyPair = generateSignKeyPair()
  entries: LogEntry[] = []

  constructor(readonly community = 'test-wiki') {}

  get publicKey(): string {
    return toBase64url(this.key.publicKey)
  }

  append(kind: LogEntry['kind'], hash = toBase64url(randomBytes(32))): { index: number; hash: string } {
    this.entries.push({ kind, hash })
    return { index: this.entries.length - 1, hash }
  }

  tree(): MerkleTree {
    return MerkleTree.from(this.entries.map((e) => logLeafHash(e.kind, e.hash)))
  }

  head(size = this.entries.length, key = this.key): SignedTreeHead {
    const root = toBase64url(this.tree().root(size))
    return signTreeHead(
      { v: 1, community: this.community, size, root, time: '2026-12-04T10:00:00.000Z' },
      key,
    )
  }

  source(): LogSource {
    return {
      consistency: async (from, to) => ({ proof: this.tree().consistencyProof(from, to).map(toBase64url) }),
      leaves: async (from, to) => ({ from, leaves: this.entries.slice(from, Math.min(to, from + 3)) }),
    }
  }
}
