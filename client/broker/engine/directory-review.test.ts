import { describe, expect, it } from 'vitest'
import {
  communityChanges,
  communityOrganizations,
  globalChanges,
  hasChanges,
  summarize,
} from './directory-review'

const org = (id: string, name: string, extra = '') => JSON.stringify({ id, name, description: extra })

const published = new Map([
  ['g:org:a', org('a', 'Alpha')],
  ['g:org:b', org('b', 'Beta')],
  ['g:org:c', org('c', 'Gamma')],
  ['g:em:DE', '{"country":"DE"}'],
  ['g:em:FR', '{"country":"FR"}'],
  ['c:org:b', org('b', 'Beta, as we know it')],
  ['c:org:ours', org('ours', 'Our partner')],
])

describe('globalChanges', () => {
  it('lists added, changed and removed global entries by name or country, ignoring the community layer', () => {
    const global = new Map([
      ['g:org:a', org('a', 'Alpha', 'new text')],
      ['g:org:b', org('b', 'Beta')],
      ['g:org:d', org('d', 'Delta')],
      ['g:em:DE', '{"country":"DE","numbers":[]}'],
      ['g:em:IT', '{"country":"IT"}'],
    ])
    const changes = globalChanges(published, global)
    expect(changes.added.map((c) => c.label)).toEqual(['IT', 'Delta'])
    expect(changes.changed.map((c) => `${c.kind} ${c.label}`)).toEqual(['country DE', 'organization Alpha'])
    expect(changes.removed.map((c) => c.label)).toEqual(['FR', 'Gamma'])
    expect(hasChanges(changes)).toBe(true)
  })

  it('finds nothing when the global layer is the same', () => {
    const global = new Map([...published].filter(([key]) => key.startsWith('g:')))
    expect(hasChanges(globalChanges(published, global))).toBe(false)
  })

  it('names an entry by its id when its text has no name', () => {
    const global = new Map([...published, ['g:org:x', 'not json']])
    expect(globalChanges(published, global).added).toEqual([
      { key: 'g:org:x', kind: 'organization', label: 'x' },
    ])
  })
})

describe('communityChanges', () => {
  it('compares only the community layer', () => {
    const next = new Map(published)
    next.delete('c:org:ours')
    next.set('c:org:new', org('new', 'Newcomer'))
    next.delete('g:org:a')
    const changes = communityChanges(published, next)
    expect(changes.added.map((c) => c.label)).toEqual(['Newcomer'])
    expect(changes.changed).toEqual([])
    expect(changes.removed.map((c) => c.label)).toEqual(['Our partner'])
  })
})

describe('summarize', () => {
  it('counts a replaced global organisation once', () => {
    expect(summarize(published)).toEqual({ organizations: 4, community: 2, countries: 2 })
  })
})

describe('communityOrganizations', () => {
  it('parses the community layer so that writing it back gives the same text', () => {
    const orgs = communityOrganizations(published)
    expect(orgs.map((o) => o.id)).toEqual(['b', 'ours'])
    expect(orgs.map((o) => JSON.stringify(o))).toEqual([
      published.get('c:org:b'),
      published.get('c:org:ours'),
    ])
  })
})
