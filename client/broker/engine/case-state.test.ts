import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CaseEventV1 } from '../../../shared/protocol'
import { foldCase } from './case-state'

const at = '2026-11-25T10:00:00.000Z'
const ada = 'A'.repeat(43)
const bea = 'B'.repeat(43)
const ev = (change: CaseEventV1['change']): CaseEventV1 => ({
  v: 1,
  case: 'c'.repeat(22),
  at,
  author: ada,
  change,
})

describe('foldCase', () => {
  it('starts new, unassigned, untagged', () => {
    expect(foldCase([])).toEqual({ status: 'new', notes: [], replied: false, assignee: null, tags: [] })
  })

  it('applies each verified change in order; rejected events change nothing', () => {
    const state = foldCase([
      ev({ type: 'status', status: 'acknowledged' }),
      null,
      ev({ type: 'assign', to: ada }),
      ev({ type: 'tag', add: ['urgent', 'off-wiki'] }),
      ev({ type: 'note', text: 'first' }),
      ev({ type: 'assign', to: bea }),
      ev({ type: 'tag', add: ['repeat'], remove: ['urgent'] }),
      ev({ type: 'status', status: 'closed', outcome: 'resolved' }),
      ev({ type: 'reply', mailbox: 'm'.repeat(22), replyId: 'r'.repeat(22) }),
      ev({ type: 'note', text: 'second' }),
    ])
    expect(state).toEqual({
      status: 'closed',
      outcome: 'resolved',
      notes: ['first', 'second'],
      replied: true,
      assignee: bea,
      tags: ['off-wiki', 'repeat'],
    })
  })

  it('reopening a closed case drops its outcome; unassigning leaves nobody', () => {
    const state = foldCase([
      ev({ type: 'status', status: 'closed', outcome: 'withdrawn' }),
      ev({ type: 'status', status: 'in_progress' }),
      ev({ type: 'assign', to: ada }),
      ev({ type: 'assign', to: null }),
    ])
    expect(state.outcome).toBeUndefined()
    expect(state.status).toBe('in_progress')
    expect(state.assignee).toBeNull()
  })

  it('tags are the set of adds minus later removes, for any sequence', () => {
    const tag = fc.constantFrom('a', 'b', 'c', 'd')
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), tag)), (ops) => {
        const expected = new Set<string>()
        for (const [add, t] of ops) add ? expected.add(t) : expected.delete(t)
        const state = foldCase(
          ops.map(([add, t]) => ev({ type: 'tag', ...(add ? { add: [t] } : { remove: [t] }) })),
        )
        expect(new Set(state.tags)).toEqual(expected)
      }),
    )
  })
})
