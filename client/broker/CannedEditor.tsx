import { Trans, useLingui } from '@lingui/react/macro'
import { useCallback, useEffect, useId, useState } from 'react'
import {
  CANNED_KINDS,
  CANNED_RESPONSES_LIMITS,
  type CannedKind,
  type CannedResponse,
  isLanguageTag,
  type Manifest,
} from '../../shared/protocol'
import { formatHour } from '../report/format-time'
import { CANNED_KIND_LABELS, CANNED_SUGGESTIONS } from './canned-suggestions'
import { CannedRollback, type CannedSet, loadCanned, RelayRefusal, saveCanned } from './engine'

type Texts = Record<CannedKind, string>
type Problem = 'load' | 'rollback' | 'changed' | 'save' | 'language' | null

const emptyTexts = (): Texts => ({ acknowledgement: '', referral: '', cannot_act: '', closing: '' })

const textsFor = (set: CannedSet, language: string): Texts => {
  const texts = emptyTexts()
  for (const r of set.responses) if (r.language === language) texts[r.kind] = r.text
  return texts
}

/**
 * The community's canned responses, one language at a time. Saving signs the whole set as the
 * next version; a colleague's edit in between is reported, never overwritten.
 */
export function CannedEditor({ manifest }: { readonly manifest: Manifest }) {
  const { t, i18n } = useLingui()
  const ids = { title: useId(), language: useId(), newLanguage: useId(), problem: useId() }
  const [set, setSet] = useState<CannedSet | null>(null)
  const [language, setLanguage] = useState(i18n.locale.split('-')[0] ?? 'en')
  const [newLanguage, setNewLanguage] = useState('')
  const [texts, setTexts] = useState<Texts>(emptyTexts)
  const [problem, setProblem] = useState<Problem>(null)
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)

  const load = useCallback(
    async (keep?: string) => {
      try {
        const loaded = await loadCanned(manifest)
        setSet(loaded)
        const lang = keep ?? loaded.responses[0]?.language ?? language
        setLanguage(lang)
        setTexts(textsFor(loaded, lang))
        setProblem(null)
      } catch (error) {
        setProblem(error instanceof CannedRollback ? 'rollback' : 'load')
      }
    },
    [manifest, language],
  )

  // biome-ignore lint/correctness/useExhaustiveDependencies: load once when the panel opens
  useEffect(() => {
    void load()
  }, [])

  const languages = [...new Set([...(set?.responses.map((r) => r.language) ?? []), language])].sort()

  const save = async () => {
    if (!set) return
    setBusy(true)
    setSaved(false)
    const others = set.responses.filter((r) => r.language !== language)
    const mine: CannedResponse[] = CANNED_KINDS.filter((k) => texts[k].trim() !== '').map((kind) => ({
      kind,
      language,
      text: texts[kind].trim(),
    }))
    try {
      await saveCanned([...others, ...mine], set.seq)
      await load(language)
      setSaved(true)
    } catch (error) {
      setProblem(
        error instanceof RelayRefusal && error.code === 'canned_responses_changed' ? 'changed' : 'save',
      )
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="case__section" aria-labelledby={ids.title} data-testid="canned-editor">
      <h2 id={ids.title} className="card__title">
        <Trans>Canned responses</Trans>
      </h2>
      <p>
        <Trans>
          Starting points for replies, kept per language, so any broker can answer in the complainant's
          language. Every broker can edit them; each version is signed by whoever saved it. They are kept at
          the relay signed but not sealed, so the relay can read them: never put anything about a case in
          them.
        </Trans>
      </p>
      {set && set.seq > 0 && (
        <p className="inbox__meta" data-testid="canned-version">
          <Trans>
            Version {set.seq}, saved by {set.author ?? t`a former broker`} (signature verified) around{' '}
            {formatHour(set.issuedAt ?? '', i18n.locale)} UTC.
          </Trans>
        </p>
      )}
      {problem && (
        <p className="field__error" role="alert" id={ids.problem}>
          <CannedProblem problem={problem} />
        </p>
      )}
      {set && (
        <form
          className="broker-form"
          noValidate
          onSubmit={(event) => {
            event.preventDefault()
            void save()
          }}
        >
          <div className="case__row">
            <div className="field">
              <label className="field__label" htmlFor={ids.language}>
                <Trans>Language</Trans>
              </label>
              <select
                id={ids.language}
                className="field__input"
                value={language}
                onChange={(e) => {
                  setLanguage(e.target.value)
                  setTexts(textsFor(set, e.target.value))
                  setSaved(false)
                }}
              >
                {languages.map((l) => (
                  <option key={l} value={l}>
                    {languageName(l, i18n.locale)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label className="field__label" htmlFor={ids.newLanguage}>
                <Trans>Add a language (a code such as es, pt-BR, sw)</Trans>
              </label>
              <input
                id={ids.newLanguage}
                className="field__input"
                value={newLanguage}
                onChange={(e) => setNewLanguage(e.target.value)}
              />
            </div>
            <button
              type="button"
              className="button button--quiet"
              onClick={() => {
                const tag = newLanguage.trim()
                if (!isLanguageTag(tag)) return setProblem('language')
                setProblem(null)
                setLanguage(tag)
                setTexts(textsFor(set, tag))
                setNewLanguage('')
              }}
            >
              <Trans>Add the language</Trans>
            </button>
          </div>
          {CANNED_KINDS.map((kind) => (
            <CannedField
              key={kind}
              label={t(CANNED_KIND_LABELS[kind])}
              language={language}
              value={texts[kind]}
              onChange={(text) => {
                setTexts((x) => ({ ...x, [kind]: text }))
                setSaved(false)
              }}
            />
          ))}
          <div className="passphrase__actions">
            <button
              type="button"
              className="button button--quiet"
              onClick={() => {
                setTexts(
                  Object.fromEntries(
                    CANNED_KINDS.map((k) => [k, texts[k] || t(CANNED_SUGGESTIONS[k])]),
                  ) as Texts,
                )
              }}
            >
              <Trans>Fill empty ones with Heard's suggestions</Trans>
            </button>
            <button type="submit" className="button button--primary" disabled={busy}>
              <Trans>Sign and save</Trans>
            </button>
          </div>
          <p role="status" className="inbox__meta">
            {saved && <Trans>Saved and signed.</Trans>}
          </p>
        </form>
      )}
    </section>
  )
}

function CannedField(props: {
  label: string
  language: string
  value: string
  onChange: (text: string) => void
}) {
  const id = useId()
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {props.label}
      </label>
      <textarea
        id={id}
        className="field__input"
        rows={4}
        lang={props.language}
        maxLength={CANNED_RESPONSES_LIMITS.textChars}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  )
}

/** A language's own name in the reader's language, e.g. "Spanish (es)"; the code alone if unknown. */
export function languageName(tag: string, locale: string): string {
  try {
    const name = new Intl.DisplayNames([locale], { type: 'language' }).of(tag)
    return name && name !== tag ? `${name} (${tag})` : tag
  } catch {
    return tag
  }
}

function CannedProblem({ problem }: { readonly problem: Exclude<Problem, null> }) {
  switch (problem) {
    case 'load':
      return <Trans>The canned responses could not be fetched or did not verify. Try again.</Trans>
    case 'rollback':
      return (
        <Trans>
          The relay served an older version of the canned responses than this device has already seen. It may
          be misbehaving; tell your colleagues.
        </Trans>
      )
    case 'changed':
      return (
        <Trans>
          A colleague saved a new version meanwhile. Nothing was overwritten: copy your text, reopen this page
          and edit again.
        </Trans>
      )
    case 'save':
      return <Trans>The relay did not take the new version. Nothing was changed; try again.</Trans>
    case 'language':
      return <Trans>A language code looks like es, pt-BR or zh-Hans.</Trans>
  }
}
