import { requireIntegerIn } from './checks'
import {
  consistencyPathOf,
  emptyRoot,
  HASH_BYTES,
  inclusionPathOf,
  nodeHash,
  type SubtreeHash,
} from './merkle'
import { exactLog2, splitPoint } from './tree-math'

/**
 * An append-only RFC 9162 Merkle tree in memory that answers the root, inclusion proofs and
 * consistency proofs for every size it has ever had, in O(log n) hashes each (merkle.ts explains
 * the tree; the answers are exactly those of rootOf, inclusionProof and consistencyProof there).
 *
 * It keeps every perfect subtree: level k holds, at position i, the hash of the 2^k leaves from
 * i·2^k; level 0 holds the leaf hashes. Perfect subtrees never change once complete, so appending
 * only adds: the new leaf at level 0 and, each time it completes a pair, the parent above — a carry,
 * as in counting in binary. One hash per append on average, ⌊log2 n⌋ at worst.
 *
 * Every subtree a proof asks for is then either stored (a perfect one) or the right edge of some
 * tree size, folded from the ≤ log2 n stored perfect subtrees that make it up. So root(size) costs
 * (number of 1 bits in size) − 1 hashes, and a proof O(log n) look-ups plus at most one right edge.
 *
 * Memory: level k holds ⌊n / 2^k⌋ hashes, about 2n in all: 64 bytes per leaf, twice the leaf hashes
 * alone (64 MB at a million leaves), plus at most 32 KiB of unused chunk per level. Hashes live in
 * flat 32 KiB chunks, not one object each: a Uint8Array object costs more than the 32 bytes it holds.
 */
export class MerkleTree {
  /** levels[k].at(i): the hash of the perfect subtree of leaves [i·2^k, (i+1)·2^k). */
  private readonly levels: HashColumn[] = [new HashColumn()]

  /** A tree of these leaf hashes (32 bytes each, e.g. from leafHash), in order. */
  static from(leafHashes: Iterable<Uint8Array>): MerkleTree {
    const tree = new MerkleTree()
    for (const hash of leafHashes) tree.append(hash)
    return tree
  }

  /** The number of leaves. */
  get size(): number {
    return this.leaves.length
  }

  /** Appends a leaf hash (32 bytes: leafHash(entry), not the entry itself) and returns its index. */
  append(hash: Uint8Array): number {
    if (hash.length !== HASH_BYTES) throw new RangeError(`A leaf hash is ${HASH_BYTES} bytes`)
    const index = this.leaves.length
    this.leaves.push(hash)
    // Position i at level k is a right child exactly when i is odd: its pair is then complete.
    let level = 0
    let i = index
    while (i % 2 === 1) {
      const children = this.levels[level] as HashColumn
      const parent = nodeHash(children.at(i - 1), children.at(i))
      level++
      i = (i - 1) / 2
      let parents = this.levels[level]
      if (!parents) {
        parents = new HashColumn()
        this.levels.push(parents)
      }
      parents.push(parent)
    }
    return index
  }

  /** The hash of leaf `index` (a copy, 32 bytes); throws RangeError unless 0 ≤ index < size. */
  leaf(index: number): Uint8Array {
    requireIntegerIn('index', index, 0, this.size - 1)
    return this.leaves.at(index).slice()
  }

  /** The root (32 bytes) of the tree of the first `size` leaves; throws RangeError unless 0 ≤ size ≤ this.size. */
  root(size: number = this.size): Uint8Array {
    requireIntegerIn('size', size, 0, this.size)
    return size === 0 ? emptyRoot() : this.subtree(0, size).slice()
  }

  /**
   * The inclusion proof of leaf `index` in the tree of the first `size` leaves (32-byte hashes,
   * leaf to root, as inclusionProof in merkle.ts); throws RangeError unless 0 ≤ index < size ≤ this.size.
   */
  inclusionProof(index: number, size: number = this.size): Uint8Array[] {
    requireIntegerIn('size', size, 1, this.size)
    requireIntegerIn('index', index, 0, size - 1)
    return inclusionPathOf(index, size, this.subtree).map((hash) => hash.slice())
  }

  /**
   * The consistency proof from the tree of the first `oldSize` leaves to that of the first
   * `newSize` (32-byte hashes, as consistencyProof in merkle.ts); throws RangeError unless
   * 0 ≤ oldSize ≤ newSize ≤ this.size.
   */
  consistencyProof(oldSize: number, newSize: number = this.size): Uint8Array[] {
    requireIntegerIn('newSize', newSize, 0, this.size)
    requireIntegerIn('oldSize', oldSize, 0, newSize)
    return consistencyPathOf(oldSize, newSize, this.subtree).map((hash) => hash.slice())
  }

  private get leaves(): HashColumn {
    return this.levels[0] as HashColumn
  }

  /**
   * MTH of leaves [lo, hi) for the subtrees the RFC's walks visit, which start at a multiple of
   * their width's next power of two: a stored node when the width is a power of two, otherwise
   * the stored left part joined to the (recursively folded) right edge. May return a stored view.
   */
  private readonly subtree: SubtreeHash = (lo, hi) => {
    const width = hi - lo
    const level = exactLog2(width)
    if (level >= 0) return (this.levels[level] as HashColumn).at(lo / width)
    const k = splitPoint(width)
    return nodeHash(this.subtree(lo, lo + k), this.subtree(lo + k, hi))
  }
}

/** Hashes per chunk of a HashColumn: 32 KiB, so the overhead of each chunk object is negligible. */
const CHUNK_HASHES = 1024
/** The first chunk starts this small and doubles up to CHUNK_HASHES, so small trees stay small. */
const FIRST_CHUNK_HASHES = 8

/** An append-only list of 32-byte hashes in flat chunks. */
class HashColumn {
  private readonly chunks: Uint8Array[] = []
  length = 0

  push(hash: Uint8Array): void {
    const chunkIndex = Math.floor(this.length / CHUNK_HASHES)
    const offset = (this.length % CHUNK_HASHES) * HASH_BYTES
    let chunk = this.chunks[chunkIndex]
    if (!chunk) {
      chunk = new Uint8Array((chunkIndex === 0 ? FIRST_CHUNK_HASHES : CHUNK_HASHES) * HASH_BYTES)
      this.chunks.push(chunk)
    } else if (offset === chunk.length) {
      // Only the first chunk grows; later ones are allocated full.
      const grown = new Uint8Array(Math.min(chunk.length * 2, CHUNK_HASHES * HASH_BYTES))
      grown.set(chunk)
      chunk = grown
      this.chunks[chunkIndex] = grown
    }
    chunk.set(hash, offset)
    this.length++
  }

  /** Hash `i` (0 ≤ i < length) as a view into the chunk: callers copy it before it leaves the tree. */
  at(i: number): Uint8Array {
    const chunk = this.chunks[Math.floor(i / CHUNK_HASHES)] as Uint8Array
    const offset = (i % CHUNK_HASHES) * HASH_BYTES
    return chunk.subarray(offset, offset + HASH_BYTES)
  }
}
