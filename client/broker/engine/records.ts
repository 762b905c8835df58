import type { ReportV1 } from '../../../shared/protocol'

/** What a broker's device keeps for each synced report, sealed at rest under the store key. */
export interface ReportRecord {
  readonly id: string
  readonly seq: number
  readonly receivedAt: string
  /** null: not sealed to this broker's key (sent before they joined) or not readable; see `unreadable`. */
  readonly report: ReportV1 | null
  readonly unreadable?: string
  /** Key ids (base64url) the envelope was sealed to: who can open it without a grant. */
  readonly sealedTo: readonly string[]
  /**
   * The envelope's canonical text, kept only while the report cannot be opened here, so a key a
   * colleague grants later can still open it. An opened report keeps its content key instead.
   */
  readonly envelope?: string
  /** base64url content key of the envelope, kept to grant a colleague access without re-sealing. */
  readonly contentKey?: string
  /** Sign key of the broker whose grant opened this report (it was not sealed to this broker). */
  readonly grantedBy?: string
  /** The envelope hash computed on this device: what the community's log must hold for this report. */
  readonly hash?: string
}

/** A synced case event: the signed event as sealed by its author, or why it could not be read. */
export interface EventRecord {
  readonly id: string
  readonly seq: number
  readonly case: string
  readonly receivedAt: string
  /** The signed event's text and signature, still to be verified against the manifest when shown. */
  readonly signed: { readonly event: string; readonly signature: string } | null
  readonly unreadable?: string
  /** The envelope hash computed on this device: what the community's log must hold for this event. */
  readonly hash?: string
}
