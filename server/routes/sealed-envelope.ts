import type { Context } from 'hono'
import { envelopeIdOf, sha256Async, toBase64url } from '../../shared/crypto'
import {
  canonicalEnvelopeBytes,
  canonicalEnvelopeText,
  decodeField,
  type EnvelopeKind,
  type EnvelopeV1Json,
  ProtocolError,
  parseEnvelopeJson,
} from '../../shared/protocol'
import { splitEnvelopeText } from '../db/store'

/** An envelope a write route may store: checked, and cut into the parts the store keeps. */
export interface CheckedEnvelope {
  readonly envelope: EnvelopeV1Json
  /** Key ids of its recipients (base64url), to check against the current team. */
  readonly recipientKeyIds: ReadonlySet<string>
  /** base64url SHA-256 of the canonical text: what receipts promise. */
  readonly hash: string
  readonly head: string
  readonly ct: Uint8Array
}

/**
 * The checks every write route makes on an envelope, in one place: its shape and version, that it
 * belongs to the URL's community and is of the route's kind, that its id belongs to its ephemeral
 * key, and that no recipient is named twice. Throws the ProtocolError that says which failed.
 */
export async function checkEnvelope(
  body: unknown,
  community: string,
  kind: EnvelopeKind,
): Promise<CheckedEnvelope> {
  const envelope = parseEnvelopeJson(body)
  if (envelope.community !== community) throw new ProtocolError('community_mismatch')
  if (envelope.kind !== kind) throw new ProtocolError('wrong_kind')
  const ct = decodeField(envelope.ct)
  if (envelope.id !== envelopeIdOf(decodeField(envelope.epk))) throw new ProtocolError('id_mismatch')
  const recipientKeyIds = new Set(envelope.recipients.map((r) => r.kid))
  if (recipientKeyIds.size !== envelope.recipients.length) throw new ProtocolError('duplicate_recipient')
  return {
    envelope,
    recipientKeyIds,
    // Built around the ciphertext rather than from one long string of it: the relay does this for
    // every report, and the ciphertext is nearly all of the envelope.
    hash: toBase64url(await sha256Async(canonicalEnvelopeBytes(envelope))),
    head: splitEnvelopeText(canonicalEnvelopeText({ ...envelope, ct: '' })),
    ct,
  }
}

/** What a store answers for one envelope write; the refusals are codes from the error catalogue. */
export type WriteOutcome<Receipt> =
  | { readonly kind: 'stored' | 'duplicate'; readonly receipt: Receipt }
  | { readonly kind: 'conflict' }
  | { readonly kind: 'unknown_community' | 'unknown_case' | 'no_current_recipient' }

/** 201 for a new envelope, 200 with the original receipt for a retry, a typed refusal otherwise. */
export function answerWrite<Receipt>(c: Context, outcome: WriteOutcome<Receipt>): Response {
  switch (outcome.kind) {
    case 'stored':
      return c.json({ receipt: outcome.receipt }, 201)
    case 'duplicate':
      return c.json({ receipt: outcome.receipt }, 200)
    case 'conflict':
      throw new ProtocolError('id_conflict')
    default:
      throw new ProtocolError(outcome.kind)
  }
}
