import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { concatBytes, sha256, toHex, u32be } from '../crypto'
import {
  consistencyProof,
  emptyRoot,
  inclusionProof,
  leafHash,
  nodeHash,
  rootOf,
  verifyConsistency,
  verifyInclusion,
} from './merkle'
import { MerkleTree } from './merkle-tree'

// --- A reference written straight from RFC 9162 §2.1, sharing no code with the module ---------

const hashOf = (...parts: Uint8Array[]): Uint8Array => sha256(concatBytes(...parts))
const refLeafHash = (data: Uint8Array): Uint8Array => hashOf(Uint8Array.of(0), data)
const refNodeHash = (left: Uint8Array, right: Uint8Array): Uint8Array => hashOf(Uint8Array.of(1), left, right)

/** The largest power of two below n (n ≥ 2), by another route than the module's. */
function largestPowerOfTwoBelow(n: number): number {
  let p = 1
  while (p < n) p <<= 1
  return p >> 1
}

/**
 * MTH, PATH and PROOF/SUBPROOF as the RFC's recursive definitions, over D[lo:hi] of `leaves`
 * (already leaf hashes). MTH is memoized: it is a pure function, so that changes nothing but the
 * time the 100,000-leaf properties take.
 */
function reference(leaves: readonly Uint8Array[]) {
  const memo = new Map<number, Uint8Array>()
  const mth = (lo: number, hi: number): Uint8Array => {
    if (hi === lo) return hashOf()
    if (hi - lo === 1) return leaves[lo] as Uint8Array
    const key = lo * 2 ** 24 + hi
    const known = memo.get(key)
    if (known) return known
    const k = largestPowerOfTwoBelow(hi - lo)
    const hash = refNodeHash(mth(lo, lo + k), mth(lo + k, hi))
    memo.set(key, hash)
    return hash
  }
  const path = (m: number, lo: number, hi: number): Uint8Array[] => {
    if (hi - lo === 1) return []
    const k = largestPowerOfTwoBelow(hi - lo)
    return m < k ? [...path(m, lo, lo + k), mth(lo + k, hi)] : [...path(m - k, lo + k, hi), mth(lo, lo + k)]
  }
  const subproof = (m: number, lo: number, hi: number, b: boolean): Uint8Array[] => {
    if (m === hi - lo) return b ? [] : [mth(lo, hi)]
    const k = largestPowerOfTwoBelow(hi - lo)
    return m <= k
      ? [...subproof(m, lo, lo + k, b), mth(lo + k, hi)]
      : [...subproof(m - k, lo + k, hi, false), mth(lo, lo + k)]
  }
  return {
    root: (size: number) => mth(0, size),
    path: (index: number, size: number) => path(index, 0, size),
    proof: (oldSize: number, newSize: number) =>
      oldSize > 0 && oldSize < newSize ? subproof(oldSize, 0, newSize, true) : [],
  }
}

// --- Helpers -----------------------------------------------------------------------------------

const fromHex = (hex: string): Uint8Array =>
  Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16))
const hexes = (hashes: readonly Uint8Array[]): string[] => hashes.map(toHex)

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice()
  const i = Math.floor(bit / 8) % out.length
  out[i] = (out[i] as number) ^ (1 << (bit % 8))
  return out
}

const ceilLog2 = (n: number): number => (n <= 1 ? 0 : Math.ceil(Math.log2(n)))

/** Inclusion proof length by a closed form (as in transparency-dev/merkle): another check on shape. */
function inclusionLength(index: number, size: number): number {
  let inner = 0
  for (let x = index ^ (size - 1); x > 0; x >>>= 1) inner++
  let border = 0
  for (let x = index >>> inner; x > 0; x >>>= 1) border += x & 1
  return inner + border
}

/** Sizes or indices near x (and x's bit-flips, double and half), within 0…max, x itself left out. */
const around = (x: number, max: number): number[] =>
  [...new Set([x - 2, x - 1, x + 1, x + 2, x ^ 1, x ^ 2, x * 2, x >> 1, 0, max])].filter(
    (y) => y >= 0 && y <= max && y !== x,
  )

