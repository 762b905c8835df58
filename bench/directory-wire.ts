import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createApp } from '../server/app'
import { openSqliteStore } from '../server/db/sqlite-store'
import type { Store } from '../server/db/store'
import { silentLogger } from '../server/log'
import { generateBoxKeyPair, generateSignKeyPair, toBase64url } from '../shared/crypto'
import type { Organization } from '../shared/directory/directory.schema'
import type { EmergencyCountry } from '../shared/directory/emergency-numbers.schema'
import {
  brokerEntry,
  diffEntries,
  directoryEntryHash,
  globalEntries,
  type Manifest,
  signDirectory,
  signManifest,
} from '../shared/protocol'

/**
 * The wire half of bench/directory.bench.ts: what a device holding version 1 receives when one
 * entry changed in version 2, through the relay's real route and store. Versions are appended to
 * the store directly (publishing is not what is measured); the sync is a real GET through the app,
 * with the Accept-Encoding a browser sends.
 */

export interface WireMeasure {
  readonly entries: number
  readonly entryChars: number
  readonly fullBytes: number
  readonly fullGzipBytes: number
  readonly kind: string
  readonly encoding: string
  readonly bodyBytes: number
  readonly plainBytes: number
  readonly wireBytes: number
  readonly unchangedWireBytes: number
}

const COMMUNITY = 'bench-directory'
const BROWSER_HEADERS = { 'accept-encoding': 'gzip, deflate, br, zstd', accept: '*/*' }

/** Status line, headers and body as an HTTP/1.1 server would send them. */
function wireSize(response: Response, body: Uint8Array): number {
  let head = `HTTP/1.1 ${response.status} ${response.statusText || 'OK'}\r\n`
  response.headers.forEach((value, name) => {
    head += `${name}: ${value}\r\n`
  })
  if (!response.headers.has('content-length') && !response.headers.has('transfer-encoding'))
    head += `content-length: ${body.length}\r\n`
  return Buffer.byteLength(`${head}\r\n`) + body.length
}

async function get(
  app: { request: (url: string, init?: RequestInit) => Response | Promise<Response> },
  query: string,
) {
  const response = await app.request(`/api/v1/communities/${COMMUNITY}/directory${query}`, {
    headers: BROWSER_HEADERS,
  })
  if (!response.ok) throw new Error(`GET directory${query}: HTTP ${response.status}`)
  const body = new Uint8Array(await response.clone().arrayBuffer())
  return { response, body, wire: wireSize(response, body) }
}

async function append(
  store: Store,
  version: number,
  entries: Map<string, string>,
  put: Map<string, string>,
  removed: string[],
  root: ReturnType<typeof generateSignKeyPair>,
) {
  const { signed } = signDirectory(
    entries,
    { community: COMMUNITY, version, issuedAt: new Date().toISOString() },
    root.secretKey,
  )
  const outcome = await store.appendDirectoryVersion(
    COMMUNITY,
    { version, payload: signed.payload, signature: signed.signature, entryCount: entries.size },
    [...put].map(([key, text]) => ({ key, text, hash: directoryEntryHash(key, text) })),
    removed,
    version === 1 ? null : version - 1,
    new Date().toISOString(),
  )
  if (outcome !== 'stored') throw new Error(`append version ${version}: ${outcome}`)
}

export async function measureOneEntryChange(
  organizations: readonly Organization[],
  emergency: readonly EmergencyCountry[],
): Promise<WireMeasure> {
  const dir = mkdtempSync(path.join(tmpdir(), 'heard-bench-directory-'))
  const store = openSqliteStore(dir)
  try {
    const app = await createApp({ store, log: silentLogger, staticDir: null, communitySetup: 'open' })
    const root = generateSignKeyPair()
    const box = generateBoxKeyPair()
    const sign = generateSignKeyPair()
    const manifest: Manifest = {
      v: 1,
      community: COMMUNITY,
      name: 'Bench',
      seq: 1,
      issuedAt: new Date().toISOString(),
      root: toBase64url(root.publicKey),
      brokers: [brokerEntry('Broker', box.publicKey, sign.publicKey)],
      policy: 'Bench.',
    }
    const created = await app.request(`/api/v1/communities/${COMMUNITY}/manifest`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signManifest(manifest, root.secretKey)),
    })
    if (created.status !== 201) throw new Error(`create community: HTTP ${created.status}`)

    const v1 = globalEntries(organizations, emergency)
    await append(store, 1, v1, v1, [], root)
    const full = await get(app, '')

    // One organisation, picked from the middle, gets a new phone-free description: a typical edit.
    const org = organizations[Math.floor(organizations.length / 2)] as Organization
    const changed = JSON.stringify({ ...org, description: `${org.description} Updated.` })
    const v2 = new Map(v1).set(`g:org:${org.id}`, changed)
    const { put, removed } = diffEntries(v1, v2)
    await append(store, 2, v2, new Map(Object.entries(put)), removed, root)

    const diff = await get(app, '?since=1')
    const plain = await app.request(`/api/v1/communities/${COMMUNITY}/directory?since=1`)
    const plainBytes = (await plain.arrayBuffer()).byteLength
    const kind = (
      JSON.parse(
        await new Response(
          diff.response.headers.get('content-encoding') === 'gzip'
            ? new Blob([diff.body]).stream().pipeThrough(new DecompressionStream('gzip'))
            : diff.body,
        ).text(),
      ) as { kind: string }
    ).kind
    const unchanged = await get(app, '?since=2')
    return {
      entries: v1.size,
      entryChars: changed.length,
      fullBytes: (await (await app.request(`/api/v1/communities/${COMMUNITY}/directory`)).arrayBuffer())
        .byteLength,
      fullGzipBytes: full.body.length,
      kind,
      encoding: diff.response.headers.get('content-encoding') ?? 'identity',
      bodyBytes: diff.body.length,
      plainBytes,
      wireBytes: diff.wire,
      unchangedWireBytes: unchanged.wire,
    }
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
