import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { open } from '../../shared/crypto'
import { type EnvelopeV1Json, envelopeFromJson } from '../../shared/protocol'
import { createCommunityRequest, fakeCommunity, fakeReport, json } from './fixtures'
import { allReports, brokerSession } from './relay-client'
import { type RelayProcess, startRelay, stubStaticDir, tokenOfSetupLink } from './relay-process'
import { freshPgDatabase } from './stores'

/**
 * Invariant 5: an acknowledged report survives a crash. Reports are posted from several
 * connections in a loop; the relay is SIGKILLed mid-stream; after a restart every report whose
 * POST returned 2xx is present, exactly once, and opens.
 */
const ENVELOPES = 400
const WORKERS = 8

async function crashWhilePosting(env: Record<string, string>) {
  const community = fakeCommunity('durable-community', 2)
  const envelopes: EnvelopeV1Json[] = []
  for (let i = 0; i < ENVELOPES; i++) envelopes.push(await fakeReport(community, `report number ${i}`))

  const first = await startRelay(env)
  let second: RelayProcess | undefined
  try {
    expect(
      (
        await fetch(
          `${first.url}/api/v1/communities/${community.id}/manifest`,
          createCommunityRequest(community, tokenOfSetupLink(first.setupUrl)),
        )
      ).status,
    ).toBe(201)
    const acknowledged = new Set<string>()
    let next = 0
    let killed = false
    const worker = async () => {
      while (!killed && next < envelopes.length) {
        const envelope = envelopes[next++] as EnvelopeV1Json
        try {
          const res = await fetch(`${first.url}/api/v1/communities/${community.id}/reports`, json(envelope))
          if (res.status === 201 || res.status === 200) acknowledged.add(envelope.id)
          else await res.text()
        } catch {
          // The connection died with the relay: this report was never acknowledged.
        }
      }
    }
    const workers = Array.from({ length: WORKERS }, worker)
    // Kill once a good number are acknowledged, while requests are still in flight.
    while (acknowledged.size < ENVELOPES / 4) await new Promise((r) => setTimeout(r, 5))
    killed = true
    await first.stop('SIGKILL')
    await Promise.all(workers)
    expect(acknowledged.size).toBeGreaterThan(0)
    expect(acknowledged.size).toBeLessThan(ENVELOPES)

    second = await startRelay(env)
    const token = await brokerSession(second.url, community)
    const stored = await allReports(second.url, community, token)
    const ids = stored.map((r) => r.envelope.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(stored.map((r) => r.seq)).toEqual(stored.map((_, i) => i + 1))
    const missing = [...acknowledged].filter((id) => !ids.includes(id))
    expect(missing).toEqual([])
    const reader = community.brokers[0]?.box.secretKey as never
    for (const report of stored) {
      const text = new TextDecoder().decode(await open(envelopeFromJson(report.envelope as never), reader))
      expect(text).toMatch(/^report number \d+$/)
    }
  } finally {
    await first.stop('SIGKILL')
    await second?.stop()
  }
}

describe('durability: SIGKILL while posting', () => {
  it('SQLite: every acknowledged report is present after a restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'heard-durable-'))
    await crashWhilePosting({ DATA_DIR: dataDir, STATIC_DIR: stubStaticDir() })
  })

  it('PostgreSQL: every acknowledged report is present after a restart', async () => {
    await crashWhilePosting({ DATABASE_URL: await freshPgDatabase(), STATIC_DIR: stubStaticDir() })
  })
})
