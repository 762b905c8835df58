import type { CaseEventV1, CaseStatus } from '../../../shared/protocol'

/**
 * Where a case stands after its history: the verified events, in the order the relay appended
 * them, each applied on top of the last. Rejected events (null) change nothing. Pure, so every
 * broker who holds the same history computes the same state.
 */
export interface CaseState {
  readonly status: CaseStatus
  /** How a closed case ended; absent while it is open. */
  readonly outcome?: string
  readonly notes: readonly string[]
  /** A reply to the complainant was sent (feedback given). */
  readonly replied: boolean
  /** The sign key of the broker handling the case, or null. */
  readonly assignee: string | null
  /** Current tags, in the order they were first added. */
  readonly tags: readonly string[]
}

export function foldCase(events: readonly (CaseEventV1 | null)[]): CaseState {
  let status: CaseStatus = 'new'
  let outcome: string | undefined
  const notes: string[] = []
  let replied = false
  let assignee: string | null = null
  const tags = new Set<string>()
  for (const event of events) {
    const change = event?.change
    if (!change) continue
    switch (change.type) {
      case 'status':
        status = change.status
        outcome = change.status === 'closed' ? change.outcome : undefined
        break
      case 'note':
        notes.push(change.text)
        break
      case 'reply':
        replied = true
        break
      case 'assign':
        assignee = change.to
        break
      case 'tag':
        for (const tag of change.remove ?? []) tags.delete(tag)
        for (const tag of change.add ?? []) tags.add(tag)
        break
      case 'grant':
        break
    }
  }
  return { status, ...(outcome ? { outcome } : {}), notes, replied, assignee, tags: [...tags] }
}
