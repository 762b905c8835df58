import type { Context } from 'hono'
import { isCommunityId, ProtocolError } from '../../shared/protocol'

export function communityParam(c: Context): string {
  const community = c.req.param('community') ?? ''
  if (!isCommunityId(community)) throw new ProtocolError('invalid_community')
  return community
}
