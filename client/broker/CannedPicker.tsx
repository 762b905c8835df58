import { Trans, useLingui } from '@lingui/react/macro'
import { useEffect, useId, useState } from 'react'
import { CANNED_KINDS, type CannedKind, findCannedResponse, type Manifest } from '../../shared/protocol'
import { languageName } from './CannedEditor'
import { CANNED_KIND_LABELS } from './canned-suggestions'
import { type CannedSet, loadCanned } from './engine'

/**
 * Start a reply from a canned response, in the complainant's language when the community has one:
 * the broker picks the kind, the text goes into the reply box to be adapted before sending.
 */
export function CannedPicker({
  manifest,
  reportLanguage,
  onPick,
}: {
  readonly manifest: Manifest
  /** The language the complainant gave or Heard guessed, if any. */
  readonly reportLanguage: string | undefined
  readonly onPick: (text: string) => void
}) {
  const { t, i18n } = useLingui()
  const ids = { kind: useId(), language: useId() }
  const [set, setSet] = useState<CannedSet | null>(null)
  const [failed, setFailed] = useState(false)
  const [kind, setKind] = useState<CannedKind>('acknowledgement')
  const [language, setLanguage] = useState<string>('')

  useEffect(() => {
    loadCanned(manifest).then(
      (loaded) => {
        setSet(loaded)
        const languages = [...new Set(loaded.responses.map((r) => r.language))]
        const wanted = reportLanguage?.toLowerCase()
        const match =
          languages.find((l) => l.toLowerCase() === wanted) ??
          languages.find((l) => l.split('-')[0] === wanted?.split('-')[0]) ??
          languages.find((l) => l === i18n.locale.split('-')[0]) ??
          languages[0] ??
          ''
        setLanguage(match)
      },
      () => setFailed(true),
    )
  }, [manifest, reportLanguage, i18n.locale])

  if (failed) {
    return (
      <p className="inbox__meta">
        <Trans>The canned responses could not be fetched or did not verify.</Trans>
      </p>
    )
  }
  if (!set) return null
  if (set.responses.length === 0) {
    return (
      <p className="inbox__meta" data-testid="canned-none">
        <Trans>No canned responses yet: brokers can write them under "Canned responses".</Trans>
      </p>
    )
  }
  const languages = [...new Set(set.responses.map((r) => r.language))].sort()
  const found = findCannedResponse(set.responses, kind, language)
  return (
    <div className="case__row" data-testid="canned-picker">
      <div className="field">
        <label className="field__label" htmlFor={ids.kind}>
          <Trans>Start from a canned response</Trans>
        </label>
        <select
          id={ids.kind}
          className="field__input"
          value={kind}
          onChange={(e) => setKind(e.target.value as CannedKind)}
        >
          {CANNED_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(CANNED_KIND_LABELS[k])}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label className="field__label" htmlFor={ids.language}>
          <Trans>In</Trans>
        </label>
        <select
          id={ids.language}
          className="field__input"
          value={language}
          onChange={(e) => setLanguage(e.target.value)}
        >
          {languages.map((l) => (
            <option key={l} value={l}>
              {languageName(l, i18n.locale)}
            </option>
          ))}
        </select>
      </div>
      <button
        type="button"
        className="button button--quiet"
        disabled={!found}
        onClick={() => found && onPick(found.text)}
      >
        {found ? <Trans>Use this text</Trans> : <Trans>None in this language</Trans>}
      </button>
    </div>
  )
}
