import { Plural, Trans, useLingui } from '@lingui/react/macro'
import { useDeferredValue, useId, useMemo, useState } from 'react'
import { match, type ServiceMatch, URGENT_REASONS } from '../../shared/directory/match'
import { TOPICS, type Topic } from '../../shared/directory/topics'
import { AppLink } from '../app/AppLink'
import { pathOf } from '../app/route'
import { CountrySelect } from './CountrySelect'
import { isCountryCode } from './country'
import { DirectoryNotice } from './DirectoryNotice'
import { REASON_LABELS, TOPIC_LABELS } from './labels'
import { ServiceItem } from './ServiceItem'
import { matchesWords, queryWords, type Searchable, searchable } from './search'
import { useCommunity } from './use-community'

/** Results drawn at once; a phone should not lay out thousands of cards for one keystroke. */
const PAGE_SIZE = 50

type Reason = Exclude<ServiceMatch['reason'], 'crisis_24_7'>
const GROUPS: readonly Reason[] = ['country_language', 'country', 'region', 'global']

interface Result {
  readonly entry: Searchable
  readonly reason?: Reason
  readonly contacts: ServiceMatch['contacts']
  readonly verified: boolean
}

/**
 * Every service in the community's directory, searchable and filtered on the device: by country
 * (then ranked by the matcher, nearest first), language and topic. It works offline from the copy
 * kept on this device, and nothing typed here is sent anywhere.
 */
