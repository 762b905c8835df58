import type { Manifest } from '../../shared/protocol'

/**
 * Platform-neutral. Whistleblowing law in the EU (Directive 2019/1937, art. 9) asks for an
 * acknowledgement within 7 days and feedback within 3 months; a community may set its own.
 */
export const DEFAULT_DEADLINES = { acknowledgeDays: 7, feedbackDays: 92 } as const
const DAY_MS = 24 * 60 * 60 * 1000

export interface CaseFacts {
  readonly receivedAt: string
  readonly status: string
  /** Whether a verified reply event exists for the case. */
  readonly replied: boolean
}

export interface Deadlines {
  readonly ageDays: number
  readonly acknowledgeBy: Date
  readonly feedbackBy: Date
  readonly acknowledgeOverdue: boolean
  readonly feedbackOverdue: boolean
}

export function deadlinesOf(facts: CaseFacts, manifest: Pick<Manifest, 'deadlines'>, now: Date): Deadlines {
  const policy = manifest.deadlines ?? DEFAULT_DEADLINES
  const received = Date.parse(facts.receivedAt)
  const acknowledgeBy = new Date(received + policy.acknowledgeDays * DAY_MS)
  const feedbackBy = new Date(received + policy.feedbackDays * DAY_MS)
  const acknowledged = facts.status !== 'new' || facts.replied
  const answered = facts.replied || facts.status === 'closed'
  return {
    ageDays: Math.max(0, Math.floor((now.getTime() - received) / DAY_MS)),
    acknowledgeBy,
    feedbackBy,
    acknowledgeOverdue: !acknowledged && now > acknowledgeBy,
    feedbackOverdue: !answered && now > feedbackBy,
  }
}
