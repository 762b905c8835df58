import * as v from 'valibot'
import {
  type CannedResponse,
  type CannedResponsesV1,
  CurrentCannedResponsesSchema,
  type Manifest,
  signCannedResponses,
  verifyCurrentCannedResponses,
} from '../../../shared/protocol'
import { brokerDb } from './db'
import { communityUrl, relayFetch, relayJson } from './relay'
import { authorized } from './session'
import { requireOpen } from './vault'

/**
 * Browser only. The community's canned responses: one document signed by the broker who last
 * edited it, checked against the trusted manifest here. The highest version this device has seen
 * is remembered, so a relay cannot quietly serve an older one.
 */

export interface CannedSet {
  readonly seq: number
  readonly responses: readonly CannedResponse[]
  /** Who signed the current version, from the manifest. */
  readonly author: string | null
  readonly issuedAt: string | null
}

const seenName = (community: string) => `${community}/canned-responses/seen`

export class CannedRollback extends Error {
  constructor() {
    super('The relay served an older version of the canned responses than this device has seen')
    this.name = 'CannedRollback'
  }
}

export async function loadCanned(manifest: Manifest): Promise<CannedSet> {
  const { community } = requireOpen()
  const body = v.parse(
    CurrentCannedResponsesSchema,
    await relayJson(communityUrl(community, '/canned-responses'), { headers: await authorized() }),
  )
  const seen = (await brokerDb().cursors.get(seenName(community)))?.seq ?? 0
  if (!body.current) {
    if (seen > 0) throw new CannedRollback()
    return { seq: 0, responses: [], author: null, issuedAt: null }
  }
  const doc = verifyCurrentCannedResponses(body.current, { manifest, community })
  if (doc.seq < seen) throw new CannedRollback()
  if (doc.seq > seen) await brokerDb().cursors.put({ name: seenName(community), seq: doc.seq })
  return {
    seq: doc.seq,
    responses: doc.responses,
    author: manifest.brokers.find((b) => b.signKey === doc.author)?.name ?? null,
    issuedAt: doc.issuedAt,
  }
}

/** Sign the whole set as the next version and publish it. A concurrent edit answers 409. */
export async function saveCanned(responses: readonly CannedResponse[], previousSeq: number): Promise<void> {
  const { community, identity, secrets } = requireOpen()
  const doc: CannedResponsesV1 = {
    v: 1,
    community,
    seq: previousSeq + 1,
    issuedAt: new Date().toISOString(),
    author: identity.signKey,
    responses: [...responses],
  }
  await relayFetch(communityUrl(community, '/canned-responses'), {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...(await authorized()) },
    body: JSON.stringify(signCannedResponses(doc, secrets.sign)),
  })
  await brokerDb().cursors.put({ name: seenName(community), seq: doc.seq })
}
