import { describe, expect, it } from 'vitest'
import { parseRoute } from './route'

describe('parseRoute', () => {
  it('reads the start page and community links', () => {
    expect(parseRoute('/')).toEqual({ kind: 'home' })
    expect(parseRoute('/c/some-community')).toEqual({
      kind: 'community',
      community: 'some-community',
      valid: true,
    })
    expect(parseRoute('/c/some-community/')).toEqual({
      kind: 'community',
      community: 'some-community',
      valid: true,
    })
  })

  it('keeps a malformed community id, marked invalid, and refuses other paths', () => {
    expect(parseRoute('/c/Not%20Valid')).toEqual({ kind: 'community', community: 'Not Valid', valid: false })
    expect(parseRoute('/c/%E0%A4%A')).toEqual({ kind: 'not-found' })
    expect(parseRoute('/c/')).toEqual({ kind: 'not-found' })
    expect(parseRoute('/c/a/b')).toEqual({ kind: 'not-found' })
    expect(parseRoute('/elsewhere')).toEqual({ kind: 'not-found' })
  })
})
