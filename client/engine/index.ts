import type { FollowUp, Manifest } from '../../shared/protocol'
import type { ReportForm } from '../report/report-form'
import { type ChunkStore, durableChunks, memoryChunks } from './chunk-store'
import type { OutboxRow } from './db'
import { lockState, MIN_PIN_LENGTH, removePin, setPin, unlock } from './draft-lock'
import { deleteDraft, listDrafts, loadDraft, newDraftId, resealDrafts, saveDraft } from './drafts'
import { receiptCheck, stillHeldCheck } from './held'
import { createOutbox, type Outbox } from './outbox'
import { durableOutbox, memoryOutbox } from './outbox-store'
import { type EvidenceFile, prepareAttachments, sealAttachmentRows, uploadOf } from './seal-attachments'
import { reportFromForm, sealReport } from './seal-report'
import { loadCommunityTrust } from './trust'

/**
 * Browser only. Everything the complainant screens do that needs IndexedDB or cryptography, behind
 * one dynamic import: the first screen paints and takes keystrokes before Dexie and tweetnacl load.
 */

export type { LogCheck, OutboxRow } from './db'
export type { DraftSummary } from './drafts'
export type { TransparencyView } from './transparency'
export { loadTransparency } from './transparency'
export type { CommunityTrust, TrustProblem } from './trust'

export type StorageDurability = 'persistent' | 'best-effort' | 'unknown'

let durable: Outbox | null = null
let memory: Outbox | null = null
const chunkStores = { durable: durableChunks(), memory: memoryChunks() }

const durableBox = (): Outbox => {
  durable ??= createOutbox(durableOutbox(), {
    noTrace: false,
    chunks: chunkStores.durable,
    onStored: async (row) => {
      if (row.draftId) await deleteDraft(row.draftId)
    },
    checkReceipt: receiptCheck,
  })
  return durable
}
const memoryBox = (): Outbox => {
  memory ??= createOutbox(memoryOutbox(), {
    noTrace: true,
    chunks: chunkStores.memory,
    checkReceipt: receiptCheck,
  })
  return memory
}

export const trust = loadCommunityTrust
export const drafts = {
  newId: newDraftId,
  save: saveDraft,
  load: loadDraft,
  delete: deleteDraft,
  /** Drafts the person is still working on: not those whose report is queued or already sent. */
  async list(community: string) {
    const queued = new Set(
      (await durableBox().list(community)).filter((r) => r.state !== 'refused').map((r) => r.draftId),
    )
    return (await listDrafts(community)).filter((d) => !queued.has(d.id))
  },
}

/** The optional PIN over drafts on this device. */
export const draftPin = {
  MIN_LENGTH: MIN_PIN_LENGTH,
  state: lockState,
  unlock,
  /** Set (or change) the PIN: every draft is sealed again behind it. Drafts must be open. */
  async set(pin: string) {
    if ((await lockState()) === 'locked') throw new Error('enter the current PIN first')
    await resealDrafts(() => setPin(pin))
  },
  async remove() {
    if ((await lockState()) === 'locked') throw new Error('enter the current PIN first')
    await resealDrafts(removePin)
  },
}
export type { LockState } from './draft-lock'

/** Start sending whatever an earlier visit left queued. */
export function startOutbox(): void {
  void durableBox().flush()
}

/** The device could not keep the sealed files until they are sent (usually: out of space). */
export class EvidenceNotKept extends Error {
  constructor(cause: unknown) {
    super('The sealed files could not be kept on this device', { cause })
    this.name = 'EvidenceNotKept'
  }
}

/**
 * Seal the report to the pinned brokers and queue it. Resolves once it is safely queued (on the
 * device, or only in this tab in no-trace mode); sending happens after, and is observable.
 * Attachments are sealed with it (their keys ride inside the report) and follow it chunk by chunk.
 * If the device cannot keep the sealed files, nothing is queued and EvidenceNotKept says why.
 */
export async function sendReport(
  form: ReportForm,
  manifest: Manifest,
  followUp: FollowUp | null,
  options: { readonly noTrace: boolean; readonly draftId: string },
  evidence: readonly EvidenceFile[] = [],
): Promise<string> {
  const prepared = await prepareAttachments(evidence)
  const report = reportFromForm(form, followUp)
  const sealed = await sealReport(
    prepared.length > 0 ? { ...report, attachments: prepared.map((p) => p.ref) } : report,
    manifest,
  )
  const chunks: ChunkStore = options.noTrace ? chunkStores.memory : chunkStores.durable
  try {
    await chunks.putAll(await sealAttachmentRows(prepared, manifest.community, sealed.id))
  } catch (error) {
    throw new EvidenceNotKept(error)
  }
  // The words stay sealed at rest until the receipt arrives, so a refusal never loses them.
  if (!options.noTrace) await saveDraft(options.draftId, manifest.community, form)
  const outbox = options.noTrace ? memoryBox() : durableBox()
  await outbox.enqueue({
    id: sealed.id,
    community: manifest.community,
    envelopeText: sealed.envelopeText,
    ...(followUp ? { mailbox: followUp.mailbox } : {}),
    ...(options.noTrace ? {} : { draftId: options.draftId }),
    ...(prepared.length > 0 ? { attachments: prepared.map(uploadOf) } : {}),
  })
  return sealed.id
}

export type { EvidenceFile } from './seal-attachments'
export { paddedTotal } from './seal-attachments'

export async function listReports(community: string): Promise<OutboxRow[]> {
  const [a, b] = await Promise.all([durableBox().list(community), memoryBox().list(community)])
  return [...a, ...b].sort((x, y) => y.createdAt.localeCompare(x.createdAt))
}

export async function reportState(id: string): Promise<OutboxRow | undefined> {
  return (await memoryBox().get(id)) ?? (await durableBox().get(id))
}

/**
 * "Is my report still held?" for a report sent from this device: a fresh signed head, the report
 * still in the log, and the relay still holding the same envelope. Kept with the report.
 * Throws RelayUnreachable when the relay cannot be reached (nothing is kept then).
 */
export async function checkStillHeld(id: string): Promise<void> {
  const inMemory = await memoryBox().get(id)
  const box = inMemory ? memoryBox() : durableBox()
  const row = inMemory ?? (await durableBox().get(id))
  if (!row?.receipt) return
  await box.noteCheck(id, await stillHeldCheck(row))
}

export function watchReports(listener: () => void): () => void {
  const a = durableBox().subscribe(listener)
  const b = memoryBox().subscribe(listener)
  return () => {
    a()
    b()
  }
}

/** Ask the browser not to evict Heard's data under storage pressure, and say what it answered. */
export async function requestPersistence(): Promise<StorageDurability> {
  if (!navigator.storage?.persist) return 'unknown'
  try {
    if (await navigator.storage.persisted()) return 'persistent'
    return (await navigator.storage.persist()) ? 'persistent' : 'best-effort'
  } catch {
    return 'unknown'
  }
}

export type { FollowUpKeys } from '../../shared/crypto'
export { checkConfirmation, confirmationChallenge } from '../../shared/crypto'
export type { DirectoryRefusal, DirectoryRefusalCode, DirectoryView } from './directory'
export { loadDirectory } from './directory'
export { prepareFollowUp } from './follow-up'
export type { MailboxMessage, OpenedMailbox } from './mailbox'
export { openMailbox, readMailbox, sendAnswer } from './mailbox'
