import * as v from 'valibot'
import {
  concatBytes,
  fromUtf8,
  lengthPrefixed,
  SIGNATURE_BYTES,
  type SignPublicKey,
  type SignSecretKey,
  sha256,
  signDetached,
  toBase64url,
  utf8,
  verifyDetached,
} from '../crypto'
import {
  type DirectoryIssue,
  describeIssues,
  type EmergencyCountry,
  EmergencyCountrySchema,
  type Organization,
  OrganizationSchema,
} from '../directory'
import type { DirectoryData } from '../directory/match'
import { ProtocolError } from './errors'
import { b64, b64Bounded, communityId, decodeField, isIsoUtc, validationError } from './fields'

/**
 * A community's referral directory as published (docs/protocol.md, "Referral directory"): Heard's
 * global directory (resources/) with the community's own organisations layered on top, signed by
 * the community root key, so a relay (or anyone between it and the device) cannot change a phone
 * number a person in crisis will dial.
 *
 * The directory travels as entries: a key (`g:org:<id>`, `g:em:<CC>`, `c:org:<id>`) and the
 * entry's exact JSON text. The signed head commits to every entry through one digest over the
 * entries' hashes in key order, so
 * - no JSON canonicalisation is needed: the text is hashed as sent and kept as sent;
 * - a device that holds version n can take only the entries that changed (a diff) and still check
 *   the whole version n+1 against its signature: one changed phone number costs one entry.
 *
 * Layers: `g:` entries are Heard's global directory as the admin adopted it; `c:` entries are the
 * community's own organisations. A community organisation with a global organisation's id replaces
 * it (a local partner correcting its own entry). Emergency numbers are global only: a community
 * cannot override the number for the police.
 */

export const DIRECTORY_SIGNING_DOMAIN = 'heard/directory/v1' // must not change
const ENTRY_HASH_DOMAIN = 'heard/directory-entry/v1' // must not change
const DIGEST_DOMAIN = 'heard/directory-digest/v1' // must not change
export const DIRECTORY_HEAD_VERSION = 1

export const DIRECTORY_WIRE_LIMITS = {
  /** One entry's JSON text, in chars. The largest organisation in resources/ is under 2,000. */
  entryChars: 64 * 1024,
  /** Entries in one version: organisations of both layers plus emergency countries. */
  entries: 100_000,
  /** The signed head's payload, in bytes. */
  headBytes: 1024,
} as const

/** `g:org:<id>`, `g:em:<CC>` or `c:org:<id>`; ids as in shared/directory/fields.ts. */
export const DIRECTORY_ENTRY_KEY = /^(?:[gc]:org:[a-z0-9]+(?:-[a-z0-9]+)*|g:em:[A-Z]{2})$/
const MAX_KEY_CHARS = 110

export const isDirectoryEntryKey = (key: string): boolean =>
  key.length <= MAX_KEY_CHARS && DIRECTORY_ENTRY_KEY.test(key)

/** Keys of the global layer: what Heard ships, adopted as a whole by the admin. */
export const isGlobalEntryKey = (key: string): boolean => key.startsWith('g:')

/** Entries by key: the JSON text exactly as signed. */
export type DirectoryEntries = ReadonlyMap<string, string>

const entryKey = v.pipe(
  v.string('expected a string'),
  v.maxLength(MAX_KEY_CHARS, 'too long'),
  v.regex(DIRECTORY_ENTRY_KEY, 'not a directory entry key'),
)
const entryText = v.pipe(
  v.string('expected a string'),
  v.minLength(2, 'too short'),
  v.maxLength(DIRECTORY_WIRE_LIMITS.entryChars, 'too long'),
)
/** Entries on the wire: an object from key to JSON text. */
export const DirectoryEntriesSchema = v.pipe(
  v.record(entryKey, entryText, 'expected an object of entries'),
  v.check((r) => Object.keys(r).length <= DIRECTORY_WIRE_LIMITS.entries, 'too many entries'),
)