/** Proofs altered every way a forger might try; none of them may verify. */
function alteredProofs(proof: readonly Uint8Array[], junk: Uint8Array, bit = 0): Uint8Array[][] {
  const out: Uint8Array[][] = [
    [...proof, junk],
    [junk, ...proof],
    [...proof, new Uint8Array(32)],
    [...proof.slice(0, 1), junk, ...proof.slice(1)],
  ]
  if (proof.length > 0) {
    out.push(proof.slice(1), proof.slice(0, -1), [...proof, proof[proof.length - 1] as Uint8Array])
    out.push([proof[0] as Uint8Array, ...proof])
  }
  if (proof.length > 1) out.push([...proof].reverse())
  for (let i = 0; i < proof.length; i++) {
    const flipped = [...proof]
    flipped[i] = flipBit(proof[i] as Uint8Array, bit + 37 * i)
    out.push(flipped)
    const shortened = [...proof]
    shortened[i] = (proof[i] as Uint8Array).subarray(0, 31)
    out.push(shortened)
  }
  return out
}

// Leaves are the hashes of their own index (4 bytes, big-endian): fixed, distinct, reproducible.
const LARGE = 100_000
const SMALL = 64
const leaves = Array.from({ length: LARGE }, (_, i) => leafHash(u32be(i)))
const ref = reference(leaves)
const smallTree = MerkleTree.from(leaves.slice(0, SMALL + 2))

// --- Tests ------------------------------------------------------------------------------------

describe('RFC 9162 hashing', () => {
  it('hashes leaves as SHA-256(0x00 ‖ data) and nodes as SHA-256(0x01 ‖ left ‖ right)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (data, left, right) => {
          expect(leafHash(data)).toEqual(refLeafHash(data))
          expect(nodeHash(left, right)).toEqual(refNodeHash(left, right))
        },
      ),
      { numRuns: 200 },
    )
  })

  it('refuses node children that are not 32-byte hashes, where concatenation would be ambiguous', () => {
    expect(() => nodeHash(new Uint8Array(31), new Uint8Array(33))).toThrow(RangeError)
    expect(() => nodeHash(new Uint8Array(32), new Uint8Array(0))).toThrow(RangeError)
  })

  it('gives the empty tree the SHA-256 of the empty string, as a fresh copy each time', () => {
    const empty = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    expect(toHex(emptyRoot())).toBe(empty)
    expect(toHex(rootOf([]))).toBe(empty)
    expect(toHex(new MerkleTree().root())).toBe(empty)
    emptyRoot().fill(0)
    expect(toHex(emptyRoot())).toBe(empty)
  })
})

/*
 * The Certificate Transparency reference vectors: eight entries and the roots of their first 1…8,
 * with proofs, as in transparency-dev/merkle proof/verify_test.go (the CT reference implementation's
 * vectors; its leaf numbers are 1-based, the indices here 0-based). Kept forever.
 */
