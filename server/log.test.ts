import { describe, expect, it } from 'vitest'
import { routeOf } from './log'

describe('routeOf', () => {
  it('hides the community, the mailbox, the case, the report and the file a request was for', () => {
    expect(routeOf('/api/v1/communities/wiki-example/reports')).toBe('/api/v1/communities/:community/reports')
    expect(routeOf('/api/v1/communities/wiki-example/mailboxes/gZbmftpEN9vdI8qDP5nlLA')).toBe(
      '/api/v1/communities/:community/mailboxes/:mailbox',
    )
    expect(routeOf('/api/v1/communities/wiki-example/cases/gZbmftpEN9vdI8qDP5nlLA/events')).toBe(
      '/api/v1/communities/:community/cases/:case/events',
    )
    expect(routeOf('/api/v1/communities/wiki-example/reports/gZbmftpEN9vdI8qDP5nlLA')).toBe(
      '/api/v1/communities/:community/reports/:id',
    )
    expect(
      routeOf(
        '/api/v1/communities/wiki-example/reports/gZbmftpEN9vdI8qDP5nlLA/attachments/AAAAAAAAAAAAAAAAAAAAAA/chunks/12',
      ),
    ).toBe('/api/v1/communities/:community/reports/:id/attachments/:file/chunks/:index')
    expect(routeOf('/api/v1/communities/wiki-example/reports/gZbmftpEN9vdI8qDP5nlLA/attachments')).toBe(
      '/api/v1/communities/:community/reports/:id/attachments',
    )
    expect(routeOf('/api/v1/health')).toBe('/api/v1/health')
  })
})