const version = v.pipe(
  v.number('expected a number'),
  v.safeInteger('expected an integer'),
  v.minValue(1, 'must be ≥ 1'),
)

/** The signed statement: which version, of which community, committing to which entries. */
export const DirectoryHeadSchema = v.strictObject({
  v: v.literal(DIRECTORY_HEAD_VERSION, 'expected 1'),
  community: communityId,
  /** 1, 2, 3…: each published version is the current one + 1. */
  version,
  /** When the admin signed it (their clock; informational, and shown as "checked on"). */
  issuedAt: v.pipe(v.string('expected a string'), v.check(isIsoUtc, 'not an ISO 8601 UTC time')),
  /** How many entries, so a device can tell a truncated copy before hashing. */
  entries: v.pipe(
    v.number('expected a number'),
    v.safeInteger('expected an integer'),
    v.minValue(0, 'negative'),
    v.maxValue(DIRECTORY_WIRE_LIMITS.entries, 'too many'),
  ),
  /** directoryDigest of all entries. */
  digest: b64(32),
  /** directoryDigest of the `g:` entries: which global directory the admin adopted. */
  global: b64(32),
})
export type DirectoryHead = v.InferOutput<typeof DirectoryHeadSchema>

/** `payload` is base64url of the head's UTF-8 JSON; `signature` is by the community root key. */
export const SignedDirectoryHeadSchema = v.strictObject({
  payload: b64Bounded(DIRECTORY_WIRE_LIMITS.headBytes),
  signature: b64(SIGNATURE_BYTES),
})
export type SignedDirectoryHead = v.InferOutput<typeof SignedDirectoryHeadSchema>

const removedKeys = v.pipe(
  v.array(entryKey, 'expected an array of entry keys'),
  v.maxLength(DIRECTORY_WIRE_LIMITS.entries, 'too many'),
)

/**
 * GET …/directory?since=n: `unchanged` when the device is current, `diff` from the device's
 * version when the relay still has it, `full` otherwise.
 */
export const DirectorySyncSchema = v.variant(
  'kind',
  [
    v.strictObject({ kind: v.literal('unchanged'), version }),
    v.strictObject({
      kind: v.literal('diff'),
      from: version,
      head: SignedDirectoryHeadSchema,
      put: DirectoryEntriesSchema,
      removed: removedKeys,
    }),
    v.strictObject({
      kind: v.literal('full'),
      head: SignedDirectoryHeadSchema,
      entries: DirectoryEntriesSchema,
    }),
  ],
  'not a directory answer (unchanged, diff, full)',
)
export type DirectorySync = v.InferOutput<typeof DirectorySyncSchema>

/** PUT …/directory: the next version, as a diff from the current one (`from: null` for the first). */
export const DirectoryPublishSchema = v.strictObject({
  from: v.nullable(version),
  head: SignedDirectoryHeadSchema,
  put: DirectoryEntriesSchema,
  removed: removedKeys,
})
export type DirectoryPublish = v.InferOutput<typeof DirectoryPublishSchema>

/** GET /directory/global: the global directory this relay ships, for an admin to review and sign. */
export const GlobalDirectorySchema = v.strictObject({
  digest: b64(32),
  entries: DirectoryEntriesSchema,
})
export type GlobalDirectory = v.InferOutput<typeof GlobalDirectorySchema>

/** Answer to a successful PUT. */
export const DirectoryPublishedSchema = v.object({ community: v.string(), version: v.number() })

// ---------------------------------------------------------------------------------------------
// Entries

/** Heard's global layer: every organisation and every emergency country, as `g:` entries. */
export function globalEntries(
  organizations: readonly Organization[],
  emergency: readonly EmergencyCountry[],
): Map<string, string> {
  const entries = new Map<string, string>()
  for (const o of organizations) entries.set(`g:org:${o.id}`, JSON.stringify(o))
  for (const e of emergency) entries.set(`g:em:${e.country}`, JSON.stringify(e))
  return entries
}

