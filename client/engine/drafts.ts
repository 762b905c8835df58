import { fromUtf8, openAtRest, randomBytes, sealAtRest, toBase64url, utf8 } from '../../shared/crypto'
import { EMPTY_FORM, type ReportForm } from '../report/report-form'
import { heardDb } from './db'
import { deviceKey } from './device-key'

/**
 * Browser only. Drafts sealed at rest under the device key: IndexedDB holds ciphertext only, so a
 * copy of the browser profile shows that drafts exist but not what they say.
 */

export interface DraftSummary {
  readonly id: string
  readonly updatedAt: string
  /** The first words, for the person to recognise it; shown only on their own screen. */
  readonly preview: string
}

export const newDraftId = (): string => toBase64url(randomBytes(12))

/** Minutes are enough to tell drafts apart and say less about when someone wrote. */
const coarseNow = (): string => `${new Date().toISOString().slice(0, 16)}Z`

export async function saveDraft(id: string, community: string, form: ReportForm): Promise<void> {
  const sealed = await sealAtRest(utf8(JSON.stringify(form)), await deviceKey())
  await heardDb().drafts.put({ id, community, updatedAt: coarseNow(), sealed })
}

export async function loadDraft(id: string): Promise<ReportForm | null> {
  const row = await heardDb().drafts.get(id)
  if (!row) return null
  const form = JSON.parse(fromUtf8(await openAtRest(row.sealed, await deviceKey()))) as Partial<ReportForm>
  return { ...EMPTY_FORM, ...form }
}

export async function listDrafts(community: string): Promise<DraftSummary[]> {
  const rows = await heardDb().drafts.where('community').equals(community).toArray()
  const key = await deviceKey()
  const summaries: DraftSummary[] = []
  for (const row of rows) {
    let preview: string
    try {
      const form = JSON.parse(fromUtf8(await openAtRest(row.sealed, key))) as Partial<ReportForm>
      preview = (form.text ?? '').trim().replace(/\s+/g, ' ').slice(0, 80)
    } catch {
      // Sealed under a key this browser no longer has: still listed, so it can be deleted knowingly.
      preview = ''
    }
    summaries.push({ id: row.id, updatedAt: row.updatedAt, preview })
  }
  return summaries.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
}

/** A draft is the person's own unsent text on their own device: deleting it is their right. */
export async function deleteDraft(id: string): Promise<void> {
  await heardDb().drafts.delete(id)
}
