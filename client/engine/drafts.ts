import {
  fromUtf8,
  openAtRest,
  openFromKey,
  randomBytes,
  sealAtRest,
  sealToKey,
  toBase64url,
  utf8,
} from '../../shared/crypto'
import { EMPTY_FORM, type ReportForm } from '../report/report-form'
import { type DraftRow, heardDb } from './db'
import { deviceKey } from './device-key'
import { lockPublicKey, lockState, unlockedSecret } from './draft-lock'

/**
 * Browser only. Drafts sealed at rest under the device key: IndexedDB holds ciphertext only, so a
 * copy of the browser profile shows that drafts exist but not what they say. With a PIN, each draft
 * is first sealed to the PIN's public key, so opening one also needs the PIN.
 */

export interface DraftSummary {
  readonly id: string
  readonly updatedAt: string
  /** The first words, for the person to recognise it; null while the PIN has not been entered. */
  readonly preview: string | null
}

export const newDraftId = (): string => toBase64url(randomBytes(12))

/** Minutes are enough to tell drafts apart and say less about when someone wrote. */
const coarseNow = (): string => `${new Date().toISOString().slice(0, 16)}Z`

async function sealForm(form: ReportForm): Promise<Pick<DraftRow, 'sealed' | 'locked'>> {
  const plain = utf8(JSON.stringify(form))
  const pinKey = await lockPublicKey()
  const inner = pinKey ? sealToKey(plain, pinKey) : plain
  return { sealed: await sealAtRest(inner, await deviceKey()), locked: pinKey !== null }
}

async function openForm(row: DraftRow): Promise<ReportForm> {
  const inner = await openAtRest(row.sealed, await deviceKey())
  const plain = row.locked ? openFromKey(inner, unlockedSecret()) : inner
  return { ...EMPTY_FORM, ...(JSON.parse(fromUtf8(plain)) as Partial<ReportForm>) }
}

export async function saveDraft(id: string, community: string, form: ReportForm): Promise<void> {
  await heardDb().drafts.put({ id, community, updatedAt: coarseNow(), ...(await sealForm(form)) })
}

export async function loadDraft(id: string): Promise<ReportForm | null> {
  const row = await heardDb().drafts.get(id)
  return row ? openForm(row) : null
}

export async function listDrafts(community: string): Promise<DraftSummary[]> {
  const rows = await heardDb().drafts.where('community').equals(community).toArray()
  const open = (await lockState()) !== 'locked'
  const summaries: DraftSummary[] = []
  for (const row of rows) {
    let preview: string | null = null
    if (open || !row.locked) {
      try {
        preview = (await openForm(row)).text.trim().replace(/\s+/g, ' ').slice(0, 80)
      } catch {
        // Sealed under a key this browser no longer has: still listed, so it can be deleted knowingly.
        preview = ''
      }
    }
    summaries.push({ id: row.id, updatedAt: row.updatedAt, preview })
  }
  return summaries.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
}

/**
 * Open every draft, run `change` (set, change or remove the PIN), then seal every draft again the
 * new way. Needs the drafts open; a draft that cannot be opened is left as it is.
 */
export async function resealDrafts(change: () => Promise<void>): Promise<void> {
  const db = heardDb()
  const open: { row: DraftRow; form: ReportForm }[] = []
  for (const row of await db.drafts.toArray()) {
    try {
      open.push({ row, form: await openForm(row) })
    } catch {
      // Unreadable here already; re-sealing cannot help it.
    }
  }
  await change()
  for (const { row, form } of open) await db.drafts.put({ ...row, ...(await sealForm(form)) })
}

/** A draft is the person's own unsent text on their own device: deleting it is their right. */
export async function deleteDraft(id: string): Promise<void> {
  await heardDb().drafts.delete(id)
}