/** A community's own organisations, as `c:` entries. */
export function communityEntries(organizations: readonly Organization[]): Map<string, string> {
  return new Map(organizations.map((o) => [`c:org:${o.id}`, JSON.stringify(o)]))
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** One entry's hash: its key and its exact text, so moving text to another key changes it. */
export const directoryEntryHash = (key: string, text: string): Uint8Array =>
  sha256(concatBytes(utf8(ENTRY_HASH_DOMAIN), new Uint8Array([0]), lengthPrefixed(key), utf8(text)))

/**
 * The digest a head signs: SHA-256 over the entries' hashes in key order (code units). `only`
 * restricts it to some keys (the global layer's digest).
 */
export function directoryDigest(
  entries: DirectoryEntries,
  only: (key: string) => boolean = () => true,
  hashes?: ReadonlyMap<string, Uint8Array>,
): Uint8Array {
  const keys = [...entries.keys()].filter(only).sort(byCodeUnit)
  const parts: Uint8Array[] = [utf8(DIGEST_DOMAIN), new Uint8Array([0])]
  for (const key of keys) parts.push(hashes?.get(key) ?? directoryEntryHash(key, entries.get(key) as string))
  return sha256(concatBytes(...parts))
}

/** The changes that turn `from` into `to`: entries added or changed, and keys gone. */
export function diffEntries(
  from: DirectoryEntries,
  to: DirectoryEntries,
): { put: Record<string, string>; removed: string[] } {
  const put: Record<string, string> = {}
  for (const [key, text] of to) if (from.get(key) !== text) put[key] = text
  const removed = [...from.keys()].filter((key) => !to.has(key)).sort(byCodeUnit)
  return { put, removed }
}

/** `base` with a diff applied; `base` is not changed. The signature check says if it is right. */
export function applyDirectoryDiff(
  base: DirectoryEntries,
  put: Readonly<Record<string, string>>,
  removed: readonly string[],
): Map<string, string> {
  const next = new Map(base)
  for (const key of removed) next.delete(key)
  for (const [key, text] of Object.entries(put)) next.set(key, text)
  return next
}

// ---------------------------------------------------------------------------------------------
// Heads

/** Build and sign the head for `entries` (the admin's console; tests). */
export function signDirectory(
  entries: DirectoryEntries,
  meta: { readonly community: string; readonly version: number; readonly issuedAt: string },
  rootSecretKey: SignSecretKey,
): { head: DirectoryHead; signed: SignedDirectoryHead } {
  const head: DirectoryHead = {
    v: DIRECTORY_HEAD_VERSION,
    community: meta.community,
    version: meta.version,
    issuedAt: meta.issuedAt,
    entries: entries.size,
    digest: toBase64url(directoryDigest(entries)),
    global: toBase64url(directoryDigest(entries, isGlobalEntryKey)),
  }
  const checked = v.safeParse(DirectoryHeadSchema, head, { abortPipeEarly: true })
  if (!checked.success) throw validationError(checked.issues)
  const payload = utf8(JSON.stringify(head))
  return {
    head,
    signed: {
      payload: toBase64url(payload),
      signature: toBase64url(signDetached(DIRECTORY_SIGNING_DOMAIN, payload, rootSecretKey)),
    },
  }
}

/** Check a signed head's shape and read it, without deciding whether to trust it. */
export function readDirectoryHead(input: unknown): { signed: SignedDirectoryHead; head: DirectoryHead } {
  const outer = v.safeParse(SignedDirectoryHeadSchema, input, { abortPipeEarly: true })
  if (!outer.success) throw validationError(outer.issues)
  let json: unknown
  try {
    json = JSON.parse(fromUtf8(decodeField(outer.output.payload)))
  } catch (error) {
    if (error instanceof ProtocolError) throw error
    throw new ProtocolError('invalid_json')
  }
  const inner = v.safeParse(DirectoryHeadSchema, json, { abortPipeEarly: true })
  if (!inner.success) throw validationError(inner.issues, 'invalid_directory')
  return { signed: outer.output, head: inner.output }
}

/**
 * The whole check a device (or the relay) makes before using or storing a version: the head is
 * well formed, names `community`, is signed by `root`, and commits to exactly `entries`. Throws
 * ProtocolError: invalid_body / invalid_encoding / invalid_json / invalid_directory (the head),
 * community_mismatch, bad_signature, directory_digest_mismatch.
 */
export function verifyDirectory(
  input: unknown,
  entries: DirectoryEntries,
  expect: { readonly community: string; readonly root: SignPublicKey },
  hashes?: ReadonlyMap<string, Uint8Array>,
): DirectoryHead {
  const { signed, head } = readDirectoryHead(input)
  if (head.community !== expect.community) throw new ProtocolError('community_mismatch')
  if (
    !verifyDetached(
      DIRECTORY_SIGNING_DOMAIN,
      decodeField(signed.payload),
      decodeField(signed.signature),
      expect.root,
    )
  )
    throw new ProtocolError('bad_signature')
  if (
    head.entries !== entries.size ||
    head.digest !== toBase64url(directoryDigest(entries, undefined, hashes))
  )
    throw new ProtocolError('directory_digest_mismatch')
  return head
}

// ---------------------------------------------------------------------------------------------
// Reading entries

function parseEntry<T extends v.GenericSchema>(
  schema: T,
  key: string,
  text: string,
  issues: DirectoryIssue[],
): v.InferOutput<T> | null {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    issues.push({ path: '(entry)', entry: key, rule: 'not JSON' })
    return null
  }
  const result = v.safeParse(schema, json)
  if (result.success) return result.output
  for (const issue of describeIssues(result.issues))
    issues.push({ ...issue, entry: `${key} › ${issue.entry}` })
  return null
}

