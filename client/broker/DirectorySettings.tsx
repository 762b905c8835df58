import { Plural, Trans, useLingui } from '@lingui/react/macro'
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react'
import type { Organization } from '../../shared/directory'
import type { Manifest } from '../../shared/protocol'
import { DirectoryChangeList } from './DirectoryChangeList'
import {
  communityChanges,
  communityOrganizations,
  current,
  DirectoryChanged,
  DirectoryInvalid,
  DirectoryRollback,
  directoryIssues,
  type GlobalDirectoryView,
  globalChanges,
  hasChanges,
  loadGlobalDirectory,
  loadPublishedDirectory,
  nextEntries,
  type PublishedDirectory,
  publishDirectory,
  RelayRefusal,
  RelayUnreachable,
  summarize,
} from './engine'
import { OverrideEditor, type OverrideIssue } from './OverrideEditor'
import { localToday, overrideTemplate } from './override-template'
import { ProposalExport } from './ProposalExport'

type Published =
  | { readonly state: 'loading' }
  | { readonly state: 'ready'; readonly version: PublishedDirectory | null }
  | { readonly state: 'failed'; readonly reason: 'unreachable' | 'unverified' | 'rollback' }

type Outcome =
  | { readonly kind: 'published'; readonly version: number }
  | { readonly kind: 'changed' }
  | { readonly kind: 'invalid'; readonly issues: readonly OverrideIssue[] }
  | { readonly kind: 'refused'; readonly code: string }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'failed' }

/** Unpublished edits, kept as changes so they apply again over a version someone else published. */
interface Draft {
  readonly put: ReadonlyMap<string, Organization>
  readonly removed: ReadonlySet<string>
}
const NO_DRAFT: Draft = { put: new Map(), removed: new Set() }

const pretty = (organization: Organization) => JSON.stringify(organization, null, 2)

/**
 * Settings › Referral directory: the version complainants' devices get, how Heard's global directory
 * moved since, and (for the holder of the community key) the community's own organisations and
 * publishing the next signed version. Every outcome is said on screen.
 */
