import {
  type BoxSecretKey,
  type ContentKey,
  contentKey,
  fromBase64url,
  openContentKey,
  openWithContentKey,
  toBase64url,
} from '../../../shared/crypto'
import {
  canonicalEnvelopeText,
  decodeReport,
  type EnvelopeV1Json,
  envelopeFromJson,
  parseEnvelopeJson,
} from '../../../shared/protocol'
import type { ReportRecord } from './records'

/** Browser only. Opening one synced report, with this broker's key or a key a colleague granted. */

export const codeOf = (error: unknown): string => String((error as { code?: string }).code ?? 'unreadable')

export interface SyncedItem {
  readonly seq: number
  readonly receivedAt: string
  /** The envelope as the relay served it (untrusted JSON), or as this device kept it (text). */
  readonly envelope: unknown
}

/**
 * Open one synced report: with this broker's own key when it was sealed to them, else with a key a
 * colleague granted. Never throws: what cannot be opened is kept, saying why, with its envelope.
 */
export async function openReport(
  item: SyncedItem,
  secretKey: BoxSecretKey,
  granted?: { readonly key: ContentKey; readonly by: string },
): Promise<ReportRecord> {
  const base = { seq: item.seq, receivedAt: item.receivedAt }
  let json: EnvelopeV1Json
  try {
    json = parseEnvelopeJson(typeof item.envelope === 'string' ? JSON.parse(item.envelope) : item.envelope)
  } catch (error) {
    const id = (item.envelope as { id?: unknown } | null)?.id
    return {
      id: typeof id === 'string' ? id : '',
      ...base,
      report: null,
      sealedTo: [],
      unreadable: codeOf(error),
    }
  }
  const envelope = envelopeFromJson(json)
  const kept = { id: json.id, ...base, sealedTo: json.recipients.map((r) => r.kid) }
  const unreadable = (error: unknown): ReportRecord => ({
    ...kept,
    report: null,
    unreadable: codeOf(error),
    envelope: canonicalEnvelopeText(json),
  })
  let key: ContentKey
  try {
    key = granted?.key ?? (await openContentKey(envelope, secretKey))
  } catch (error) {
    return unreadable(error)
  }
  try {
    const report = decodeReport(openWithContentKey(envelope, key))
    return { ...kept, report, contentKey: toBase64url(key), ...(granted ? { grantedBy: granted.by } : {}) }
  } catch (error) {
    return unreadable(error)
  }
}

/** The content key kept with an opened report. */
export function contentKeyOf(record: ReportRecord): ContentKey | null {
  const bytes = record.contentKey ? fromBase64url(record.contentKey) : null
  return bytes ? contentKey(bytes) : null
}
