import {
  type ContentKey,
  type ContentKeyOpener,
  contentKey,
  fromBase64url,
  openWithContentKey,
  sha256,
  toBase64url,
  utf8,
} from '../../../shared/crypto'
import {
  canonicalEnvelopeText,
  decodeReport,
  type EnvelopeV1Json,
  envelopeFromJson,
  envelopeHash,
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
  /** This broker's own key, as contentKeyOpener gives it. */
  openKey: ContentKeyOpener,
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
  const kept = {
    id: json.id,
    ...base,
    sealedTo: json.recipients.map((r) => r.kid),
    hash: await envelopeHash(json),
  }
  const unreadable = (error: unknown): ReportRecord => ({
    ...kept,
    report: null,
    unreadable: codeOf(error),
    envelope: canonicalEnvelopeText(json),
  })
  let key: ContentKey
  try {
    key = granted?.key ?? (await openKey(envelope))
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

/** What a page at rest keeps of a report besides its envelope: never the opened text. */
export type KeptReport = Omit<ReportRecord, 'report' | 'envelope'>

export const keptOf = ({ report: _report, envelope: _envelope, ...kept }: ReportRecord): KeptReport => kept

/**
 * Open a report again from the envelope kept at rest and the content key kept with it (at
 * unlock): no key agreement, only the body. What no longer opens is shown as unreadable.
 */
export function reopenReport(keptAtRest: KeptReport, served: unknown): ReportRecord {
  let json: EnvelopeV1Json
  try {
    json = parseEnvelopeJson(served)
  } catch (error) {
    return { ...keptAtRest, report: null, unreadable: codeOf(error) }
  }
  // Pages kept before the log audit have no hash: it is computed once here, from the kept envelope.
  const kept = keptAtRest.hash
    ? keptAtRest
    : { ...keptAtRest, hash: toBase64url(sha256(utf8(canonicalEnvelopeText(json)))) }
  const key = contentKeyOf(kept)
  if (!key || json.id !== kept.id) {
    return { ...kept, report: null, envelope: canonicalEnvelopeText(json) }
  }
  try {
    return { ...kept, report: decodeReport(openWithContentKey(envelopeFromJson(json), key)) }
  } catch (error) {
    return { ...kept, report: null, unreadable: codeOf(error), envelope: canonicalEnvelopeText(json) }
  }
}

/** The content key kept with an opened report. */
export function contentKeyOf(record: Pick<ReportRecord, 'contentKey'>): ContentKey | null {
  const bytes = record.contentKey ? fromBase64url(record.contentKey) : null
  return bytes ? contentKey(bytes) : null
}
