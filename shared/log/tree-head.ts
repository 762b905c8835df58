import * as v from 'valibot'
import {
  concatBytes,
  fromBase64url,
  lengthPrefixed,
  type SignKeyPair,
  type SignPublicKey,
  signDetached,
  signPublicKey,
  toBase64url,
  u32be,
  verifyDetached,
} from '../crypto'

/**
 * A signed tree head: the relay's statement "community C's log holds `size` leaves whose Merkle
 * root is `root`, as of `time`", signed with the relay's own log key. Brokers keep the last head
 * they verified and ask for a consistency proof from it on every sync; a complainant's receipt
 * holds one, with the proof that their report is a leaf under it. Size and root are only
 * meaningful together, which is why both are always signed together.
 *
 * The signature covers a fixed binary layout (must not change), not JSON text:
 *   lengthPrefixed(community) ‖ u32 size high ‖ u32 size low ‖ root (32) ‖ lengthPrefixed(time)
 * under the domain `heard/tree-head/v1`.
 */

export const TREE_HEAD_SIGNING_DOMAIN = 'heard/tree-head/v1' // must not change
export const TREE_HEAD_VERSION = 1

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/

export const SignedTreeHeadSchema = v.strictObject({
  v: v.literal(TREE_HEAD_VERSION),
  community: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  size: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER)),
  /** base64url of the 32-byte Merkle root. */
  root: v.pipe(v.string(), v.length(43)),
  time: v.pipe(v.string(), v.regex(ISO_UTC)),
  /** base64url of the 64-byte Ed25519 signature. */
  signature: v.pipe(v.string(), v.length(86)),
})
export type SignedTreeHead = v.InferOutput<typeof SignedTreeHeadSchema>
export type TreeHead = Omit<SignedTreeHead, 'signature'>

/** The exact bytes a tree head's signature covers. Throws RangeError for a malformed root. */
export function treeHeadMessage(head: TreeHead): Uint8Array {
  const root = fromBase64url(head.root)
  if (root?.length !== 32) throw new RangeError('A tree head root is 32 bytes of base64url')
  return concatBytes(
    lengthPrefixed(head.community),
    u32be(Math.floor(head.size / 2 ** 32)),
    u32be(head.size % 2 ** 32),
    root,
    lengthPrefixed(head.time),
  )
}

export function signTreeHead(head: TreeHead, logKey: SignKeyPair): SignedTreeHead {
  const signature = signDetached(TREE_HEAD_SIGNING_DOMAIN, treeHeadMessage(head), logKey.secretKey)
  return { ...head, signature: toBase64url(signature) }
}

/**
 * The tree head in `input` if it is well formed, signed by `logKey` (base64url Ed25519 public
 * key) and about `community`; otherwise null. Never throws.
 */
export function verifyTreeHead(input: unknown, logKey: string, community: string): TreeHead | null {
  const parsed = v.safeParse(SignedTreeHeadSchema, input)
  if (!parsed.success || parsed.output.community !== community) return null
  const { signature, ...head } = parsed.output
  const key = fromBase64url(logKey)
  const sig = fromBase64url(signature)
  if (key?.length !== 32 || !sig) return null
  try {
    const ok = verifyDetached(
      TREE_HEAD_SIGNING_DOMAIN,
      treeHeadMessage(head),
      sig,
      signPublicKey(key) as SignPublicKey,
    )
    return ok ? head : null
  } catch {
    return null
  }
}
