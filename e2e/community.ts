import { createCommunityRequest, type FakeCommunity, fakeCommunity } from '../server/test/fixtures'
import { allReports, brokerSession } from '../server/test/relay-client'
import { boxSecretKey, utf8 } from '../shared/crypto'
import { decodeReport, openEnvelopeBytes, type ReportV1, signManifest } from '../shared/protocol'
import { type TestRelay, testRelayAt } from './relay'

/**
 * Node only (test harness). A new community published on a test relay, and its brokers' view of
 * it. Creating it spends one of the relay's setup tokens (relay.nextSetupToken(): the link the
 * relay printed, then freshly minted ones). A URL stands for the test relay started at it.
 */
export async function publishCommunity(
  relay: TestRelay | string,
  id = 'wiki-example',
  options: { exitUrl?: string; contact?: string } = {},
): Promise<FakeCommunity> {
  const target = typeof relay === 'string' ? testRelayAt(relay) : relay
  const base = fakeCommunity(id, 2)
  const community = options.exitUrl || options.contact ? withManifest(base, options) : base
  const res = await fetch(
    `${target.url}/api/v1/communities/${id}/manifest`,
    createCommunityRequest(community, await target.nextSetupToken()),
  )
  if (res.status !== 201) throw new Error(`manifest refused: ${res.status} ${await res.text()}`)
  return community
}

function withManifest(
  community: FakeCommunity,
  extra: { exitUrl?: string; contact?: string },
): FakeCommunity {
  const manifest = { ...community.manifest, ...extra }
  return { ...community, manifest, signed: signManifest(manifest, community.root.secretKey) }
}

/** Every report the relay holds for the community, opened with broker 0's key, as brokers will read them. */
export async function brokerReads(
  url: string,
  community: FakeCommunity,
): Promise<{ id: string; report: ReportV1 }[]> {
  const token = await brokerSession(url, community)
  const rows = await allReports(url, community, token)
  const key = community.brokers[0]?.box.secretKey
  if (!key) throw new Error('no broker')
  const out: { id: string; report: ReportV1 }[] = []
  for (const row of rows) {
    const bytes = await openEnvelopeBytes(utf8(JSON.stringify(row.envelope)), boxSecretKey(key))
    out.push({ id: row.envelope.id, report: decodeReport(bytes) })
  }
  return out
}