export function DirectorySettings({ manifest }: { readonly manifest: Manifest }) {
  const { t, i18n } = useLingui()
  const ids = { title: useId() }
  const isAdmin = Boolean(current()?.secrets.root)
  const [published, setPublished] = useState<Published>({ state: 'loading' })
  const [global, setGlobal] = useState<GlobalDirectoryView | 'loading' | 'failed'>('loading')
  const [draft, setDraft] = useState<Draft>(NO_DRAFT)
  const [editing, setEditing] = useState<{ id: string | null; text: string } | null>(null)
  const [outcome, setOutcome] = useState<Outcome | null>(null)
  const [busy, setBusy] = useState(false)

  // The console hands over a new manifest object after every sync; only another community or root
  // key means another directory, so the panel (and an edit in progress) is not reloaded for less.
  const latest = useRef(manifest)
  latest.current = manifest
  const { community, root } = manifest

  // biome-ignore lint/correctness/useExhaustiveDependencies: community and root name the directory
  const loadPublished = useCallback(async () => {
    try {
      setPublished({ state: 'ready', version: await loadPublishedDirectory(latest.current) })
    } catch (error) {
      setPublished({
        state: 'failed',
        reason:
          error instanceof DirectoryRollback
            ? 'rollback'
            : error instanceof RelayRefusal || error instanceof RelayUnreachable
              ? 'unreachable'
              : 'unverified',
      })
    }
  }, [community, root])

  const load = useCallback(async () => {
    setPublished({ state: 'loading' })
    setGlobal('loading')
    await Promise.all([loadPublished(), loadGlobalDirectory().then(setGlobal, () => setGlobal('failed'))])
  }, [loadPublished])

  useEffect(() => {
    void load()
  }, [load])

  const base = published.state === 'ready' ? published.version : null
  const baseEntries = useMemo(() => base?.entries ?? new Map<string, string>(), [base])
  const globalReady = typeof global === 'object' ? global : null

  /** The community's organisations as the next version would hold them, by id. */
  const organizations = useMemo(() => {
    const byId = new Map(communityOrganizations(baseEntries).map((o) => [o.id, o]))
    for (const id of draft.removed) byId.delete(id)
    for (const [id, o] of draft.put) byId.set(id, o)
    return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }, [baseEntries, draft])

  const next = useMemo(
    () => (globalReady ? nextEntries(globalReady.entries, organizations) : null),
    [globalReady, organizations],
  )
  const heardMoved = base && globalReady ? globalChanges(base.entries, globalReady.entries) : null
  const ownChanges = next ? communityChanges(baseEntries, next) : null
  const needsPublish =
    published.state === 'ready' &&
    next !== null &&
    (!base ||
      (heardMoved !== null && hasChanges(heardMoved)) ||
      (ownChanges !== null && hasChanges(ownChanges)))
  const globalNames = useMemo(
    () =>
      new Map(
        globalReady
          ? [...globalReady.entries]
              .filter(([key]) => key.startsWith('g:org:'))
              .map(([key, text]) => [key.slice(6), (JSON.parse(text) as { name: string }).name])
          : [],
      ),
    [globalReady],
  )

  const checkInDirectory = useCallback(
    (organization: Organization): OverrideIssue[] => {
      if (!globalReady) return []
      const others = organizations.filter((o) => o.id !== organization.id && o.id !== editing?.id)
      return directoryIssues(nextEntries(globalReady.entries, [...others, organization]))
    },
    [globalReady, organizations, editing],
  )
  const otherIds = useMemo(
    () => new Set(organizations.map((o) => o.id).filter((id) => id !== editing?.id)),
    [organizations, editing],
  )

  const save = (organization: Organization) => {
    setDraft((d) => {
      const put = new Map(d.put)
      const removed = new Set(d.removed)
      // A changed id is a new organisation in place of the old one.
      if (editing?.id && editing.id !== organization.id) {
        put.delete(editing.id)
        removed.add(editing.id)
      }
      put.set(organization.id, organization)
      removed.delete(organization.id)
      return { put, removed }
    })
    setEditing(null)
    setOutcome(null)
  }

  const remove = (id: string) => {
    setDraft((d) => {
      const put = new Map(d.put)
      put.delete(id)
      return { put, removed: new Set([...d.removed, id]) }
    })
    setOutcome(null)
  }

  const publish = async () => {
    if (!globalReady || published.state !== 'ready') return
    setBusy(true)
    setOutcome(null)
    try {
      const now = await publishDirectory({ manifest, base, global: globalReady, organizations })
      setPublished({ state: 'ready', version: now })
      setDraft(NO_DRAFT)
      setOutcome({ kind: 'published', version: now.head.version })
    } catch (error) {
      if (error instanceof DirectoryChanged) {
        // Their version is on screen now; the draft applies over it, for the admin to review again.
        setPublished({ state: 'ready', version: error.current })
        setOutcome({ kind: 'changed' })
      } else if (error instanceof DirectoryInvalid) setOutcome({ kind: 'invalid', issues: error.issues })
      else if (error instanceof RelayRefusal) setOutcome({ kind: 'refused', code: error.code })
      else if (error instanceof RelayUnreachable) setOutcome({ kind: 'unreachable' })
      else setOutcome({ kind: 'failed' })
    } finally {
      setBusy(false)
    }
  }

  const summary = base ? summarize(base.entries) : null
  // Named for the translators: the catalogue shows these names, not {0} and {1}.
  const version = base?.head.version ?? 0
  const nextVersion = version + 1
  const organisationCount = summary?.organizations ?? 0
  const ownCount = summary?.community ?? 0
  const countryCount = summary?.countries ?? 0
  const signedAt = base
    ? new Intl.DateTimeFormat(i18n.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
        new Date(base.head.issuedAt),
      )
    : ''

  return (
    <section className="case__section" aria-labelledby={ids.title} data-testid="directory-settings">
      <h2 id={ids.title} className="card__title">
        <Trans>Referral directory</Trans>
      </h2>
      <p>
        <Trans>
          The support organisations and emergency numbers that complainants' devices offer, matched on the
          device. Your community adopts Heard's directory, can add its own organisations or correct Heard's,
          and signs each version with the community key, so nobody on the way can change a phone number.
        </Trans>
      </p>
      <p className="directory__status" aria-live="polite" data-testid="directory-status">
        {published.state === 'loading' ? (
          <Trans>Checking the published directory…</Trans>
        ) : published.state === 'failed' ? (
          <span className="field__error">
            <LoadProblem reason={published.reason} />
          </span>
        ) : base && summary ? (
          <>
            <Trans>
              Published: version {version}, signed {signedAt} (signature verified).
            </Trans>{' '}
            <Plural
              value={organisationCount}
              one={`# organisation (${ownCount} of your community's own); emergency numbers for ${countryCount} countries.`}
              other={`# organisations (${ownCount} of your community's own); emergency numbers for ${countryCount} countries.`}
            />
          </>
        ) : (
          <Trans>
            Not published: complainants' devices have no referral directory for your community yet.
          </Trans>
        )}
      </p>
      {(published.state === 'failed' || global === 'failed') && (
        <button type="button" className="button button--quiet directory__retry" onClick={() => void load()}>
          <Trans>Try again</Trans>
        </button>
      )}
      {global === 'failed' && (
        <p className="field__error" role="alert">
          <Trans>
            Heard's directory could not be fetched from the relay, or did not match its digest, so nothing can
            be compared or published now. Try again later.
          </Trans>
        </p>
      )}
      {!isAdmin && (
        <p className="inbox__meta">
          <Trans>Only the holder of the community key can publish.</Trans>
        </p>
      )}

      {heardMoved && hasChanges(heardMoved) && (
        <div className="directory__part">
          <h3 className="field__label">
            <Trans>Heard's directory has changed since this version was published</Trans>
          </h3>
          <DirectoryChangeList changes={heardMoved} testId="directory-changes" />
        </div>
      )}

      {published.state === 'ready' && (
        <div className="directory__part">
          <h3 className="field__label">
            <Trans>Your community's own organisations</Trans>
          </h3>
          {organizations.length === 0 ? (
            <p className="inbox__meta">
              <Trans>None: your community uses Heard's directory as it is.</Trans>
            </p>
          ) : (
            <ul className="team__list" data-testid="directory-overrides">
              {organizations.map((organization) => {
                const { id, name } = organization
                return (
                  <li key={id} className="team__item">
                    <span>
                      <strong>{name}</strong> <span className="inbox__meta">({id})</span>
                      {globalNames.has(id) && (
                        <span className="fingerprint--small">
                          <Trans>Replaces Heard's entry.</Trans>
                        </span>
                      )}
                      {baseEntries.get(`c:org:${id}`) !== JSON.stringify(organization) && (
                        <span className="fingerprint--small">
                          <Trans>Not published yet.</Trans>
                        </span>
                      )}
                    </span>
                    {isAdmin && !editing && (
                      <span className="team__actions">
                        <button
                          type="button"
                          className="button button--quiet"
                          aria-label={t`Edit ${name}`}
                          onClick={() => setEditing({ id, text: pretty(organization) })}
                        >
                          <Trans>Edit</Trans>
                        </button>
                        <button
                          type="button"
                          className="button button--quiet"
                          aria-label={t`Remove ${name}`}
                          onClick={() => remove(id)}
                        >
                          <Trans>Remove</Trans>
                        </button>
                      </span>
                    )}
                  </li>
                )
              })}
            </ul>
          )}
          {isAdmin && editing && (
            <OverrideEditor
              initialText={editing.text}
              originalId={editing.id}
              otherIds={otherIds}
              globalNames={globalNames}
              checkInDirectory={checkInDirectory}
              onSave={save}
              onCancel={() => setEditing(null)}
            />
          )}
          {isAdmin && !editing && (
            <button
              type="button"
              className="button button--quiet directory__add"
              onClick={() =>
                setEditing({
                  id: null,
                  text: pretty(
                    overrideTemplate(localToday(), {
                      name: t`Name of the organisation`,
                      description: t`What the organisation does, in a sentence or two.`,
                      serviceName: t`Name of the service`,
                      serviceDescription: t`Who it helps, and how.`,
                      area: t`Worldwide`,
                    }),
                  ),
                })
              }
            >
              <Trans>Add an organisation</Trans>
            </button>
          )}
        </div>
      )}

      {isAdmin && published.state === 'ready' && globalReady && (
        <div className="directory__part">
          <h3 className="field__label">
            <Trans>Review and publish</Trans>
          </h3>
          {!needsPublish ? (
            <p className="inbox__meta">
              <Trans>The published version is current: there is nothing to publish.</Trans>
            </p>
          ) : (
            <>
              <p>
                {base ? (
                  <Trans>
                    Version {nextVersion} will hold Heard's directory as the relay ships it now, with your
                    community's organisations on top. Compared with version {version}:
                  </Trans>
                ) : (
                  <Trans>
                    Version 1 will hold Heard's directory as the relay ships it now, with your community's
                    organisations on top.
                  </Trans>
                )}
              </p>
              {base && heardMoved && hasChanges(heardMoved) && (
                <p className="inbox__meta">
                  <Trans>Heard's changes, listed above, are adopted.</Trans>
                </p>
              )}
              {ownChanges && hasChanges(ownChanges) && (
                <>
                  <p className="inbox__meta">
                    <Trans>Your community's own organisations:</Trans>
                  </p>
                  <DirectoryChangeList changes={ownChanges} />
                </>
              )}
              <button
                type="button"
                className="button button--primary"
                disabled={busy || editing !== null}
                onClick={() => void publish()}
                data-testid="directory-publish"
              >
                {busy ? (
                  <Trans>Signing and publishing…</Trans>
                ) : (
                  <Trans>Sign and publish version {nextVersion}</Trans>
                )}
              </button>
              {editing !== null && (
                <p className="inbox__meta">
                  <Trans>Keep or cancel the organisation you are editing first.</Trans>
                </p>
              )}
              {draft.put.size + draft.removed.size > 0 && (
                <button type="button" className="button button--quiet" onClick={() => setDraft(NO_DRAFT)}>
                  <Trans>Discard your unpublished changes</Trans>
                </button>
              )}
            </>
          )}
        </div>
      )}
      <p className="inbox__meta" role="status" data-testid="directory-published">
        {outcome?.kind === 'published' && (
          <Trans>
            Version {outcome.version} is signed and published. Complainants' devices fetch it the next time
            they open.
          </Trans>
        )}
      </p>
      {outcome && outcome.kind !== 'published' && <PublishProblem outcome={outcome} />}

      {published.state === 'ready' && globalReady && (
        <ProposalExport community={community} global={globalReady} organizations={organizations} />
      )}
    </section>
  )
}

