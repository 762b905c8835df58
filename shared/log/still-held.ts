import * as v from 'valibot'
import { fromBase64url, toBase64url } from '../crypto'
import { envelopeHash, parseEnvelopeJson } from '../protocol'
import { logLeafHash } from './leaf'
import { verifyConsistency, verifyInclusion } from './merkle'
import { type TreeHead, verifyTreeHead } from './tree-head'

/**
 * A complainant's checks of their receipt (issue #5). When the receipt arrives: its head is signed
 * by the log key the community recorded, and the report is a leaf under it. Later, "Is my report
 * still held?": a fresh signed head that extends the receipt's, the report still a leaf under it,
 * and the relay still holding the very envelope that was sent. Each answer names what failed.
 */

export type HeldProblem =
  /** The community has not recorded a log key: nothing can be checked (said, never hidden). */
  | 'no_log_key'
  /** The receipt carries no log entry (a relay older than the log). */
  | 'no_log_entry'
  /** The receipt's head or proof does not check out. */
  | 'bad_receipt'
  /** The relay's current head is malformed or not signed by the community's log key. */
  | 'bad_head'
  /** The log is now smaller than when the report was stored. */
  | 'rolled_back'
  /** The log no longer extends the one the receipt was given under. */
  | 'not_consistent'
  /** The report's entry is no longer in the log where the receipt placed it. */
  | 'not_included'
  /** The relay no longer holds the report. */
  | 'report_missing'
  /** The relay holds something else under the report's id. */
  | 'report_altered'

export type HeldCheck =
  | { readonly ok: true; readonly head: TreeHead }
  | { readonly ok: false; readonly problem: HeldProblem }

/** The log part of a receipt, as the relay sent it (untrusted until checked). */
export interface ReceiptLog {
  readonly index: number
  readonly head: unknown
  readonly proof: readonly string[]
}

export interface HeldSource {
  head(): Promise<unknown>
  consistency(from: number, to: number): Promise<unknown>
  /** The inclusion answer, or null when the relay says it has no such leaf. */
  inclusion(leaf: string, size: number): Promise<unknown>
  /** The envelope the relay holds under the report's id (JSON), or null when it holds none. */
  envelope(): Promise<unknown>
}

interface ReceiptFacts {
  readonly community: string
  /** The log key the community's pinned manifest records (base64url), if any. */
  readonly logKey: string | undefined
  /** The envelope hash of the report as sent (the device computed it, and the receipt matched it). */
  readonly envelopeHash: string
  readonly log: ReceiptLog | undefined
}

const problem = (p: HeldProblem): HeldCheck => ({ ok: false, problem: p })

const hashesOf = (list: unknown): Uint8Array[] | null => {
  if (!Array.isArray(list) || list.length > 64) return null
  const out: Uint8Array[] = []
  for (const item of list) {
    const bytes = typeof item === 'string' ? fromBase64url(item) : null
    if (bytes?.length !== 32) return null
    out.push(bytes)
  }
  return out
}

const rootOf = (head: TreeHead) => fromBase64url(head.root) as Uint8Array

/** The receipt's own promise: signed head, and the report a leaf under it. No network. */
export function checkReceipt(facts: ReceiptFacts): HeldCheck {
  if (!facts.logKey) return problem('no_log_key')
  if (!facts.log) return problem('no_log_entry')
  const head = verifyTreeHead(facts.log.head, facts.logKey, facts.community)
  const proof = hashesOf(facts.log.proof)
  if (!head || !proof) return problem('bad_receipt')
  const leaf = logLeafHash('report', facts.envelopeHash)
  return verifyInclusion(leaf, facts.log.index, head.size, proof, rootOf(head))
    ? { ok: true, head }
    : problem('bad_receipt')
}

const ProofAnswer = v.object({ proof: v.array(v.string()) })
const InclusionAnswer = v.object({ index: v.number(), size: v.number(), proof: v.array(v.string()) })

/**
 * "Is my report still held?" Network failures are thrown (the caller says the relay could not be
 * reached); everything the relay answers is judged here.
 */
export async function checkStillHeld(
  facts: ReceiptFacts & { readonly source: HeldSource },
): Promise<HeldCheck> {
  const receipt = checkReceipt(facts)
  if (!receipt.ok) return receipt
  const log = facts.log as ReceiptLog
  const then = receipt.head
  const now = verifyTreeHead(await facts.source.head(), facts.logKey as string, facts.community)
  if (!now) return problem('bad_head')
  if (now.size < then.size) return problem('rolled_back')

  const consistency = v.safeParse(ProofAnswer, await facts.source.consistency(then.size, now.size))
  const consistencyProof = consistency.success ? hashesOf(consistency.output.proof) : null
  if (
    !consistencyProof ||
    !verifyConsistency(then.size, now.size, rootOf(then), rootOf(now), consistencyProof)
  ) {
    return problem('not_consistent')
  }

  const leaf = logLeafHash('report', facts.envelopeHash)
  const included = v.safeParse(InclusionAnswer, await facts.source.inclusion(toBase64url(leaf), now.size))
  const inclusionProof = included.success ? hashesOf(included.output.proof) : null
  if (
    !included.success ||
    !inclusionProof ||
    included.output.index !== log.index ||
    !verifyInclusion(leaf, log.index, now.size, inclusionProof, rootOf(now))
  ) {
    return problem('not_included')
  }

  const held = await facts.source.envelope()
  if (held === null) return problem('report_missing')
  let hash: string
  try {
    hash = await envelopeHash(parseEnvelopeJson(held))
  } catch {
    return problem('report_altered')
  }
  return hash === facts.envelopeHash ? { ok: true, head: now } : problem('report_altered')
}
