import { describe, expect, it } from 'vitest'
import { deadlinesOf } from './deadlines'

const at = (iso: string) => new Date(iso)
const received = '2026-01-01T10:00:00.000Z'

describe('case deadlines', () => {
  it('flags an unacknowledged report after 7 days and unanswered after 92, by default', () => {
    const fresh = deadlinesOf(
      { receivedAt: received, status: 'new', replied: false },
      {},
      at('2026-01-08T09:00:00Z'),
    )
    expect(fresh).toMatchObject({ ageDays: 6, acknowledgeOverdue: false, feedbackOverdue: false })
    const late = deadlinesOf(
      { receivedAt: received, status: 'new', replied: false },
      {},
      at('2026-01-08T11:00:00Z'),
    )
    expect(late.acknowledgeOverdue).toBe(true)
    const months = deadlinesOf(
      { receivedAt: received, status: 'acknowledged', replied: false },
      {},
      at('2026-04-04T00:00:00Z'),
    )
    expect(months).toMatchObject({ acknowledgeOverdue: false, feedbackOverdue: true })
  })

  it("counts a reply as both, closing as feedback, and honours the community's own days", () => {
    const now = at('2026-12-31T00:00:00Z')
    expect(deadlinesOf({ receivedAt: received, status: 'new', replied: true }, {}, now)).toMatchObject({
      acknowledgeOverdue: false,
      feedbackOverdue: false,
    })
    expect(
      deadlinesOf({ receivedAt: received, status: 'closed', replied: false }, {}, now).feedbackOverdue,
    ).toBe(false)
    const strict = deadlinesOf(
      { receivedAt: received, status: 'new', replied: false },
      { deadlines: { acknowledgeDays: 1, feedbackDays: 30 } },
      at('2026-01-02T11:00:00Z'),
    )
    expect(strict.acknowledgeOverdue).toBe(true)
    expect(strict.feedbackBy.toISOString()).toBe('2026-01-31T10:00:00.000Z')
  })
})