function LoadProblem({ reason }: { readonly reason: 'unreachable' | 'unverified' | 'rollback' }) {
  switch (reason) {
    case 'unreachable':
      return <Trans>The published directory could not be fetched from the relay. Try again.</Trans>
    case 'unverified':
      return (
        <Trans>
          The directory the relay serves is not signed by your community's key, or does not match its
          signature. Complainants' devices refuse it too. Tell your colleagues; the holder of the community
          key can publish again once the relay serves the right version.
        </Trans>
      )
    case 'rollback':
      return (
        <Trans>
          The relay serves an older directory than this device has already seen, or none at all. It may be
          misbehaving; tell your colleagues.
        </Trans>
      )
  }
}

function PublishProblem({ outcome }: { readonly outcome: Exclude<Outcome, { kind: 'published' }> }) {
  return (
    <div className="field__error" role="alert" data-testid="directory-publish-problem">
      {outcome.kind === 'changed' ? (
        <p>
          <Trans>
            Someone else holding the community key published a version first. Nothing was overwritten: their
            version is shown now, with your unpublished changes on top. Review again, then publish.
          </Trans>
        </p>
      ) : outcome.kind === 'invalid' ? (
        <>
          <p>
            <Trans>Not published: the version would not be valid. Fix these first:</Trans>
          </p>
          <ul className="directory-editor__issues">
            {outcome.issues.map((issue, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: issues have no identity of their own
              <li key={i}>
                {issue.path}: {issue.rule}
              </li>
            ))}
          </ul>
        </>
      ) : outcome.kind === 'refused' ? (
        <p>
          <RefusedLine code={outcome.code} />
        </p>
      ) : outcome.kind === 'unreachable' ? (
        <p>
          <Trans>The relay could not be reached. Nothing was published; try again.</Trans>
        </p>
      ) : (
        <p>
          <Trans>
            Publishing stopped on this device before anything was sent, or the version published meanwhile did
            not verify. Nothing of yours was published; reopen this panel and try again.
          </Trans>
        </p>
      )}
    </div>
  )
}

function RefusedLine({ code }: { readonly code: string }) {
  switch (code) {
    case 'bad_signature':
      return (
        <Trans>
          The relay refused the signature: it does not hold your community key as the one this device signed
          with. Nothing was published.
        </Trans>
      )
    case 'directory_digest_mismatch':
      return (
        <Trans>
          The relay found that the entries sent do not match the signed version. Nothing was published; reopen
          this page and try again.
        </Trans>
      )
    default:
      return <Trans>The relay refused the new version ({code}). Nothing was published.</Trans>
  }
}