describe('Certificate Transparency test vectors', () => {
  const entries = [
    '',
    '00',
    '10',
    '2021',
    '3031',
    '40414243',
    '5051525354555657',
    '606162636465666768696a6b6c6d6e6f',
  ].map(fromHex)
  const ctLeaves = entries.map(leafHash)
  const roots = [
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ]
  const inclusion = [
    {
      index: 0,
      size: 8,
      proof: [
        '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
      ],
    },
    {
      index: 5,
      size: 8,
      proof: [
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
        'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ],
    },
    { index: 2, size: 3, proof: ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125'] },
    {
      index: 1,
      size: 5,
      proof: [
        '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      ],
    },
  ]
  const consistency = [
    {
      oldSize: 1,
      newSize: 8,
      proof: [
        '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
      ],
    },
    {
      oldSize: 6,
      newSize: 8,
      proof: [
        '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
        'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ],
    },
    {
      oldSize: 2,
      newSize: 5,
      proof: [
        '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
        'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      ],
    },
    {
      oldSize: 6,
      newSize: 7,
      proof: [
        '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
        'b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f',
        'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      ],
    },
  ]
  const ctTree = MerkleTree.from(ctLeaves)

  it('gives the published root for every size 0…8', () => {
    for (let size = 0; size <= 8; size++) {
      expect(toHex(rootOf(ctLeaves.slice(0, size))), `size ${size}`).toBe(roots[size])
      expect(toHex(ctTree.root(size)), `size ${size}`).toBe(roots[size])
    }
  })

  it('gives the published inclusion proofs, and they verify', () => {
    for (const { index, size, proof } of inclusion) {
      expect(hexes(inclusionProof(ctLeaves, index, size))).toEqual(proof)
      expect(hexes(ctTree.inclusionProof(index, size))).toEqual(proof)
      const root = fromHex(roots[size] as string)
      expect(verifyInclusion(ctLeaves[index] as Uint8Array, index, size, proof.map(fromHex), root)).toBe(true)
    }
  })

  it('gives the published consistency proofs, and they verify', () => {
    for (const { oldSize, newSize, proof } of consistency) {
      expect(hexes(consistencyProof(ctLeaves, oldSize, newSize))).toEqual(proof)
      expect(hexes(ctTree.consistencyProof(oldSize, newSize))).toEqual(proof)
      const [oldRoot, newRoot] = [roots[oldSize], roots[newSize]].map((hex) => fromHex(hex as string))
      expect(
        verifyConsistency(oldSize, newSize, oldRoot as Uint8Array, newRoot as Uint8Array, proof.map(fromHex)),
      ).toBe(true)
    }
  })
})

describe('generation agrees with the RFC’s recursive definitions', () => {
  it(`for every size up to ${SMALL}, every index and every older size, from arrays and from the tree`, () => {
    for (let size = 0; size <= SMALL; size++) {
      const prefix = leaves.slice(0, size)
      const root = toHex(ref.root(size))
      expect(toHex(rootOf(prefix))).toBe(root)
      expect(toHex(smallTree.root(size))).toBe(root)
      expect(toHex(MerkleTree.from(prefix).root())).toBe(root)
      for (let index = 0; index < size; index++) {
        const expected = hexes(ref.path(index, size))
        expect(hexes(inclusionProof(prefix, index))).toEqual(expected)
        expect(hexes(smallTree.inclusionProof(index, size))).toEqual(expected)
      }
      for (let oldSize = 0; oldSize <= size; oldSize++) {
        const expected = hexes(ref.proof(oldSize, size))
        expect(hexes(consistencyProof(prefix, oldSize))).toEqual(expected)
        expect(hexes(smallTree.consistencyProof(oldSize, size))).toEqual(expected)
      }
    }
  })

  it('for arbitrary leaf contents', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 40 }), { minLength: 1, maxLength: 150 }),
        fc.nat(),
        fc.nat(),
        (entries, a, b) => {
          const hashes = entries.map(leafHash)
          const mine = reference(entries.map(refLeafHash))
          const size = hashes.length
          const index = a % size
          const oldSize = b % (size + 1)
          const tree = MerkleTree.from(hashes)
          expect(toHex(rootOf(hashes))).toBe(toHex(mine.root(size)))
          expect(toHex(tree.root())).toBe(toHex(mine.root(size)))
          expect(hexes(inclusionProof(hashes, index))).toEqual(hexes(mine.path(index, size)))
          expect(hexes(tree.inclusionProof(index))).toEqual(hexes(mine.path(index, size)))
          expect(hexes(consistencyProof(hashes, oldSize))).toEqual(hexes(mine.proof(oldSize, size)))
          expect(hexes(tree.consistencyProof(oldSize))).toEqual(hexes(mine.proof(oldSize, size)))
        },
      ),
      { numRuns: 150 },
    )
  })

  describe(`for a tree of ${LARGE.toLocaleString('en')} leaves, at random past sizes`, () => {
    let tree: MerkleTree
    beforeAll(() => {
      tree = MerkleTree.from(leaves)
    })

    const sizeAndIndex = fc
      .tuple(fc.integer({ min: 1, max: LARGE }), fc.nat())
      .map(([size, i]) => ({ size, index: i % size }))
    const twoSizes = fc
      .tuple(fc.integer({ min: 1, max: LARGE }), fc.nat())
      .map(([newSize, i]) => ({ newSize, oldSize: i % (newSize + 1) }))

    it('roots and inclusion proofs match, verify, and fail once anything is altered', () => {
      fc.assert(
        fc.property(sizeAndIndex, fc.nat(255), ({ size, index }, bit) => {
          const root = tree.root(size)
          expect(toHex(root)).toBe(toHex(ref.root(size)))
          const proof = tree.inclusionProof(index, size)
          expect(hexes(proof)).toEqual(hexes(ref.path(index, size)))
          expect(proof.length).toBe(inclusionLength(index, size))
          expect(proof.length).toBeLessThanOrEqual(ceilLog2(size))
          const leaf = leaves[index] as Uint8Array
          expect(verifyInclusion(leaf, index, size, proof, root)).toBe(true)
          expect(verifyInclusion(flipBit(leaf, bit), index, size, proof, root)).toBe(false)
          expect(verifyInclusion(leaf, index, size, proof, flipBit(root, bit))).toBe(false)
          for (const other of [index - 1, index + 1, index ^ 1, index ^ 2, index + size]) {
            expect(verifyInclusion(leaf, other, size, proof, root)).toBe(false)
          }
          for (const altered of alteredProofs(proof, ref.root(size), bit)) {
            expect(verifyInclusion(leaf, index, size, altered, root)).toBe(false)
          }
          // Against the real head of any other size, the proof fails.
          for (const other of [size - 1, size + 1, size * 2, Math.floor(size / 2)]) {
            if (other <= index || other > LARGE || other === size) continue
            expect(verifyInclusion(leaf, index, other, proof, tree.root(other))).toBe(false)
          }
        }),
        { numRuns: 150 },
      )
    })

    it('consistency proofs match, verify, and fail once anything is altered', () => {
      fc.assert(
        fc.property(twoSizes, fc.nat(255), ({ oldSize, newSize }, bit) => {
          const oldRoot = tree.root(oldSize)
          const newRoot = tree.root(newSize)
          const proof = tree.consistencyProof(oldSize, newSize)
          expect(hexes(proof)).toEqual(hexes(ref.proof(oldSize, newSize)))
          expect(proof.length).toBeLessThanOrEqual(ceilLog2(newSize) + 1)
          expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof)).toBe(true)
          expect(verifyConsistency(oldSize, newSize, flipBit(oldRoot, bit), newRoot, proof)).toBe(false)
          if (oldSize > 0) {
            expect(verifyConsistency(oldSize, newSize, oldRoot, flipBit(newRoot, bit), proof)).toBe(false)
          }
          if (oldSize > 0 && oldSize < newSize) {
            expect(verifyConsistency(oldSize, newSize, newRoot, oldRoot, proof)).toBe(false)
            for (const altered of alteredProofs(proof, oldRoot, bit)) {
              expect(verifyConsistency(oldSize, newSize, oldRoot, newRoot, altered)).toBe(false)
            }
          }
          // Against the real heads of any other pair of sizes, the proof fails.
          for (const [o, n] of [
            [oldSize - 1, newSize],
            [oldSize + 1, newSize],
            [oldSize, newSize - 1],
            [oldSize, newSize + 1],
            [oldSize ^ 2, newSize],
            [oldSize, newSize * 2],
          ] as const) {
            if (o < 0 || n > LARGE || o > n || (o === oldSize && n === newSize)) continue
            if (proof.length === 0 && (o === 0 || o === n)) continue // trivially consistent either way
            expect(verifyConsistency(o, n, tree.root(o), tree.root(n), proof), `${o}→${n}`).toBe(false)
          }
        }),
        { numRuns: 150 },
      )
    })
  })
})

