import { bytesEqual, sha256 } from '../crypto'
import { requireIntegerIn } from './checks'
import { exactLog2, splitPoint } from './tree-math'

/**
 * The Merkle tree of Heard's transparency log: RFC 9162 (Certificate Transparency v2) §2.1 over
 * SHA-256, byte for byte, so anyone holding the RFC (or any CT library) can check our proofs.
 *
 * - Leaves are hashed as SHA-256(0x00 ‖ entry), interior nodes as SHA-256(0x01 ‖ left ‖ right): the
 *   prefixes keep a leaf from ever passing for a node (the second-preimage attack on plain trees).
 * - A tree of n > 1 leaves splits at k, the largest power of two below n (§2.1.1). Its left part is
 *   always a perfect subtree that never changes again as leaves are appended: that is what lets an
 *   append-only log prove that each older tree is a prefix of the newer one.
 * - The empty tree's root is SHA-256 of the empty string.
 *
 * What a log proves, and what it costs to check:
 * - inclusion (§2.1.3): leaf `index` is in the tree of `size` leaves — at most ⌈log2 size⌉ hashes;
 * - consistency (§2.1.4): the tree of `oldSize` leaves is a prefix of the tree of `newSize` leaves —
 *   at most ⌈log2 newSize⌉ + 1 hashes (the RFC's bound: one more than a path, for the subtree
 *   where the old tree ends).
 * A proof binds the index and the hashes; it binds the size only up to its shape: a proof for one
 * size can also check out for another size of the same shape *with the same root*, a root no tree
 * of that size has. So a receipt or a head must always carry size and root together under a
 * signature (issue #5's signed tree heads); never take a size from anywhere else.
 *
 * Generation here works from an array of leaf hashes and costs O(size) hashes per call: right for
 * tests, one-off checks and small trees. A log uses MerkleTree (merkle-tree.ts), which keeps its
 * subtree hashes and answers in O(log n). Both walk the RFC's recursions with inclusionPathOf and
 * consistencyPathOf, which take any source of subtree hashes (a database-backed store can too).
 *
 * Verification follows the RFC's iterative algorithms (§2.1.3.2, §2.1.4.2) and never throws: its
 * inputs come from the network, so anything malformed (wrong lengths, index ≥ size, a non-integer
 * size, oldSize > newSize, a proof of the wrong length) is simply false.
 *
 * Units: hashes are 32-byte Uint8Arrays; sizes and indices count leaves, as safe integers (< 2^53).
 * Wire format, must never change: SHA-256, the 0x00 / 0x01 prefixes, the split rule and the order
 * of proof hashes (leaf to root). Every signed tree head and receipt ever issued depends on them.
 */

/** Bytes in every hash of the tree (SHA-256). */
export const HASH_BYTES = 32

/** Domain-separation prefixes of RFC 9162 §2.1.1. Must never change. */
const LEAF_PREFIX = 0x00
const NODE_PREFIX = 0x01

/**
 * No proof for a tree of fewer than 2^53 leaves is longer than this: verification refuses longer
 * lists before looking at them, whatever the network sends.
 */
const MAX_PROOF_HASHES = 64

/** The leaf hash (32 bytes) of one log entry: SHA-256(0x00 ‖ data), `data` being the entry's bytes. */
export function leafHash(data: Uint8Array): Uint8Array {
  const input = new Uint8Array(1 + data.length)
  input[0] = LEAF_PREFIX
  input.set(data, 1)
  return sha256(input)
}

/**
 * The hash (32 bytes) of an interior node: SHA-256(0x01 ‖ left ‖ right) over its children's 32-byte
 * hashes. Throws on any other length, where the concatenation would stop being unambiguous.
 */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== HASH_BYTES || right.length !== HASH_BYTES) {
    throw new RangeError(`Merkle node children are ${HASH_BYTES}-byte hashes`)
  }
  const input = new Uint8Array(1 + 2 * HASH_BYTES)
  input[0] = NODE_PREFIX
  input.set(left, 1)
  input.set(right, 1 + HASH_BYTES)
  return sha256(input)
}

const EMPTY_ROOT = sha256(new Uint8Array(0))

/** The root of the tree of no leaves (32 bytes): SHA-256 of the empty string. A fresh copy. */
export const emptyRoot = (): Uint8Array => EMPTY_ROOT.slice()

