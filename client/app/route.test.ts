import { describe, expect, it } from 'vitest'
import { parseRoute, pathOf } from './route'

describe('parseRoute', () => {
  it('reads the start page and community links', () => {
    expect(parseRoute('/')).toEqual({ kind: 'home', page: 'report' })
    expect(parseRoute('/c/some-community')).toEqual({
      kind: 'community',
      community: 'some-community',
      valid: true,
      page: 'report',
    })
    expect(parseRoute('/c/some-community/')).toEqual({
      kind: 'community',
      community: 'some-community',
      valid: true,
      page: 'report',
    })
  })

  it('keeps a malformed community id, marked invalid, and refuses other paths', () => {
    expect(parseRoute('/c/Not%20Valid')).toEqual({
      kind: 'community',
      community: 'Not Valid',
      valid: false,
      page: 'report',
    })
    expect(parseRoute('/c/%E0%A4%A')).toEqual({ kind: 'not-found' })
    expect(parseRoute('/c/')).toEqual({ kind: 'not-found' })
    expect(parseRoute('/c/a/b')).toEqual({ kind: 'not-found' })
    expect(parseRoute('/elsewhere')).toEqual({ kind: 'not-found' })
    expect(parseRoute('/c/a/follow-up/more')).toEqual({ kind: 'not-found' })
    expect(parseRoute('/broker')).toEqual({ kind: 'broker' })
    expect(parseRoute('/setup')).toEqual({ kind: 'setup' })
  })

  it('reads the follow-up pages and builds addresses that read back the same', () => {
    expect(parseRoute('/follow-up')).toEqual({ kind: 'home', page: 'follow-up' })
    expect(parseRoute('/c/wiki-x/follow-up')).toEqual({
      kind: 'community',
      community: 'wiki-x',
      valid: true,
      page: 'follow-up',
    })
    expect(parseRoute('/transparency')).toEqual({ kind: 'home', page: 'transparency' })
    expect(parseRoute('/c/wiki-x/transparency/x')).toEqual({ kind: 'not-found' })
    for (const community of [null, 'wiki-x']) {
      for (const page of ['report', 'follow-up', 'transparency', 'support'] as const) {
        const route = parseRoute(pathOf(community, page))
        expect('page' in route ? route.page : null).toBe(page)
      }
    }
  })

  it('reads the support directory pages', () => {
    expect(parseRoute('/support')).toEqual({ kind: 'home', page: 'support' })
    expect(parseRoute('/support/')).toEqual({ kind: 'home', page: 'support' })
    expect(parseRoute('/c/wiki-x/support')).toEqual({
      kind: 'community',
      community: 'wiki-x',
      valid: true,
      page: 'support',
    })
    expect(parseRoute('/c/wiki-x/support/')).toEqual({
      kind: 'community',
      community: 'wiki-x',
      valid: true,
      page: 'support',
    })
    expect(pathOf('wiki-x', 'support')).toBe('/c/wiki-x/support')
    expect(pathOf(null, 'support')).toBe('/support')
    expect(parseRoute('/c/wiki-x/support/x')).toEqual({ kind: 'not-found' })
    expect(parseRoute('/supportx')).toEqual({ kind: 'not-found' })
    expect(parseRoute('/c/wiki-x/supports')).toEqual({ kind: 'not-found' })
  })
})
