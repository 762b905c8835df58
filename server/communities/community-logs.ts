import { type SignKeyPair, signKeyPairFromSeed, toBase64url } from '../../shared/crypto'
import { MerkleTree, type SignedTreeHead, signTreeHead } from '../../shared/log'
import type { Store } from '../db/store'

/**
 * The relay's view of each community's transparency log: the leaves live in the database
 * (appended with every stored envelope, see the stores); here they are mirrored into an
 * in-memory Merkle tree per community that catches up from the database before each answer, so
 * several relay processes on one PostgreSQL each serve heads and proofs for what is committed.
 * The log key signs tree heads; its seed is a relay secret shared by every process.
 */
export interface CommunityLogs {
  /** The relay's log public key, base64url. */
  publicKey(): Promise<string>
  /** A signed head of the community's log as committed now. */
  head(community: string): Promise<SignedTreeHead>
  /** The tree as committed now (caught up from the database); read it, never append to it. */
  tree(community: string): Promise<MerkleTree>
  /** The index of a leaf (base64url leaf hash), or null. */
  indexOf(community: string, leaf: string): Promise<number | null>
  /**
   * For a leaf just committed: its index, a signed head that covers it, and the inclusion proof
   * under that head — what a receipt carries. Null if the leaf is not in the log.
   */
  inclusion(community: string, leaf: string): Promise<LogInclusion | null>
}

export interface LogInclusion {
  readonly index: number
  readonly head: SignedTreeHead
  /** base64url hashes, leaf to root. */
  readonly proof: readonly string[]
}

const CATCH_UP_PAGE = 10_000

export function createCommunityLogs(store: Store, now: () => Date): CommunityLogs {
  const trees = new Map<string, { tree: MerkleTree; indexOf: Map<string, number> }>()
  // One catch-up at a time per community: two at once would append the same leaves twice.
  const pending = new Map<string, Promise<{ tree: MerkleTree; indexOf: Map<string, number> }>>()
  let key: Promise<SignKeyPair> | null = null
  const logKey = () => {
    key ??= store.relaySecret('log-signing-key-seed').then((seed) => signKeyPairFromSeed(seed))
    return key
  }

  async function catchUp(community: string) {
    const entry = trees.get(community) ?? { tree: new MerkleTree(), indexOf: new Map<string, number>() }
    trees.set(community, entry)
    const size = await store.logSize(community)
    while (entry.tree.size < size) {
      const leaves = await store.listLogLeaves(community, entry.tree.size, CATCH_UP_PAGE)
      if (leaves.length === 0) break
      for (const leaf of leaves) {
        // Leaves are gap-free by construction; anything else is a broken database, not a log.
        if (leaf.idx !== entry.tree.size)
          throw new Error(`log of ${community} has a gap at ${entry.tree.size}`)
        entry.indexOf.set(toBase64url(leaf.leaf), entry.tree.append(leaf.leaf))
      }
      // A long catch-up (a restart on a large log) must not stop every other request meanwhile:
      // SQLite reads are synchronous, so let the event loop turn between pages.
      await new Promise((resolve) => setImmediate(resolve))
    }
    return entry
  }

  function current(community: string) {
    const running = pending.get(community)
    if (running) return running
    const next = catchUp(community).finally(() => pending.delete(community))
    pending.set(community, next)
    return next
  }

  /** Wait for the catch-up under way, then run one that surely started after the caller's commit. */
  async function fresh(community: string) {
    await pending.get(community)?.catch(() => undefined)
    return current(community)
  }

  // One signature per community, size and second: concurrent receipts share the head.
  const heads = new Map<string, SignedTreeHead>()
  async function signedHead(community: string, tree: MerkleTree): Promise<SignedTreeHead> {
    const key = await logKey()
    // From here on nothing awaits: the receipts of one commit, resumed one after another, find the
    // head the first of them signed instead of each signing the same one again.
    const time = new Date(Math.floor(now().getTime() / 1000) * 1000).toISOString()
    const cached = heads.get(community)
    if (cached && cached.size === tree.size && cached.time === time) return cached
    const head = signTreeHead({ v: 1, community, size: tree.size, root: toBase64url(tree.root()), time }, key)
    heads.set(community, head)
    return head
  }

  return {
    async inclusion(community, leaf) {
      // Most receipts find their leaf mirrored already (one catch-up serves a whole batch of
      // commits); only a leaf not yet seen costs a catch-up, one that started after its commit.
      let entry = trees.get(community)
      if (!entry?.indexOf.has(leaf)) entry = await fresh(community)
      const index = entry.indexOf.get(leaf)
      if (index === undefined) return null
      const head = await signedHead(community, entry.tree)
      return { index, head, proof: entry.tree.inclusionProof(index, head.size).map(toBase64url) }
    },
    async publicKey() {
      return toBase64url((await logKey()).publicKey)
    },
    async head(community) {
      return signedHead(community, (await current(community)).tree)
    },
    async tree(community) {
      return (await current(community)).tree
    },
    async indexOf(community, leaf) {
      return (await current(community)).indexOf.get(leaf) ?? null
    },
  }
}
