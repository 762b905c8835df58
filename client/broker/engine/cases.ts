import { boxPublicKey, seal, utf8 } from '../../../shared/crypto'
import {
  type CaseEventV1,
  canonicalEnvelopeText,
  decodeField,
  decodeReply,
  EnvelopeKind,
  encodeReply,
  encodeSignedCaseEvent,
  envelopeToJson,
  type Manifest,
  openEnvelopeBytes,
  type ReportV1,
  signCaseEvent,
  verifyCaseEvent,
} from '../../../shared/protocol'
import { type CaseState, foldCase } from './case-state'
import { foldForSearch, searchTextOf } from './fold-text'
import { trustedManifest } from './manifest'
import type { EventRecord } from './records'
import { communityUrl, relayFetch, relayJson } from './relay'
import { authorized } from './session'
import { loadRecords } from './stored-records'
import { requireOpen } from './vault'

/**
 * Browser only. Cases as this broker sees them: each report with the history its brokers wrote,
 * every event checked against its author's signature and the current manifest. An event that does
 * not verify is shown as rejected and changes nothing.
 */

export type { CaseStatus } from '../../../shared/protocol'

type Change = CaseEventV1['change']

export interface CaseEventView {
  readonly id: string
  readonly seq: number
  readonly receivedAt: string
  /** The verified event, or null when rejected. */
  readonly event: CaseEventV1 | null
  readonly authorName: string | null
  readonly rejected: string | null
}

export interface CaseView extends CaseState {
  readonly id: string
  readonly seq: number
  readonly receivedAt: string
  readonly report: ReportV1 | null
  readonly unreadable?: string
  /** Name of the colleague whose grant opened this report on this device. */
  readonly grantedBy?: string
  readonly events: readonly CaseEventView[]
}

function viewEvent(record: EventRecord, manifest: Manifest): CaseEventView {
  const base = { id: record.id, seq: record.seq, receivedAt: record.receivedAt }
  if (!record.signed)
    return { ...base, event: null, authorName: null, rejected: record.unreadable ?? 'unreadable' }
  const verdict = verifyCaseEvent(record.signed, manifest)
  if (!verdict.ok) return { ...base, event: null, authorName: null, rejected: verdict.reason }
  if (verdict.event.case !== record.case)
    return { ...base, event: null, authorName: null, rejected: 'wrong_case' }
  const author = manifest.brokers.find((b) => b.signKey === verdict.event.author)
  return { ...base, event: verdict.event, authorName: author?.name ?? null, rejected: null }
}

export async function loadCases(): Promise<{ cases: CaseView[]; manifest: Manifest }> {
  const manifest = await trustedManifest()
  const { reports, events } = await loadRecords()
  const byCase = new Map<string, CaseEventView[]>()
  for (const record of events) {
    const view = viewEvent(record, manifest)
    // A grant is listed under its first report but belongs to the history of every report it names.
    const change = view.event?.change
    const cases = change?.type === 'grant' ? new Set([record.case, ...change.reports]) : [record.case]
    for (const id of cases) {
      const list = byCase.get(id) ?? []
      list.push(view)
      byCase.set(id, list)
    }
  }
  const cases = reports.map((r): CaseView => {
    const history = byCase.get(r.id) ?? []
    const state = foldCase(history.map((e) => e.event))
    return {
      id: r.id,
      seq: r.seq,
      receivedAt: r.receivedAt,
      report: r.report,
      ...(r.unreadable ? { unreadable: r.unreadable } : {}),
      ...(r.grantedBy
        ? { grantedBy: manifest.brokers.find((b) => b.signKey === r.grantedBy)?.name ?? '?' }
        : {}),
      ...state,
      events: history,
    }
  })
  return { cases: cases.reverse(), manifest }
}

/**
 * Full-text search over the opened reports, on this device only: every word of the query must
 * appear in the report (text, place or links), ignoring case and accents. A plain scan rather than
 * an index: it needs no build time (indexing 10,000 reports took MiniSearch 7 s), and it finds
 * words in scripts written without spaces (Chinese, Japanese, Thai), which word indexes miss.
 */
export function searchCases(cases: readonly CaseView[], query: string): Set<string> {
  const words = foldForSearch(query).split(/\s+/).filter(Boolean)
  const hits = new Set<string>()
  if (words.length === 0) return hits
  for (const c of cases) {
    const haystack = c.report ? searchTextOf(c.report) : null
    if (haystack && words.every((w) => haystack.includes(w))) hits.add(c.id)
  }
  return hits
}

const recipientsOf = (manifest: Manifest) => manifest.brokers.map((b) => boxPublicKey(decodeField(b.boxKey)))

/** Sign a change as this broker, seal it to every current broker, and append it to the case. */
export async function recordChange(caseId: string, change: Change, manifest: Manifest): Promise<void> {
  const { community, identity, secrets } = requireOpen()
  const event: CaseEventV1 = {
    v: 1,
    case: caseId,
    at: new Date().toISOString(),
    author: identity.signKey,
    change,
  }
  const plaintext = encodeSignedCaseEvent(signCaseEvent(event, secrets.sign))
  const sealed = await seal(plaintext, recipientsOf(manifest), {
    version: 1,
    kind: EnvelopeKind.caseEvent,
    community,
  })
  await relayFetch(communityUrl(community, `/cases/${caseId}/events`), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await authorized()) },
    body: canonicalEnvelopeText(envelopeToJson(sealed)),
  })
}

/** Answer the complainant: sealed to their reply key and to the brokers, posted to their mailbox. */
export async function sendReply(view: CaseView, text: string, manifest: Manifest): Promise<void> {
  const followUp = view.report?.followUp
  if (!followUp) throw new Error('This report asked for no replies')
  const { community } = requireOpen()
  const sealed = await seal(
    encodeReply({ v: 1, text, sentAt: new Date().toISOString() }),
    [boxPublicKey(decodeField(followUp.replyKey)), ...recipientsOf(manifest)],
    { version: 1, kind: EnvelopeKind.reply, community },
  )
  await relayFetch(communityUrl(community, `/mailboxes/${followUp.mailbox}`), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(await authorized()) },
    body: canonicalEnvelopeText(envelopeToJson(sealed)),
  })
  await recordChange(view.id, { type: 'reply', mailbox: followUp.mailbox, replyId: sealed.id }, manifest)
}

export interface ThreadMessage {
  readonly seq: number
  readonly receivedAt: string
  readonly from: 'broker' | 'complainant'
  readonly text: string | null
}

/** The case's mailbox: the brokers' replies and the complainant's answers, opened here. */
export async function readThread(view: CaseView): Promise<ThreadMessage[]> {
  const followUp = view.report?.followUp
  if (!followUp) return []
  const { community, secrets } = requireOpen()
  const page = (await relayJson(communityUrl(community, `/mailboxes/${followUp.mailbox}?after=0&limit=500`), {
    headers: await authorized(),
  })) as {
    messages: { seq: number; receivedAt: string; sender: 'broker' | 'complainant'; envelope: unknown }[]
  }
  const out: ThreadMessage[] = []
  for (const m of page.messages) {
    let text: string | null = null
    try {
      text = decodeReply(await openEnvelopeBytes(utf8(JSON.stringify(m.envelope)), secrets.box)).text
    } catch {
      text = null
    }
    out.push({ seq: m.seq, receivedAt: m.receivedAt, from: m.sender, text })
  }
  return out
}
