import { Hono } from 'hono'
import { compress } from 'hono/compress'
import { describeRoute, resolver } from 'hono-openapi'
import * as v from 'valibot'
import { signPublicKey, toBase64url } from '../../shared/crypto'
import {
  applyDirectoryDiff,
  type DirectoryPublish,
  DirectoryPublishedSchema,
  DirectoryPublishSchema,
  DirectorySyncSchema,
  decodeField,
  diffEntries,
  directoryDigest,
  directoryEntryHash,
  GlobalDirectorySchema,
  isDirectoryEntryKey,
  isGlobalEntryKey,
  ProtocolError,
  readDirectoryEntries,
  readDirectoryHead,
  validationError,
  verifyDirectory,
} from '../../shared/protocol'
import { type BrokerVariables, requireBroker } from '../auth/broker-session'
import type { DirectoryEntryRow } from '../db/store'
import type { GlobalDirectoryAnswer } from '../directory/global-directory'
import { readJsonBody } from '../http/json-body'
import { communityParam } from './community-param'
import { nowSeconds, type RelayDeps } from './context'
import { errorResponses } from './openapi-docs'

/**
 * The largest body PUT takes. A first version carries the whole directory (Heard's global layer is
 * about 160 KB of entries today, a community's own organisations come on top), and every entry's
 * text is escaped once more inside the JSON body; 16 MiB leaves room for directories many times
 * today's, while still bounding what one request can make the relay hold and hash.
 */
export const MAX_DIRECTORY_BODY = 16 * 1024 * 1024

const SESSION_ERRORS = ['unauthorized', 'session_expired', 'not_a_broker'] as const

/** `since`: absent, or a version the device holds (1 to 15 digits, no leading zero). */
function sinceParam(value: string | undefined): number | null {
  if (value === undefined) return null
  if (!/^[1-9]\d{0,14}$/.test(value)) throw new ProtocolError('invalid_cursor')
  return Number(value)
}

/**
 * The PUT body against DirectoryPublishSchema. The keys of `put` are the client's own text, and a
 * failed one would appear in an issue's path: such a key is named `(key)` instead, so nothing the
 * client sent is echoed unless it is a well-formed entry key.
 */
function readPublishBody(input: unknown): DirectoryPublish {
  const result = v.safeParse(DirectoryPublishSchema, input, { abortPipeEarly: true })
  if (result.success) return result.output
  const error = validationError(result.issues)
  const issues = error.issues?.map((issue) =>
    issue.path.startsWith('put.') && !isDirectoryEntryKey(issue.path.slice(4))
      ? { ...issue, path: 'put.(key)' }
      : issue,
  )
  throw new ProtocolError(error.code, issues)
}

/** Entries as the wire's object (keys are checked entry keys: no prototype names). */
const recordOf = (entries: readonly DirectoryEntryRow[]): Record<string, string> =>
  Object.fromEntries(entries.map((e) => [e.key, e.text]))

/**
 * A community's referral directory (docs/protocol.md 7.11; shared/protocol/directory.schema.ts):
 * versions signed by the community root key, kept as entries so a device that holds one version
 * fetches only what changed. GET is public — complainants fetch it before they have anything to
 * do with the team — and what it serves is checked on the device against the root, so the relay
 * cannot change a phone number unseen. PUT takes the next version as a diff from the current one,
 * from any current broker's session: the root's signature, not the session, decides. The relay
 * checks everything a device would before storing, so a version it holds always verifies, and
 * keeps every version: nothing is deleted.
 */
/**
 * gzip for the directory's answers only. They hold nothing secret (the same published data for
 * everyone), so compression cannot leak a secret through the size (BREACH), and it is what keeps a
 * one-entry change within a couple of kilobytes on a poor connection. Other API answers carry
 * session tokens or ciphertext and stay uncompressed.
 */
const publicCompression = compress({ encoding: 'gzip' })

