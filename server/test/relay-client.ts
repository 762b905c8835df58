import type { FakeCommunity } from './fixtures'
import { json, signChallenge } from './fixtures'

/** A broker's view of a running relay over real HTTP: log in by signed challenge, page through reports. */
export async function brokerSession(url: string, community: FakeCommunity, broker = 0): Promise<string> {
  const base = `${url}/api/v1/communities/${community.id}/auth`
  const { challenge } = (await (await fetch(`${base}/challenge`, { method: 'POST' })).json()) as {
    challenge: string
  }
  const res = await fetch(`${base}/session`, json(signChallenge(community, broker, challenge)))
  if (res.status !== 201) throw new Error(`session refused: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}

export async function allReports(url: string, community: FakeCommunity, token: string) {
  const out: { seq: number; envelope: { id: string } & Record<string, unknown> }[] = []
  let after = '0'
  for (;;) {
    const res = await fetch(`${url}/api/v1/communities/${community.id}/reports?after=${after}&limit=500`, {
      headers: { authorization: `Bearer ${token}` },
    })
    if (res.status !== 200) throw new Error(`listing failed: ${res.status}`)
    const page = (await res.json()) as { reports: typeof out; next: string }
    out.push(...page.reports)
    if (page.reports.length === 0) return out
    after = page.next
  }
}
