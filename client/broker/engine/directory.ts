import * as v from 'valibot'
import { signPublicKey, toBase64url } from '../../../shared/crypto'
import type { Organization } from '../../../shared/directory'
import {
  API_PREFIX,
  communityEntries,
  type DirectoryHead,
  type DirectoryPublish,
  DirectoryPublishedSchema,
  DirectorySyncSchema,
  decodeField,
  diffEntries,
  directoryDigest,
  entriesOf,
  GlobalDirectorySchema,
  isGlobalEntryKey,
  type Manifest,
  ProtocolError,
  readDirectoryEntries,
  signDirectory,
  verifyDirectory,
} from '../../../shared/protocol'
import { brokerDb } from './db'
import { communityUrl, RelayRefusal, RelayUnreachable, relayJson } from './relay'
import { authorized } from './session'
import { requireOpen } from './vault'

/**
 * Browser only. The community's referral directory as its admin keeps it (issue #6): Heard's global
 * directory as the relay ships it, the version the community published (checked against the root
 * key in the trusted manifest, never taken on the relay's word), and publishing the next version,
 * signed here with the root key. The highest version this device has seen is remembered, so a
 * relay cannot quietly serve an older one.
 */

/** Heard's global directory as this relay ships it now. */
export interface GlobalDirectoryView {
  /** base64url directoryDigest of the `g:` entries, checked here. */
  readonly digest: string
  /** `g:` entries, in the order the relay sent them (the global file's order). */
  readonly entries: ReadonlyMap<string, string>
}

/** A published version whose signature and digest were checked on this device. */
export interface PublishedDirectory {
  readonly head: DirectoryHead
  readonly entries: ReadonlyMap<string, string>
}

/** The relay served an older version than this device has seen, or says none was published. */
export class DirectoryRollback extends Error {
  constructor() {
    super('The relay served an older directory version than this device has seen')
    this.name = 'DirectoryRollback'
  }
}

/** Someone holding the community key published first; `current` is their version, checked. */
export class DirectoryChanged extends Error {
  constructor(readonly current: PublishedDirectory | null) {
    super('Another version of the directory was published first')
    this.name = 'DirectoryChanged'
  }
}

/**
 * The version would not be valid: found on this device before signing, or by the relay. Issues
 * name keys and fields (`c:org:x › services[0].id`), never values.
 */
export class DirectoryInvalid extends Error {
  constructor(readonly issues: readonly { readonly path: string; readonly rule: string }[]) {
    super('The directory version is not valid')
    this.name = 'DirectoryInvalid'
  }
}

/** This device does not hold the community key: only its holder can publish. */
export class NotDirectoryAdmin extends Error {
  constructor() {
    super('Only the holder of the community key can publish the directory')
    this.name = 'NotDirectoryAdmin'
  }
}

const seenName = (community: string) => `${community}/directory/seen`

export async function loadGlobalDirectory(): Promise<GlobalDirectoryView> {
  const body = v.parse(GlobalDirectorySchema, await relayJson(`${API_PREFIX}/directory/global`))
  const entries = entriesOf(body.entries)
  // Signing adopts these entries as they are: any other layer in them, or a digest that does not
  // match, is the relay misbehaving, and nothing here gets signed from it.
  if ([...entries.keys()].some((key) => !isGlobalEntryKey(key))) throw new ProtocolError('invalid_directory')
  if (toBase64url(directoryDigest(entries)) !== body.digest)
    throw new ProtocolError('directory_digest_mismatch')
  return { digest: body.digest, entries }
}

/**
 * The community's published version, fetched whole and verified against the manifest's root key;
 * null when none is published yet. Throws DirectoryRollback, ProtocolError (did not verify),
 * RelayRefusal or RelayUnreachable.
 */
export async function loadPublishedDirectory(manifest: Manifest): Promise<PublishedDirectory | null> {
  const community = manifest.community
  const seen = (await brokerDb().cursors.get(seenName(community)))?.seq ?? 0
  let json: unknown
  try {
    json = await relayJson(communityUrl(community, '/directory'))
  } catch (error) {
    if (error instanceof RelayRefusal && error.code === 'directory_not_published') {
      if (seen > 0) throw new DirectoryRollback()
      return null
    }
    throw error
  }
  const answer = v.parse(DirectorySyncSchema, json)
  // No `since` was sent, so only a full version is a right answer.
  if (answer.kind !== 'full') throw new ProtocolError('invalid_body')
  const entries = entriesOf(answer.entries)
  const head = verifyDirectory(answer.head, entries, {
    community,
    root: signPublicKey(decodeField(manifest.root)),
  })
  if (head.version < seen) throw new DirectoryRollback()
  if (head.version > seen) await brokerDb().cursors.put({ name: seenName(community), seq: head.version })
  return { head, entries }
}