export function directoryRoutes(deps: RelayDeps) {
  return new Hono<{ Variables: BrokerVariables }>()
    .get(
      '/',
      publicCompression,
      describeRoute({
        summary:
          "The community's referral directory, signed by its root key: unchanged, a diff from the device's " +
          'version, or the whole of it (public)',
        description: 'See docs/protocol.md, "Referral directory".',
        parameters: [
          {
            name: 'since',
            in: 'query',
            required: false,
            description: 'The version the device holds; absent when it holds none.',
            schema: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' },
          },
        ],
        responses: {
          200: {
            description: '`{kind: "unchanged"}`, `{kind: "diff"}` or `{kind: "full"}`',
            content: { 'application/json': { schema: resolver(DirectorySyncSchema) } },
          },
          ...errorResponses(
            'invalid_community',
            'invalid_cursor',
            'unknown_community',
            'directory_not_published',
          ),
        },
      }),
      async (c) => {
        const community = communityParam(c)
        const since = sinceParam(c.req.query('since'))
        if (!(await deps.manifests.current(community))) throw new ProtocolError('unknown_community')
        const current = await deps.store.currentDirectory(community)
        if (!current) throw new ProtocolError('directory_not_published')
        // The device decides whether its copy is fresh enough; no cache between may decide for it.
        c.header('Cache-Control', 'no-store')
        if (since === current.version) return c.json({ kind: 'unchanged' as const, version: since }, 200)
        const head = { payload: current.payload, signature: current.signature }
        // Entries are read for the version named, which never changes: a version landing meanwhile
        // cannot mix into this answer.
        if (since !== null && since < current.version) {
          const changes = await deps.store.directoryChangesSince(community, since, current.version)
          if (changes)
            return c.json(
              {
                kind: 'diff' as const,
                from: since,
                head,
                put: recordOf(changes.put),
                removed: changes.removed,
              },
              200,
            )
        }
        const entries = await deps.store.directoryEntries(community, current.version)
        return c.json({ kind: 'full' as const, head, entries: recordOf(entries) }, 200)
      },
    )
    .put(
      '/',
      describeRoute({
        summary:
          'Publish the next version of the referral directory, signed by the community root key, as a diff from ' +
          'the current one. Brokers only (bearer session).',
        description:
          'See docs/protocol.md, "Referral directory", for the head, the entries and the order of checks.',
        requestBody: { content: { 'application/json': { schema: resolver(DirectoryPublishSchema) } } },
        responses: {
          201: {
            description: 'Stored: the new current version',
            content: { 'application/json': { schema: resolver(DirectoryPublishedSchema) } },
          },
          ...errorResponses(
            'invalid_community',
            ...SESSION_ERRORS,
            'unsupported_media_type',
            'body_too_large',
            'invalid_json',
            'invalid_body',
            'invalid_encoding',
            'invalid_directory',
            'directory_changed',
            'community_mismatch',
            'bad_signature',
            'directory_digest_mismatch',
            'unknown_community',
            'unavailable',
          ),
        },
      }),
      async (c, next) => {
        communityParam(c)
        await next()
      },
      requireBroker(deps.store, deps.manifests, () => nowSeconds(deps)),
      async (c) => {
        const community = communityParam(c)
        const publish = readPublishBody(await readJsonBody(c, MAX_DIRECTORY_BODY))
        const { head: claimed } = readDirectoryHead(publish.head)
        const manifest = await deps.manifests.current(community)
        if (!manifest) throw new ProtocolError('unknown_community')
        const stored = await deps.store.currentDirectory(community)
        const previous = stored?.version ?? null
        if (publish.from !== previous || claimed.version !== (previous ?? 0) + 1)
          throw new ProtocolError('directory_changed')

        // The next version's entries: the current ones with the diff applied. Hashes of entries
        // kept were stored with them, so only the entries put are hashed here.
        const base = previous === null ? [] : await deps.store.directoryEntries(community, previous)
        const baseEntries = new Map(base.map((e) => [e.key, e.text]))
        const putHashes = new Map(
          Object.entries(publish.put).map(([key, text]) => [key, directoryEntryHash(key, text)]),
        )
        const hashes = new Map([...base.map((e) => [e.key, e.hash] as const), ...putHashes])
        const entries = applyDirectoryDiff(baseEntries, publish.put, publish.removed)
        const head = verifyDirectory(
          publish.head,
          entries,
          { community, root: signPublicKey(decodeField(manifest.manifest.root)) },
          hashes,
        )
        // The head also says which global layer the admin adopted: the relay keeps no signed claim
        // it has not checked.
        if (head.global !== toBase64url(directoryDigest(entries, isGlobalEntryKey, hashes)))
          throw new ProtocolError('directory_digest_mismatch')
        readDirectoryEntries(entries)

        // Stored as the real changes: a put of an entry's current text, or a removal of a key the
        // version did not have, writes nothing.
        const changes = diffEntries(baseEntries, entries)
        const put = Object.entries(changes.put).map(([key, text]) => ({
          key,
          text,
          hash: putHashes.get(key) as Uint8Array,
        }))
        const outcome = await deps.store.appendDirectoryVersion(
          community,
          {
            version: head.version,
            payload: publish.head.payload,
            signature: publish.head.signature,
            entryCount: entries.size,
          },
          put,
          changes.removed,
          previous,
          deps.now().toISOString(),
        )
        if (outcome === 'conflict') throw new ProtocolError('directory_changed')
        if (outcome === 'unknown_community') throw new ProtocolError('unknown_community')
        return c.json({ community, version: head.version }, 201)
      },
    )
}

/** An If-None-Match header that names `etag` (or `*`), weak or strong. */
const matches = (header: string | undefined, etag: string): boolean =>
  (header ?? '').split(',').some((tag) => {
    const t = tag.trim()
    return t === '*' || t === etag || t === `W/${etag}`
  })

/**
 * Heard's global directory as this relay ships it (resources/), for an admin to review and sign
 * into their community's directory. Public: it is the project's published data. Made once at
 * start-up; its digest is its ETag, so a console that has it revalidates for a 304.
 */
export function globalDirectoryRoutes(global: GlobalDirectoryAnswer) {
  const etag = `"${global.digest}"`
  return new Hono().get(
    '/global',
    publicCompression,
    describeRoute({
      summary: "Heard's global referral directory as this relay ships it: `{digest, entries}` (public)",
      description:
        'See docs/protocol.md, "Referral directory". Answers 304 to an If-None-Match naming its ETag.',
      responses: {
        200: {
          description: 'The global layer, as `g:` entries',
          content: { 'application/json': { schema: resolver(GlobalDirectorySchema) } },
        },
        304: { description: 'Unchanged since the ETag given' },
      },
    }),
    (c) => {
      c.header('Cache-Control', 'no-cache')
      c.header('ETag', etag)
      if (matches(c.req.header('if-none-match'), etag)) return c.body(null, 304)
      return c.body(global.body, 200, { 'Content-Type': 'application/json' })
    },
  )
}
