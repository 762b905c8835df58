import type { Organization } from './directory.schema'

/**
 * A community's own organisations, offered back to Heard's global directory: a JSON Patch
 * (RFC 6902) against resources/organizations.json, which Heard's maintainers review like any pull
 * request (resources/README.md, "Adding or changing an entry"). Nothing is sent anywhere: the admin
 * downloads the file and hands it over.
 *
 * The patch is exact about what it assumes: every replaced organisation is preceded by a `test` of
 * the entry it replaces, so applying it to a file that changed since (an entry moved or edited)
 * fails loudly instead of overwriting someone else's correction.
 */

export const PROPOSAL_FORMAT = 'heard-directory-proposal' // must not change
export const PROPOSAL_VERSION = 1

/** The RFC 6902 operations a proposal uses, with paths into resources/organizations.json. */
export type ProposalOperation =
  | { readonly op: 'test'; readonly path: `/organizations/${number}`; readonly value: Organization }
  | { readonly op: 'replace'; readonly path: `/organizations/${number}`; readonly value: Organization }
  | { readonly op: 'add'; readonly path: '/organizations/-'; readonly value: Organization }

export interface DirectoryProposal {
  readonly format: typeof PROPOSAL_FORMAT
  readonly version: typeof PROPOSAL_VERSION
  /** The community that proposes it (a community id). */
  readonly community: string
  /** The global directory the patch was made against: its `g:` digest (base64url SHA-256). */
  readonly base: { readonly digest: string }
  /** ISO 8601 UTC. */
  readonly createdAt: string
  readonly patch: readonly ProposalOperation[]
}

/** Same JSON value, whatever the key order (RFC 6902 `test` compares that way too). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => sameJson(item, b[i]))
  const ak = Object.keys(a)
  const bk = Object.keys(b)
  const br = b as Record<string, unknown>
  return (
    ak.length === bk.length &&
    ak.every((k) => Object.hasOwn(br, k) && sameJson((a as Record<string, unknown>)[k], br[k]))
  )
}

/**
 * The patch that would put `overrides` into the global directory.
 * - `globalOrganizations`: the global file's organisations in file order (indices are positions).
 * - An override with a global organisation's id replaces it (`test` the old value, then `replace`);
 *   one identical to the global entry proposes nothing and is left out.
 * - Any other override is appended (`add` at `/organizations/-`), in the order given.
 * Throws if two overrides share an id: a community layer never holds that.
 */
export function proposeGlobalChange(
  globalOrganizations: readonly Organization[],
  overrides: readonly Organization[],
  meta: { readonly community: string; readonly globalDigest: string; readonly createdAt: string },
): DirectoryProposal {
  const indexOf = new Map(globalOrganizations.map((o, i) => [o.id, i]))
  const seen = new Set<string>()
  const patch: ProposalOperation[] = []
  for (const override of overrides) {
    if (seen.has(override.id)) throw new Error(`Two overrides share the id "${override.id}"`)
    seen.add(override.id)
    const index = indexOf.get(override.id)
    const old = index === undefined ? undefined : globalOrganizations[index]
    if (index === undefined || old === undefined) {
      patch.push({ op: 'add', path: '/organizations/-', value: override })
    } else if (!sameJson(old, override)) {
      patch.push({ op: 'test', path: `/organizations/${index}`, value: old })
      patch.push({ op: 'replace', path: `/organizations/${index}`, value: override })
    }
  }
  return {
    format: PROPOSAL_FORMAT,
    version: PROPOSAL_VERSION,
    community: meta.community,
    base: { digest: meta.globalDigest },
    createdAt: meta.createdAt,
    patch,
  }
}

/** `heard-directory-proposal-<community>-<YYYY-MM-DD>.json`, the day being createdAt's (UTC). */
export const proposalFileName = (proposal: Pick<DirectoryProposal, 'community' | 'createdAt'>): string =>
  `${PROPOSAL_FORMAT}-${proposal.community}-${proposal.createdAt.slice(0, 10)}.json`