/**
 * MTH(D[lo:hi]): the root of the subtree over leaves lo (inclusive) to hi (exclusive), hi > lo.
 * The walks below ask only for subtrees the RFC's recursion visits. Each starts at a multiple of
 * the smallest power of two ≥ its width, so a subtree whose width is a power of two is one of the
 * fixed perfect subtrees a store can keep; any other one is the right edge of a tree, built from
 * at most log2 n of them. Implementations may return their own storage: the walks never write.
 */
export type SubtreeHash = (lo: number, hi: number) => Uint8Array

/**
 * PATH(index, D[size]) of §2.1.3.1, ordered from the leaf up to the root, for 0 ≤ index < size.
 * The RFC's recursion, unrolled: going down from the root, each step records the sibling subtree.
 * At most one recorded sibling is not perfect (the right edge, where the walk turns left; below it
 * every subtree is perfect), so a store of perfect subtrees answers in O(log n) hashes.
 */
export function inclusionPathOf(index: number, size: number, subtree: SubtreeHash): Uint8Array[] {
  const path: Uint8Array[] = []
  let lo = 0
  let hi = size
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo)
    if (index < lo + k) {
      path.push(subtree(lo + k, hi))
      hi = lo + k
    } else {
      path.push(subtree(lo, lo + k))
      lo += k
    }
  }
  return path.reverse()
}

/**
 * PROOF(oldSize, D[newSize]) of §2.1.4.1 (SUBPROOF with b = true), ordered from the bottom up, for
 * 0 < oldSize < newSize; empty when oldSize is 0 or equals newSize (nothing to prove). The same
 * unrolled walk as inclusionPathOf, following the old tree's right edge down; its last piece is the
 * perfect subtree where the old tree ends, left out when it is the old root itself (b still true).
 */
export function consistencyPathOf(oldSize: number, newSize: number, subtree: SubtreeHash): Uint8Array[] {
  const path: Uint8Array[] = []
  if (oldSize === 0 || oldSize === newSize) return path
  let lo = 0
  let hi = newSize
  let isOldRoot = true
  while (oldSize !== hi) {
    const k = splitPoint(hi - lo)
    if (oldSize - lo <= k) {
      path.push(subtree(lo + k, hi))
      hi = lo + k
    } else {
      path.push(subtree(lo, lo + k))
      lo += k
      isOldRoot = false
    }
  }
  if (!isOldRoot) path.push(subtree(lo, hi))
  return path.reverse()
}

function requireLeafHashes(leafHashes: readonly Uint8Array[], size: number): void {
  for (let i = 0; i < size; i++) {
    if (leafHashes[i]?.length !== HASH_BYTES)
      throw new RangeError(`Leaf hash ${i} is not ${HASH_BYTES} bytes`)
  }
}

/** MTH over an array, recomputed from the leaves: O(hi − lo) hashes. */
function arraySubtree(leafHashes: readonly Uint8Array[]): SubtreeHash {
  const mth: SubtreeHash = (lo, hi) => {
    if (hi - lo === 1) return leafHashes[lo] as Uint8Array
    const k = splitPoint(hi - lo)
    return nodeHash(mth(lo, lo + k), mth(lo + k, hi))
  }
  return mth
}

/** MTH (§2.1.1) of these leaf hashes (32 bytes each): the tree's root, 32 bytes. O(n) hashes. */
export function rootOf(leafHashes: readonly Uint8Array[]): Uint8Array {
  requireLeafHashes(leafHashes, leafHashes.length)
  if (leafHashes.length === 0) return emptyRoot()
  return arraySubtree(leafHashes)(0, leafHashes.length).slice()
}

/**
 * The inclusion proof (§2.1.3.1) of leaf `index` in the tree of the first `size` leaf hashes:
 * 32-byte hashes, leaf to root. O(size) hashes; throws RangeError unless 0 ≤ index < size ≤ length.
 */
export function inclusionProof(
  leafHashes: readonly Uint8Array[],
  index: number,
  size: number = leafHashes.length,
): Uint8Array[] {
  requireIntegerIn('size', size, 1, leafHashes.length)
  requireIntegerIn('index', index, 0, size - 1)
  requireLeafHashes(leafHashes, size)
  return inclusionPathOf(index, size, arraySubtree(leafHashes)).map((hash) => hash.slice())
}