/**
 * The directory the matcher takes (shared/directory/match.ts), from verified entries: each entry
 * parsed against its schema, the community layer over the global one. Throws ProtocolError
 * `invalid_directory` listing where entries fail (by key and field, never quoting a value).
 */
export function readDirectoryEntries(entries: DirectoryEntries): DirectoryData {
  const issues: DirectoryIssue[] = []
  const globalOrgs = new Map<string, Organization>()
  const local = new Map<string, Organization>()
  const emergency: EmergencyCountry[] = []
  for (const key of [...entries.keys()].sort(byCodeUnit)) {
    const text = entries.get(key) as string
    if (!isDirectoryEntryKey(key)) {
      issues.push({ path: '(key)', entry: '(entry)', rule: 'not a directory entry key' })
      continue
    }
    const [layer, kind, id] = key.split(':') as [string, string, string]
    if (kind === 'em') {
      const entry = parseEntry(EmergencyCountrySchema, key, text, issues)
      if (entry && entry.country !== id) issues.push({ path: 'country', entry: key, rule: 'not the key' })
      else if (entry) emergency.push(entry)
      continue
    }
    const org = parseEntry(OrganizationSchema, key, text, issues)
    if (org && org.id !== id) issues.push({ path: 'id', entry: key, rule: 'not the key' })
    else if (org) (layer === 'c' ? local : globalOrgs).set(id, org)
  }
  for (const id of local.keys()) globalOrgs.delete(id)
  const organizations = [...globalOrgs.values(), ...local.values()]
  const services = new Set<string>()
  for (const o of organizations)
    for (const s of o.services) {
      if (services.has(s.id))
        issues.push({
          path: 'services',
          entry: `organization "${o.id}" › service "${s.id}"`,
          rule: 'two services share this id',
        })
      services.add(s.id)
    }
  if (issues.length > 0)
    throw new ProtocolError(
      'invalid_directory',
      issues.slice(0, 50).map((i) => ({ path: `${i.entry}: ${i.path}`, rule: i.rule })),
    )
  return { organizations, emergency }
}

/** Entries from the wire's object form, in a Map (no prototype keys: the schema checked them). */
export const entriesOf = (record: Readonly<Record<string, string>>): Map<string, string> =>
  new Map(Object.entries(record))