describe('verification', () => {
  const roots = Array.from({ length: SMALL + 3 }, (_, size) => smallTree.root(size))
  const junk = leafHash(Uint8Array.of(0xff))
  /** Up to this size, every proof is also altered every way; above it the properties sample. */
  const TAMPER = 32

  it(`accepts every inclusion proof up to ${SMALL} leaves, and no altered one up to ${TAMPER}`, () => {
    const wrong: string[] = []
    const check = (expected: boolean, what: string, ...args: Parameters<typeof verifyInclusion>) => {
      if (verifyInclusion(...args) !== expected) wrong.push(what)
    }
    for (let size = 1; size <= SMALL; size++) {
      const root = roots[size] as Uint8Array
      for (let index = 0; index < size; index++) {
        const leaf = leaves[index] as Uint8Array
        const proof = smallTree.inclusionProof(index, size)
        const at = `leaf ${index} of ${size}`
        check(true, at, leaf, index, size, proof, root)
        if (size > TAMPER) continue
        check(false, `${at}, other leaf`, junk, index, size, proof, root)
        check(false, `${at}, flipped root`, leaf, index, size, proof, flipBit(root, index))
        for (let other = 0; other <= size + 1; other++) {
          if (other !== index) check(false, `${at} as leaf ${other}`, leaf, other, size, proof, root)
        }
        for (const other of around(size, SMALL + 2)) {
          // Any other size fails with its own root; with this root, whenever its proofs are
          // another length (same-length sizes are what the signed head rules out: see below).
          check(false, `${at} in ${other}`, leaf, index, other, proof, roots[other] as Uint8Array)
          if (other <= index || inclusionLength(index, other) !== proof.length) {
            check(false, `${at} in ${other}, same root`, leaf, index, other, proof, root)
          }
        }
        for (const [i, altered] of alteredProofs(proof, junk, index).entries()) {
          check(false, `${at}, altered proof ${i}`, leaf, index, size, altered, root)
        }
      }
    }
    expect(wrong).toEqual([])
  })

  it(`accepts every consistency proof up to ${SMALL} leaves, and no altered one up to ${TAMPER}`, () => {
    const wrong: string[] = []
    const check = (expected: boolean, what: string, ...args: Parameters<typeof verifyConsistency>) => {
      if (verifyConsistency(...args) !== expected) wrong.push(what)
    }
    const lengths = roots.map((_, o) =>
      roots.map((_, n) => (o <= n ? smallTree.consistencyProof(o, n).length : -1)),
    )
    for (let size = 1; size <= SMALL; size++) {
      const root = roots[size] as Uint8Array
      for (let oldSize = 0; oldSize <= size; oldSize++) {
        const oldRoot = roots[oldSize] as Uint8Array
        const proof = smallTree.consistencyProof(oldSize, size)
        const at = `${oldSize}→${size}`
        check(true, at, oldSize, size, oldRoot, root, proof)
        if (size > TAMPER || oldSize === 0 || oldSize === size) continue
        check(false, `${at}, roots swapped`, oldSize, size, root, oldRoot, proof)
        check(false, `${at}, other old root`, oldSize, size, junk, root, proof)
        check(false, `${at}, other new root`, oldSize, size, oldRoot, junk, proof)
        check(false, `${at}, backwards`, size, oldSize, root, oldRoot, proof)
        for (const o of [oldSize, ...around(oldSize, SMALL + 2)]) {
          for (const n of [size, ...around(size, SMALL + 2)]) {
            if (o > n || (o === oldSize && n === size)) continue
            check(false, `${at} as ${o}→${n}`, o, n, roots[o] as Uint8Array, roots[n] as Uint8Array, proof)
            if (lengths[o]?.[n] !== proof.length) {
              check(false, `${at} as ${o}→${n}, same roots`, o, n, oldRoot, root, proof)
            }
          }
        }
        for (const [i, altered] of alteredProofs(proof, junk, oldSize).entries()) {
          check(false, `${at}, altered proof ${i}`, oldSize, size, oldRoot, root, altered)
        }
      }
    }
    expect(wrong).toEqual([])
  })

  it('binds the size only through the root, so heads must carry both under one signature', () => {
    // Leaf 0's path is the same shape in trees of 5…8 leaves. The proof for size 5 also "verifies"
    // for size 6 with the size-5 root: a root no 6-leaf tree has. Against the real size-6 root it fails.
    const proof = smallTree.inclusionProof(0, 5)
    const leaf = leaves[0] as Uint8Array
    expect(verifyInclusion(leaf, 0, 6, proof, smallTree.root(5))).toBe(true)
    expect(verifyInclusion(leaf, 0, 6, proof, smallTree.root(6))).toBe(false)
  })

  it('handles the trivial consistency cases beyond the RFC’s 0 < old < new', () => {
    const root = smallTree.root(5)
    const empty = emptyRoot()
    expect(verifyConsistency(0, 0, empty, empty, [])).toBe(true)
    expect(verifyConsistency(0, 5, empty, root, [])).toBe(true)
    expect(verifyConsistency(5, 5, root, root, [])).toBe(true)
    // ...and nothing else passes for them.
    expect(verifyConsistency(0, 0, root, root, [])).toBe(false)
    expect(verifyConsistency(0, 0, empty, root, [])).toBe(false)
    expect(verifyConsistency(0, 5, root, root, [])).toBe(false)
    expect(verifyConsistency(0, 5, empty, root, [empty])).toBe(false)
    expect(verifyConsistency(5, 5, root, smallTree.root(4), [])).toBe(false)
    expect(verifyConsistency(5, 5, root, root, [root])).toBe(false)
    expect(verifyConsistency(5, 4, root, smallTree.root(4), [])).toBe(false)
    expect(verifyConsistency(1, 2, smallTree.root(1), smallTree.root(2), [])).toBe(false)
    expect(verifyInclusion(root, 0, 1, [], root)).toBe(true)
    expect(verifyInclusion(root, 0, 0, [], root)).toBe(false)
    expect(verifyInclusion(root, 1, 1, [], root)).toBe(false)
  })

  it('answers false, never throws, for anything the network could send', () => {
    const hash = fc.uint8Array({ minLength: 32, maxLength: 32 })
    const bytes = fc.oneof(hash, fc.uint8Array({ maxLength: 40 }), fc.anything())
    const count = fc.oneof(
      fc.nat({ max: 70 }),
      fc.integer(),
      fc.constantFrom(Number.MAX_SAFE_INTEGER, 2 ** 53, 2 ** 32, 2 ** 31, -0, 0.5, Number.NaN, Infinity),
      fc.double(),
      fc.anything(),
    )
    const proof = fc.oneof(
      fc.array(hash, { maxLength: 70 }),
      fc.array(bytes, { maxLength: 5 }),
      fc.anything(),
    )
    // As a caller holding parsed JSON might: the types promise nothing at run time.
    const loose = <F>(f: F) => f as (...args: unknown[]) => boolean
    fc.assert(
      fc.property(bytes, count, count, proof, bytes, (a, i, n, p, b) => {
        expect(typeof loose(verifyInclusion)(a, i, n, p, b)).toBe('boolean')
        expect(typeof loose(verifyConsistency)(i, n, a, b, p)).toBe('boolean')
      }),
      { numRuns: 2000 },
    )
    // Hashes of the right length but absurd sizes: false, and quickly.
    const h = smallTree.root()
    const path = smallTree.inclusionProof(3)
    expect(verifyInclusion(h, Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER, path, h)).toBe(false)
    expect(verifyConsistency(3, Number.MAX_SAFE_INTEGER, h, h, path)).toBe(false)
    expect(verifyInclusion(h, 3, 2 ** 53, path, h)).toBe(false)
    expect(
      verifyInclusion(
        h,
        3,
        SMALL + 2,
        Array.from({ length: 10_000 }, () => h),
        h,
      ),
    ).toBe(false)
  })
})