/** The entries a version made of `global` and the community's own `organizations` would hold. */
export function nextEntries(
  global: ReadonlyMap<string, string>,
  organizations: readonly Organization[],
): Map<string, string> {
  const next = new Map([...global].filter(([key]) => isGlobalEntryKey(key)))
  for (const [key, text] of communityEntries(organizations)) next.set(key, text)
  return next
}

/**
 * Problems a version would have, as a device reading it would find them (each entry against its
 * schema, service ids unique across both layers); [] when there are none.
 */
export function directoryIssues(entries: ReadonlyMap<string, string>): { path: string; rule: string }[] {
  try {
    readDirectoryEntries(entries)
    return []
  } catch (error) {
    if (error instanceof ProtocolError) return [...(error.issues ?? [])]
    throw error
  }
}

/** PUT …/directory, keeping the relay's `issues` (relayFetch reads only the code). */
async function putDirectory(community: string, body: DirectoryPublish): Promise<void> {
  let response: Response
  try {
    response = await fetch(communityUrl(community, '/directory'), {
      method: 'PUT',
      cache: 'no-store',
      credentials: 'omit',
      headers: { 'content-type': 'application/json', ...(await authorized()) },
      body: JSON.stringify(body),
    })
  } catch (error) {
    throw new RelayUnreachable(error)
  }
  if (response.status >= 500) throw new RelayUnreachable(new Error(`HTTP ${response.status}`))
  let json: unknown
  try {
    json = await response.json()
  } catch (error) {
    if (response.ok) throw new RelayUnreachable(error)
    throw new RelayRefusal(response.status, 'unknown')
  }
  if (response.ok) {
    v.parse(DirectoryPublishedSchema, json)
    return
  }
  const error = (json as { error?: { code?: unknown; issues?: unknown } }).error
  const code = typeof error?.code === 'string' ? error.code : 'unknown'
  if (code === 'invalid_directory' && Array.isArray(error?.issues))
    throw new DirectoryInvalid(
      error.issues
        .filter(
          (i): i is { path: string; rule: string } =>
            typeof i?.path === 'string' && typeof i?.rule === 'string',
        )
        .slice(0, 50),
    )
  throw new RelayRefusal(response.status, code)
}

/**
 * Sign and publish the version after `base` (null: the first): Heard's `global` entries as the admin
 * reviewed them, with the community's own `organizations` on top. Only the change from `base` is
 * sent. Throws NotDirectoryAdmin, DirectoryInvalid (nothing was sent, or the relay refused the
 * entries), DirectoryChanged (someone published first; it carries their version, checked),
 * RelayRefusal or RelayUnreachable. Returns the version now published.
 */
export async function publishDirectory(input: {
  readonly manifest: Manifest
  readonly base: PublishedDirectory | null
  readonly global: GlobalDirectoryView
  readonly organizations: readonly Organization[]
}): Promise<PublishedDirectory> {
  const { community, secrets } = requireOpen()
  if (!secrets.root) throw new NotDirectoryAdmin()
  const entries = nextEntries(input.global.entries, input.organizations)
  const issues = directoryIssues(entries)
  if (issues.length > 0) throw new DirectoryInvalid(issues)
  const from = input.base?.head.version ?? null
  const { head, signed } = signDirectory(
    entries,
    { community, version: (from ?? 0) + 1, issuedAt: new Date().toISOString() },
    secrets.root.secretKey,
  )
  const { put, removed } = diffEntries(input.base?.entries ?? new Map(), entries)
  try {
    await putDirectory(community, { from, head: signed, put, removed })
  } catch (error) {
    if (error instanceof RelayRefusal && error.code === 'directory_changed')
      throw new DirectoryChanged(await loadPublishedDirectory(input.manifest))
    throw error
  }
  await brokerDb().cursors.put({ name: seenName(community), seq: head.version })
  return { head, entries }
}

/**
 * Right after setup: version 1, Heard's global directory alone, so complainants have referrals
 * from the first day. False when it could not be done; the admin publishes later from Settings.
 */
export async function publishFirstDirectory(manifest: Manifest): Promise<boolean> {
  try {
    const global = await loadGlobalDirectory()
    await publishDirectory({ manifest, base: null, global, organizations: [] })
    return true
  } catch {
    return false
  }
}