/**
 * The consistency proof (§2.1.4.1) that the tree of the first `oldSize` leaf hashes is a prefix of
 * the tree of the first `newSize`: 32-byte hashes, bottom up; empty when oldSize is 0 or newSize.
 * O(newSize) hashes; throws RangeError unless 0 ≤ oldSize ≤ newSize ≤ length.
 */
export function consistencyProof(
  leafHashes: readonly Uint8Array[],
  oldSize: number,
  newSize: number = leafHashes.length,
): Uint8Array[] {
  requireIntegerIn('newSize', newSize, 0, leafHashes.length)
  requireIntegerIn('oldSize', oldSize, 0, newSize)
  requireLeafHashes(leafHashes, newSize)
  return consistencyPathOf(oldSize, newSize, arraySubtree(leafHashes)).map((hash) => hash.slice())
}

// Verification: everything below answers false rather than throwing, whatever it is handed.

const isHash = (value: unknown): value is Uint8Array =>
  value instanceof Uint8Array && value.length === HASH_BYTES
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0
const isHashList = (value: unknown): value is readonly Uint8Array[] =>
  Array.isArray(value) && value.length <= MAX_PROOF_HASHES && value.every(isHash)
// Division, not bit shifts: shifts would cut sizes to 32 bits.
const isOdd = (n: number): boolean => n % 2 === 1
const half = (n: number): number => Math.floor(n / 2)

/**
 * Whether `proof` shows that the leaf with hash `leafHash` is leaf `index` of the tree of `size`
 * leaves whose root is `root` (all hashes 32 bytes; §2.1.3.2). False for anything malformed.
 */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!isHash(leafHash) || !isHash(root) || !isHashList(proof)) return false
  if (!isCount(index) || !isCount(size) || index >= size) return false
  // fn walks up from the leaf, sn from the last leaf: where they meet, a subtree ends the tree's
  // right edge and has no right sibling, so its level is skipped.
  let fn = index
  let sn = size - 1
  let r = leafHash
  for (const p of proof) {
    if (sn === 0) return false // the proof is longer than the tree is deep
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r)
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn)
        sn = half(sn)
      }
    } else {
      r = nodeHash(r, p)
    }
    fn = half(fn)
    sn = half(sn)
  }
  return sn === 0 && bytesEqual(r, root)
}

/**
 * Whether `proof` shows that the tree of `oldSize` leaves with root `oldRoot` is a prefix of the
 * tree of `newSize` leaves with root `newRoot` (all hashes 32 bytes; §2.1.4.2). Beyond the RFC,
 * which covers 0 < oldSize < newSize: equal sizes need equal roots and an empty proof; the empty
 * tree (whose root must be emptyRoot()) is a prefix of every tree, with an empty proof. False for
 * anything malformed, and whenever oldSize > newSize.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!isCount(oldSize) || !isCount(newSize) || oldSize > newSize) return false
  if (!isHash(oldRoot) || !isHash(newRoot) || !isHashList(proof)) return false
  if (oldSize === 0 && !bytesEqual(oldRoot, EMPTY_ROOT)) return false
  if (oldSize === newSize) return proof.length === 0 && bytesEqual(oldRoot, newRoot)
  if (oldSize === 0) return proof.length === 0

  // When the old tree is perfect its root is a node of the new tree, and the proof leaves it out.
  const path = exactLog2(oldSize) >= 0 ? [oldRoot, ...proof] : proof
  const [first, ...rest] = path
  if (!first) return false
  let fn = oldSize - 1
  let sn = newSize - 1
  while (isOdd(fn)) {
    fn = half(fn)
    sn = half(sn)
  }
  let fr = first
  let sr = first
  for (const c of rest) {
    if (sn === 0) return false // the proof is longer than the trees call for
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr)
      sr = nodeHash(c, sr)
      while (!isOdd(fn) && fn !== 0) {
        fn = half(fn)
        sn = half(sn)
      }
    } else {
      sr = nodeHash(sr, c)
    }
    fn = half(fn)
    sn = half(sn)
  }
  return sn === 0 && bytesEqual(fr, oldRoot) && bytesEqual(sr, newRoot)
}