describe('MerkleTree', () => {
  it('appends in order and hands back copies, never its own storage', () => {
    const tree = new MerkleTree()
    const input = leafHash(Uint8Array.of(1))
    expect(tree.append(input)).toBe(0)
    expect(tree.append(leafHash(Uint8Array.of(2)))).toBe(1)
    expect(tree.append(leafHash(Uint8Array.of(3)))).toBe(2)
    expect(tree.size).toBe(3)
    const root = toHex(tree.root())
    input.fill(0)
    tree.root().fill(0)
    tree.leaf(0).fill(0)
    for (const hash of [...tree.inclusionProof(2), ...tree.consistencyProof(1)]) hash.fill(0)
    expect(toHex(tree.root())).toBe(root)
    expect(toHex(tree.leaf(0))).toBe(toHex(leafHash(Uint8Array.of(1))))
  })

  it('refuses leaf hashes that are not 32 bytes, and sizes or indices it does not have', () => {
    const tree = MerkleTree.from(leaves.slice(0, 5))
    expect(() => tree.append(new Uint8Array(31))).toThrow(RangeError)
    expect(tree.size).toBe(5)
    expect(() => tree.root(6)).toThrow(RangeError)
    expect(() => tree.root(-1)).toThrow(RangeError)
    expect(() => tree.root(1.5)).toThrow(RangeError)
    expect(() => tree.leaf(5)).toThrow(RangeError)
    expect(() => tree.inclusionProof(5)).toThrow(RangeError)
    expect(() => tree.inclusionProof(0, 0)).toThrow(RangeError)
    expect(() => tree.inclusionProof(2, 6)).toThrow(RangeError)
    expect(() => tree.consistencyProof(4, 3)).toThrow(RangeError)
    expect(() => tree.consistencyProof(2, 6)).toThrow(RangeError)
    expect(() => inclusionProof(leaves.slice(0, 5), 5)).toThrow(RangeError)
    expect(() => consistencyProof(leaves.slice(0, 5), 3, 6)).toThrow(RangeError)
    expect(() => rootOf([new Uint8Array(5)])).toThrow(RangeError)
  })

  it('keeps answering for past sizes as it grows past chunk boundaries', () => {
    const tree = new MerkleTree()
    for (let size = 1; size <= 2100; size++) {
      tree.append(leaves[size - 1] as Uint8Array)
      if (size % 97 === 0 || size === 1024 || size === 1025 || size === 2048 || size === 2049) {
        expect(toHex(tree.root())).toBe(toHex(ref.root(size)))
        expect(toHex(tree.root(size >> 1))).toBe(toHex(ref.root(size >> 1)))
      }
    }
  })
})
