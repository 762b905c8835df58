import type { Organization } from '../../../shared/directory'
import { type DirectoryEntries, isGlobalEntryKey } from '../../../shared/protocol'

/**
 * Pure. What an admin reads before signing a directory version: which entries a new version adds,
 * changes or drops, named as a person knows them (an organisation's name, a country code), and
 * how large a version is. Entries are compared by their exact text, as the signature covers them.
 */

export interface EntryChange {
  readonly key: string
  readonly kind: 'organization' | 'country'
  /** The organisation's name (its id if the text has none), or the country code. */
  readonly label: string
}

export interface EntryChanges {
  readonly added: readonly EntryChange[]
  readonly changed: readonly EntryChange[]
  readonly removed: readonly EntryChange[]
}

const byKey = (a: EntryChange, b: EntryChange): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)

/** Names are read from the entry's text; the key's id stands in when the text has no usable name. */
function changeOf(key: string, text: string | undefined): EntryChange {
  const [, kind, id = ''] = key.split(':')
  if (kind === 'em') return { key, kind: 'country', label: id }
  let label = id
  try {
    const name = (JSON.parse(text ?? '') as { name?: unknown }).name
    if (typeof name === 'string' && name.trim() !== '') label = name
  } catch {
    // Not JSON: the id says which entry it is.
  }
  return { key, kind: 'organization', label }
}

/** The entries among `only` that differ between two versions, each list in key order. */
export function entryChanges(
  from: DirectoryEntries,
  to: DirectoryEntries,
  only: (key: string) => boolean = () => true,
): EntryChanges {
  const added: EntryChange[] = []
  const changed: EntryChange[] = []
  const removed: EntryChange[] = []
  for (const [key, text] of to) {
    if (!only(key)) continue
    const before = from.get(key)
    if (before === undefined) added.push(changeOf(key, text))
    else if (before !== text) changed.push(changeOf(key, text))
  }
  for (const [key, text] of from) if (only(key) && !to.has(key)) removed.push(changeOf(key, text))
  return { added: added.sort(byKey), changed: changed.sort(byKey), removed: removed.sort(byKey) }
}

/**
 * How Heard's global directory (as the relay ships it now) differs from the `g:` layer of the
 * published version: "Heard's directory has changed since you published".
 */
export const globalChanges = (published: DirectoryEntries, global: DirectoryEntries): EntryChanges =>
  entryChanges(published, global, isGlobalEntryKey)

/** The community's own organisations (`c:` entries) of a version, as a new version would change them. */
export const communityChanges = (from: DirectoryEntries, to: DirectoryEntries): EntryChanges =>
  entryChanges(from, to, (key) => key.startsWith('c:'))

export const hasChanges = (changes: EntryChanges): boolean =>
  changes.added.length + changes.changed.length + changes.removed.length > 0

export interface DirectorySummary {
  /** Organisations a device shows: global ones not replaced, plus the community's own. */
  readonly organizations: number
  /** Of those, the community's own (new ones and replacements). */
  readonly community: number
  /** Countries with emergency numbers. */
  readonly countries: number
}

export function summarize(entries: DirectoryEntries): DirectorySummary {
  const global = new Set<string>()
  const local = new Set<string>()
  let countries = 0
  for (const key of entries.keys()) {
    if (key.startsWith('g:org:')) global.add(key.slice(6))
    else if (key.startsWith('c:org:')) local.add(key.slice(6))
    else if (key.startsWith('g:em:')) countries++
  }
  for (const id of local) global.delete(id)
  return { organizations: global.size + local.size, community: local.size, countries }
}

/**
 * The community's organisations from a verified version's `c:` entries, in key order. Parsed as
 * plain JSON, not through the schema's output, so writing one back (JSON.stringify) gives the same
 * text and an untouched organisation is not sent again.
 */
export function communityOrganizations(entries: DirectoryEntries): Organization[] {
  return [...entries.keys()]
    .filter((key) => key.startsWith('c:org:'))
    .sort()
    .map((key) => JSON.parse(entries.get(key) as string) as Organization)
}

/** The global layer's organisations in the order the relay sent them (its file order). */
export function globalOrganizations(entries: DirectoryEntries): Organization[] {
  return [...entries]
    .filter(([key]) => key.startsWith('g:org:'))
    .map(([, text]) => JSON.parse(text) as Organization)
}
