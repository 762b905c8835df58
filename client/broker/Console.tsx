import { Trans, useLingui } from '@lingui/react/macro'
import { useCallback, useEffect, useId, useMemo, useState } from 'react'
import type { Manifest } from '../../shared/protocol'
import { formatHour } from '../report/format-time'
import { HARM_LABELS } from '../report/labels'
import { CannedEditor, languageName } from './CannedEditor'
import { CaseDetail } from './CaseDetail'
import { DeadlineTags } from './DeadlineTags'
import { DirectorySettings } from './DirectorySettings'
import {
  type CaseStatus,
  type CaseView,
  type LogStatus,
  loadCases,
  logStatus,
  membership,
  RelayRefusal,
  searchCases,
  sync,
  current as vaultNow,
} from './engine'
import { JoinWaiting } from './JoinWaiting'
import { LogBanner } from './LogBanner'
import { Settings } from './Settings'
import { StatusLabel } from './StatusLabel'
import { Team } from './Team'

const ROWS = 100

type Filter = 'open' | 'mine' | 'all' | CaseStatus

/** The language filter's value for reports that name no language (no tag can be empty). */
const NO_LANGUAGE = '-'

/** The inbox: sync, filter and search on this device, then one case at a time. */
export function Console() {
  const { t, i18n } = useLingui()
  const ids = { inbox: useId(), search: useId(), filter: useId(), language: useId() }
  const [cases, setCases] = useState<readonly CaseView[]>([])
  const [manifest, setManifest] = useState<Manifest | null>(null)
  const [syncing, setSyncing] = useState<'idle' | 'syncing' | 'failed'>('idle')
  const [query, setQuery] = useState('')
  const [filter, setFilter] = useState<Filter>('open')
  /** A report language to show only, NO_LANGUAGE for reports that name none, '' for all. */
  const [language, setLanguage] = useState('')
  const [selected, setSelected] = useState<string | null>(null)
  // A long inbox is shown a screenful at a time: drawing 10,000 rows would take seconds.
  const [shown, setShown] = useState(ROWS)
  const [member, setMember] = useState<boolean | null>(null)
  const [panel, setPanel] = useState<'team' | 'canned' | 'settings' | null>(null)
  const [log, setLog] = useState<LogStatus | null>(null)

  const reload = useCallback(async () => {
    const loaded = await loadCases()
    setCases(loaded.cases)
    setManifest(loaded.manifest)
  }, [])

  const syncNow = useCallback(async () => {
    setSyncing('syncing')
    let failed = false
    try {
      setLog((await sync()).log)
    } catch (error) {
      // Removed from the team: say so (the membership check shows it), not "unreachable".
      if (error instanceof RelayRefusal && error.code === 'not_a_broker') {
        setSyncing('idle')
        setMember(false)
        return
      }
      failed = true
    }
    // What was synced before a failure is shown too; "up to date" only once it is on screen.
    await reload().catch(() => {
      failed = true
    })
    // A failed sync still shows what the last audit found (an alarm must not vanish offline).
    if (failed) setLog(await logStatus().catch(() => null))
    setSyncing(failed ? 'failed' : 'idle')
  }, [reload])

  const checkMembership = useCallback(async () => {
    try {
      const { member: isMember, manifest: current } = await membership()
      setManifest(current)
      setMember(isMember)
      if (isMember) await syncNow()
    } catch {
      setSyncing('failed')
      setMember(true)
      await reload().catch(() => undefined)
    }
  }, [syncNow, reload])

  useEffect(() => {
    void checkMembership()
  }, [checkMembership])
  const recheck = useCallback(() => void checkMembership(), [checkMembership])

  const me = vaultNow()?.identity.signKey ?? ''
  const visible = useMemo(() => {
    const hits = query.trim() ? searchCases(cases, query) : null
    return cases.filter(
      (c) =>
        (filter === 'all' ||
          (filter === 'open'
            ? c.status !== 'closed'
            : filter === 'mine'
              ? c.assignee === me && c.status !== 'closed'
              : c.status === filter)) &&
        (!hits || hits.has(c.id)) &&
        (language === '' || (c.report?.language || NO_LANGUAGE) === language),
    )
  }, [cases, filter, query, me, language])
  // Every language reports came in, with how many: a language nobody on the team reads still
  // shows here, which is how a community learns that its speakers are asking for help.
  const languages = useMemo(() => {
    const counts = new Map<string, number>()
    for (const c of cases) {
      const l = c.report?.language || NO_LANGUAGE
      counts.set(l, (counts.get(l) ?? 0) + 1)
    }
    return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  }, [cases])
  const current = cases.find((c) => c.id === selected) ?? null
  const nameOf = (signKey: string) =>
    manifest?.brokers.find((b) => b.signKey === signKey)?.name ?? t`a former broker`
  const knownTags = useMemo(() => [...new Set(cases.flatMap((c) => c.tags))].sort(), [cases])

  if (member === false) return <JoinWaiting onCheck={recheck} />
  if (member === null) return null
  if (panel && manifest) {
    return (
      <div className="case">
        <button type="button" className="button button--quiet" onClick={() => setPanel(null)}>
          <Trans>Back to the reports</Trans>
        </button>
        {panel === 'team' ? (
          <Team manifest={manifest} onChanged={() => void checkMembership()} />
        ) : panel === 'canned' ? (
          <CannedEditor manifest={manifest} />
        ) : (
          <>
            <Settings />
            <DirectorySettings manifest={manifest} />
          </>
        )}
      </div>
    )
  }
  if (current && manifest) {
    return (
      <CaseDetail
        view={current}
        manifest={manifest}
        me={me}
        knownTags={knownTags}
        onBack={() => setSelected(null)}
        onChanged={() => void syncNow()}
      />
    )
  }

  return (
    <section className="inbox" aria-labelledby={ids.inbox}>
      <div className="inbox__head">
        <h1 id={ids.inbox} className="inbox__title">
          <Trans>Reports</Trans>
        </h1>
        <div className="inbox__actions">
          <button type="button" className="button button--quiet" onClick={() => setPanel('team')}>
            <Trans>Team</Trans>
          </button>
          <button type="button" className="button button--quiet" onClick={() => setPanel('canned')}>
            <Trans>Canned responses</Trans>
          </button>
          <button type="button" className="button button--quiet" onClick={() => setPanel('settings')}>
            <Trans>Settings</Trans>
          </button>
          <button
            type="button"
            className="button button--quiet"
            onClick={() => void syncNow()}
            disabled={syncing === 'syncing'}
          >
            {syncing === 'syncing' ? <Trans>Syncing…</Trans> : <Trans>Sync now</Trans>}
          </button>
        </div>
      </div>
      <LogBanner status={log} />
      <p className="inbox__status" aria-live="polite" data-testid="sync-status">
        {syncing === 'failed' ? (
          <span className="field__error">
            <Trans>The relay could not be reached. What is shown was synced earlier.</Trans>
          </span>
        ) : syncing === 'syncing' ? (
          <Trans>Fetching and opening new reports on this device…</Trans>
        ) : (
          <Trans>Up to date. Reports are opened on this device only.</Trans>
        )}
      </p>
      <div className="inbox__tools">
        <div className="field">
          <label className="field__label" htmlFor={ids.search}>
            <Trans>Search the reports</Trans>
          </label>
          <input
            id={ids.search}
            className="field__input"
            type="search"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value)
              setShown(ROWS)
            }}
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.filter}>
            <Trans>Show</Trans>
          </label>
          <select
            id={ids.filter}
            className="field__input"
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value as Filter)
              setShown(ROWS)
            }}
          >
            <option value="open">{t`Open cases`}</option>
            <option value="mine">{t`Open cases handled by me`}</option>
            <option value="all">{t`All cases`}</option>
            <option value="new">{t`New`}</option>
            <option value="acknowledged">{t`Acknowledged`}</option>
            <option value="referred">{t`Referred`}</option>
            <option value="in_progress">{t`In progress`}</option>
            <option value="closed">{t`Closed`}</option>
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.language}>
            <Trans>Report language</Trans>
          </label>
          <select
            id={ids.language}
            className="field__input"
            value={language}
            data-testid="inbox-language"
            onChange={(e) => {
              setLanguage(e.target.value)
              setShown(ROWS)
            }}
          >
            <option value="">{t`All languages`}</option>
            {languages.map(([tag, count]) => {
              const name = tag === NO_LANGUAGE ? t`Not given` : languageName(tag, i18n.locale)
              return (
                <option key={tag} value={tag}>
                  {t`${name}: ${count}`}
                </option>
              )
            })}
          </select>
        </div>
      </div>
      {visible.length === 0 ? (
        <p className="inbox__empty">
          <Trans>No reports here.</Trans>
        </p>
      ) : (
        <ul className="inbox__list" data-testid="inbox" data-count={visible.length}>
          {visible.slice(0, shown).map((c) => (
            <li key={c.id} className="inbox__item" data-case={c.id} data-status={c.status}>
              <button type="button" className="inbox__open" onClick={() => setSelected(c.id)}>
                <span className="inbox__line">
                  <StatusLabel status={c.status} />
                  <span className="inbox__meta">
                    <Trans>
                      #{c.seq} · received around {formatHour(c.receivedAt, i18n.locale)} UTC
                    </Trans>
                  </span>
                </span>
                <span className="inbox__line inbox__tags">
                  {manifest && <DeadlineTags view={c} manifest={manifest} />}
                  {c.report?.danger && (
                    <span className="tag tag--danger">
                      <Trans>Someone in danger</Trans>
                    </span>
                  )}
                  {c.report?.harms?.map((h) => (
                    <span className="tag" key={h}>
                      {t(HARM_LABELS[h])}
                    </span>
                  ))}
                  {c.report?.language && (
                    <span className="tag" data-testid="inbox-language-tag">
                      {languageName(c.report.language, i18n.locale)}
                    </span>
                  )}
                  {c.assignee && (
                    <span className="tag tag--quiet">
                      {c.assignee === me ? (
                        <Trans>Handled by you</Trans>
                      ) : (
                        <Trans>Handled by {nameOf(c.assignee)}</Trans>
                      )}
                    </span>
                  )}
                  {c.tags.map((name) => (
                    <span className="tag tag--quiet" key={`tag:${name}`}>
                      #{name}
                    </span>
                  ))}
                  {!c.report && (
                    <span className="tag">
                      {c.unreadable === undefined || c.unreadable === 'not_a_recipient' ? (
                        <Trans>Sealed before you joined</Trans>
                      ) : (
                        <Trans>Cannot be opened: damaged or altered</Trans>
                      )}
                    </span>
                  )}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {visible.length > shown && (
        <div className="inbox__more">
          <p className="inbox__meta" data-testid="inbox-count">
            <Trans>
              Showing {shown} of {visible.length}.
            </Trans>
          </p>
          <button type="button" className="button button--quiet" onClick={() => setShown((n) => n + ROWS)}>
            <Trans>Show more reports</Trans>
          </button>
        </div>
      )}
    </section>
  )
}
