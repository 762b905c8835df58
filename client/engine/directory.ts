import * as v from 'valibot'
import { fromBase64url, signPublicKey } from '../../shared/crypto'
import { type DirectoryData, type DirectoryIndex, prepareDirectory } from '../../shared/directory/match'
import {
  applyDirectoryDiff,
  type DirectoryHead,
  DirectorySyncSchema,
  entriesOf,
  ProtocolError,
  readDirectoryEntries,
  verifyDirectory,
} from '../../shared/protocol'
import { type DirectoryRow, heardDb } from './db'
import { communityUrl, RelayRefusal, RelayUnreachable, relayJson } from './relay-api'

/**
 * Browser only. The community's referral directory on this device (issue #6): fetched as a diff
 * from the version held here, checked against the community root key this device pinned, and kept
 * in IndexedDB so the crisis path and the referrals work offline. A version that does not verify
 * is never used: the last good one stays, and the refusal is kept so the screens can say so.
 *
 * Nothing about the person goes into the request: it carries the version number only, and the
 * matching happens on the device (shared/directory/match.ts).
 */

/** Why a version the relay served was not used; the UI names each in plain words. */
export type DirectoryRefusalCode =
  | 'bad_signature'
  | 'directory_digest_mismatch'
  | 'community_mismatch'
  | 'invalid_directory'
  | 'rolled_back'
  | 'withdrawn'
  | 'invalid'

export interface DirectoryRefusal {
  readonly code: DirectoryRefusalCode
  readonly at: string
}

export type DirectoryView =
  | {
      readonly state: 'ready'
      readonly data: DirectoryData
      readonly index: DirectoryIndex
      readonly version: number
      /** When the admin signed this version. */
      readonly issuedAt: string
      /** When the relay last answered (ISO); older means this copy may be behind. */
      readonly syncedAt: string
      /** A newer version was refused; this one, the last that verified, is in use. */
      readonly refused: DirectoryRefusal | null
      /** The relay could not be reached just now: this is the copy on the device. */
      readonly offline: boolean
    }
  /** Nothing usable on this device. `refused` says why, when the relay served something bad. */
  | {
      readonly state: 'unavailable'
      readonly reason: 'not_published' | 'offline' | 'refused'
      readonly refused: DirectoryRefusal | null
    }

const REFUSALS: ReadonlySet<string> = new Set([
  'bad_signature',
  'directory_digest_mismatch',
  'community_mismatch',
  'invalid_directory',
])

const refusalOf = (error: unknown): DirectoryRefusalCode =>
  error instanceof ProtocolError && REFUSALS.has(error.code)
    ? (error.code as DirectoryRefusalCode)
    : 'invalid'

interface Verified {
  readonly head: DirectoryHead
  readonly data: DirectoryData
}

function verify(
  community: string,
  root: string,
  head: unknown,
  entries: ReadonlyMap<string, string>,
): Verified {
  const key = fromBase64url(root)
  if (key?.length !== 32) throw new ProtocolError('bad_signature')
  const checked = verifyDirectory(head, entries, { community, root: signPublicKey(key) })
  return { head: checked, data: readDirectoryEntries(entries) }
}

/** One prepared index per verified version: preparing is the costly part, matching is cheap. */
const prepared = new Map<string, { version: number; digest: string; index: DirectoryIndex }>()

function ready(
  community: string,
  row: DirectoryRow,
  verified: Verified,
  offline: boolean,
): Extract<DirectoryView, { state: 'ready' }> {
  let cached = prepared.get(community)
  if (!cached || cached.version !== verified.head.version || cached.digest !== verified.head.digest) {
    cached = {
      version: verified.head.version,
      digest: verified.head.digest,
      index: prepareDirectory(verified.data),
    }
    prepared.set(community, cached)
  }
  return {
    state: 'ready',
    data: verified.data,
    index: cached.index,
    version: verified.head.version,
    issuedAt: verified.head.issuedAt,
    syncedAt: row.syncedAt,
    refused: (row.refused as DirectoryRefusal | undefined) ?? null,
    offline,
  }
}

/** The copy on this device, checked again (storage can be altered or damaged too). */
function fromRow(community: string, root: string, row: DirectoryRow | undefined): Verified | null {
  if (!row) return null
  try {
    return verify(community, root, row.head, entriesOf(row.entries))
  } catch {
    return null
  }
}

async function keepRefusal(
  row: DirectoryRow | undefined,
  code: DirectoryRefusalCode,
): Promise<DirectoryRefusal> {
  const refused = { code, at: new Date().toISOString() }
  if (row) await heardDb().directories.put({ ...row, refused })
  return refused
}

/**
 * The directory for `community`, verified against `root` (the pinned manifest's root key, base64url):
 * synced with the relay when it answers, else the copy on this device.
 */
export async function loadDirectory(community: string, root: string): Promise<DirectoryView> {
  const db = heardDb()
  const row = await db.directories.get(community)
  const held = fromRow(community, root, row)
  const offlineView = (): DirectoryView =>
    held && row
      ? ready(community, row, held, true)
      : { state: 'unavailable', reason: 'offline', refused: (row?.refused as DirectoryRefusal) ?? null }

  let answer: v.InferOutput<typeof DirectorySyncSchema>
  try {
    if (!navigator.onLine) return offlineView()
    const since = held ? `?since=${held.head.version}` : ''
    const json = await relayJson(communityUrl(community, `/directory${since}`))
    const parsed = v.safeParse(DirectorySyncSchema, json)
    if (!parsed.success) {
      const refused = await keepRefusal(row, 'invalid')
      return held && row
        ? ready(community, { ...row, refused }, held, false)
        : { state: 'unavailable', reason: 'refused', refused }
    }
    answer = parsed.output
  } catch (error) {
    if (error instanceof RelayRefusal && error.code === 'directory_not_published') {
      if (!held || !row) return { state: 'unavailable', reason: 'not_published', refused: null }
      // It was published before: a relay that now says "never" is hiding it. Keep the copy.
      const refused = await keepRefusal(row, 'withdrawn')
      return ready(community, { ...row, refused }, held, false)
    }
    if (error instanceof RelayUnreachable || error instanceof RelayRefusal) return offlineView()
    throw error
  }

  const syncedAt = new Date().toISOString()
  if (answer.kind === 'unchanged' && held && row && answer.version === held.head.version) {
    const next: DirectoryRow = { ...row, syncedAt }
    await db.directories.put(next)
    return ready(community, next, held, false)
  }

  const base = held && row ? entriesOf(row.entries) : new Map<string, string>()
  const entries =
    answer.kind === 'full'
      ? entriesOf(answer.entries)
      : answer.kind === 'diff' && held && answer.from === held.head.version
        ? applyDirectoryDiff(base, answer.put, answer.removed)
        : null
  let verified: Verified
  try {
    if (!entries) throw new ProtocolError('invalid_body')
    verified = verify(community, root, answer.kind === 'unchanged' ? null : answer.head, entries)
    if (held && verified.head.version < held.head.version) throw new Error('rolled back')
  } catch (error) {
    const code = error instanceof ProtocolError ? refusalOf(error) : 'rolled_back'
    const refused = await keepRefusal(row, code)
    return held && row
      ? ready(community, { ...row, refused }, held, false)
      : { state: 'unavailable', reason: 'refused', refused }
  }
  const next: DirectoryRow = {
    community,
    version: verified.head.version,
    head: answer.kind === 'unchanged' ? (row as DirectoryRow).head : answer.head,
    entries: Object.fromEntries(entries),
    syncedAt,
  }
  await db.directories.put(next)
  return ready(community, next, verified, false)
}
