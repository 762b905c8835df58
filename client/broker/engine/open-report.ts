import {
  boxSecretKey,
  type ContentKey,
  contentKey,
  fromBase64url,
  openContentKey,
  openWithContentKey,
  toBase64url,
  utf8,
} from '../../../shared/crypto'
import { decodeReport, envelopeOfBytes } from '../../../shared/protocol'
import type { ReportRecord } from './records'
import { requireOpen } from './vault'

/** Browser only. Opening one synced report, with this broker's key or a key a colleague granted. */

export const codeOf = (error: unknown): string => String((error as { code?: string }).code ?? 'unreadable')

/**
 * Open one synced report: with this broker's own key when it was sealed to them, else with a key a
 * colleague granted. Never throws: what cannot be opened is kept, saying why.
 */
export async function openReport(
  item: { readonly seq: number; readonly receivedAt: string; readonly envelope: string },
  granted?: { readonly key: ContentKey; readonly by: string },
): Promise<ReportRecord> {
  const { secrets } = requireOpen()
  const base = { seq: item.seq, receivedAt: item.receivedAt, envelope: item.envelope }
  let envelope: ReturnType<typeof envelopeOfBytes>
  try {
    envelope = envelopeOfBytes(utf8(item.envelope))
  } catch (error) {
    const id = String((JSON.parse(item.envelope) as { id?: unknown }).id ?? '')
    return { id, ...base, report: null, unreadable: codeOf(error) }
  }
  const id = envelope.id
  let key: ContentKey
  try {
    key = granted?.key ?? (await openContentKey(envelope, boxSecretKey(secrets.box)))
  } catch (error) {
    return { id, ...base, report: null, unreadable: codeOf(error) }
  }
  try {
    const report = decodeReport(openWithContentKey(envelope, key))
    return {
      id,
      ...base,
      report,
      contentKey: toBase64url(key),
      ...(granted ? { grantedBy: granted.by } : {}),
    }
  } catch (error) {
    return { id, ...base, report: null, unreadable: codeOf(error) }
  }
}

/** The content key kept with an opened report. */
export function contentKeyOf(record: ReportRecord): ContentKey | null {
  const bytes = record.contentKey ? fromBase64url(record.contentKey) : null
  return bytes ? contentKey(bytes) : null
}