export function SupportScreen() {
  const { t, i18n } = useLingui()
  const { directory, country: chosen, chooseCountry, community, linked } = useCommunity()
  const ids = { title: useId(), search: useId(), country: useId(), language: useId(), topic: useId() }
  const [query, setQuery] = useState('')
  const [language, setLanguage] = useState('')
  const [topic, setTopic] = useState<Topic | ''>('')
  const [limit, setLimit] = useState(PAGE_SIZE)
  const words = queryWords(useDeferredValue(query))
  const wordsKey = words.join(' ')
  const country = isCountryCode(chosen) ? chosen : ''

  const data = directory.state === 'ready' ? directory.data : null
  const index = directory.state === 'ready' ? directory.index : null
  const entries = useMemo(() => (data === null ? [] : searchable(data.organizations)), [data])
  const byId = useMemo(() => new Map(entries.map((e) => [e.service.id, e])), [entries])

  const languages = useMemo(() => {
    const names = new Intl.DisplayNames([i18n.locale], { type: 'language', fallback: 'code' })
    const codes = new Set<string>()
    for (const e of entries) for (const l of e.languages) codes.add(l)
    const collator = new Intl.Collator(i18n.locale)
    return [...codes]
      .map((code) => ({ code, name: safeName(names, code) }))
      .sort((a, b) => collator.compare(a.name, b.name))
  }, [entries, i18n.locale])

  const results = useMemo((): Result[] => {
    const words = wordsKey === '' ? [] : wordsKey.split(' ')
    const fits = (e: Searchable) =>
      (language === '' || e.languages.has(language)) &&
      (topic === '' || (e.service.topics as readonly string[]).includes(topic)) &&
      matchesWords(e, words)
    if (index !== null && country !== '') {
      const ranked = match(index, {
        country,
        languages: language === '' ? navigator.languages : [language],
        harms: topic === '' ? [] : [topic],
        urgent: false,
      }).matches.filter((m) => !URGENT_REASONS.includes(m.reason)) as ServiceMatch[]
      const out: Result[] = []
      for (const m of ranked) {
        const entry = byId.get(m.service.id)
        if (entry && fits(entry))
          out.push({ entry, reason: m.reason as Reason, contacts: m.contacts, verified: m.verified })
      }
      return out
    }
    const collator = new Intl.Collator(i18n.locale)
    return entries
      .filter(fits)
      .map((entry) => ({
        entry,
        contacts: entry.service.contacts,
        verified: entry.organization.status === 'verified' && entry.service.status === 'verified',
      }))
      .sort(
        (a, b) =>
          Number(b.verified) - Number(a.verified) ||
          collator.compare(a.entry.service.name, b.entry.service.name),
      )
  }, [index, country, language, topic, wordsKey, entries, byId, i18n.locale])

  const shown = results.slice(0, limit)
  const groups = country === '' ? null : GROUPS.map((g) => [g, shown.filter((r) => r.reason === g)] as const)
  const item = (r: Result, level: 2 | 3) => (
    <ServiceItem
      key={r.entry.service.id}
      organization={r.entry.organization}
      service={r.entry.service}
      contacts={r.contacts}
      verified={r.verified}
      level={level}
      testId="support-result"
      full
      anyCountry={country === ''}
    />
  )

  return (
    <section className="card support-browser" aria-labelledby={ids.title} data-testid="support-browser">
      <h1 id={ids.title} className="card__title">
        <Trans>Where to get support</Trans>
      </h1>
      <p>
        <Trans>
          Organisations from this community's directory, kept on this device. Searching and choosing here
          happen on the device: nothing you type or choose is sent.
        </Trans>
      </p>
      <DirectoryNotice directory={directory} />

      <div className="support-browser__filters">
        <div className="field support-browser__search">
          <label className="field__label" htmlFor={ids.search}>
            <Trans>Search by name or what they do</Trans>
          </label>
          <input
            id={ids.search}
            type="search"
            className="field__input"
            value={query}
            onChange={(e) => {
              setQuery(e.target.value)
              setLimit(PAGE_SIZE)
            }}
            autoComplete="off"
            data-testid="support-search"
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.country}>
            <Trans>Country you are in</Trans>
          </label>
          <CountrySelect
            id={ids.country}
            value={country}
            onChange={(next) => {
              chooseCountry(next, { remember: true })
              setLimit(PAGE_SIZE)
            }}
          />
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.language}>
            <Trans>Language</Trans>
          </label>
          <select
            id={ids.language}
            className="field__input field__input--select"
            value={language}
            onChange={(e) => {
              setLanguage(e.target.value)
              setLimit(PAGE_SIZE)
            }}
          >
            <option value="">{t`Any language`}</option>
            {languages.map((l) => (
              <option key={l.code} value={l.code}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={ids.topic}>
            <Trans>Kind of help</Trans>
          </label>
          <select
            id={ids.topic}
            className="field__input field__input--select"
            value={topic}
            onChange={(e) => {
              setTopic(e.target.value as Topic | '')
              setLimit(PAGE_SIZE)
            }}
          >
            <option value="">{t`Any kind`}</option>
            {TOPICS.map((code) => (
              <option key={code} value={code}>
                {t(TOPIC_LABELS[code])}
              </option>
            ))}
          </select>
        </div>
      </div>

      {directory.state === 'loading' ? (
        <p role="status">{t`Looking up support saved on this device…`}</p>
      ) : (
        data !== null && (
          <p className="support-browser__count" role="status">
            {country === '' ? (
              <Plural value={results.length} one="# service" other="# services" />
            ) : (
              <Plural
                value={results.length}
                one="# service for your country, nearest first"
                other="# services for your country, nearest first"
              />
            )}
          </p>
        )
      )}

      {groups === null ? (
        <ul className="referrals__list">{shown.map((r) => item(r, 2))}</ul>
      ) : (
        groups.map(
          ([reason, list]) =>
            list.length > 0 && (
              <section key={reason} className="support-browser__group" aria-label={t(REASON_LABELS[reason])}>
                <h2 className="support-browser__group-title">{t(REASON_LABELS[reason])}</h2>
                <ul className="referrals__list">{list.map((r) => item(r, 3))}</ul>
              </section>
            ),
        )
      )}

      {results.length > shown.length && (
        <button type="button" className="button button--quiet" onClick={() => setLimit(limit + PAGE_SIZE)}>
          <Trans>Show more</Trans>
        </button>
      )}

      <p className="screen__aside">
        <AppLink className="link" href={pathOf(linked ? community : null, 'report')}>
          <Trans>Back to the report form</Trans>
        </AppLink>
      </p>
    </section>
  )
}

function safeName(names: Intl.DisplayNames, code: string): string {
  try {
    return names.of(code) ?? code
  } catch {
    return code
  }
}
