import { Trans, useLingui } from '@lingui/react/macro'
import { useId, useState } from 'react'
import { CASE_EVENT_LIMITS, type CaseChange, type Manifest } from '../../shared/protocol'
import type { CaseView } from './engine'

/** Who handles the case, and its tags: each change a signed event like any other. */
export function CaseHandling({
  view,
  manifest,
  me,
  knownTags,
  busy,
  record,
}: {
  readonly view: CaseView
  readonly manifest: Manifest
  /** This broker's sign key. */
  readonly me: string
  /** Tags used on other cases of the community, offered as suggestions. */
  readonly knownTags: readonly string[]
  readonly busy: boolean
  readonly record: (change: CaseChange) => void
}) {
  const { t } = useLingui()
  const ids = { title: useId(), assignee: useId(), tag: useId(), tags: useId(), tagError: useId() }
  const [assignee, setAssignee] = useState(view.assignee ?? '')
  const [tag, setTag] = useState('')
  const [tagProblem, setTagProblem] = useState(false)
  const nameOf = (signKey: string) =>
    manifest.brokers.find((b) => b.signKey === signKey)?.name ?? t`a former broker`

  return (
    <section className="case__section" aria-labelledby={ids.title} data-testid="handling">
      <h2 id={ids.title} className="card__title">
        <Trans>Handling</Trans>
      </h2>
      <form
        className="case__row"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          record({ type: 'assign', to: assignee === '' ? null : assignee })
        }}
      >
        <div className="field">
          <label className="field__label" htmlFor={ids.assignee}>
            <Trans>Handled by</Trans>
          </label>
          <select
            id={ids.assignee}
            className="field__input"
            value={assignee}
            onChange={(e) => setAssignee(e.target.value)}
          >
            <option value="">{t`Nobody yet`}</option>
            {manifest.brokers.map((b) => (
              <option key={b.signKey} value={b.signKey}>
                {b.signKey === me ? t`${b.name} (you)` : b.name}
              </option>
            ))}
            {view.assignee && !manifest.brokers.some((b) => b.signKey === view.assignee) && (
              <option value={view.assignee}>{nameOf(view.assignee)}</option>
            )}
          </select>
        </div>
        <button
          type="submit"
          className="button button--quiet"
          disabled={busy || assignee === (view.assignee ?? '')}
        >
          <Trans>Assign</Trans>
        </button>
      </form>

      <h3 className="field__label" id={ids.tags}>
        <Trans>Tags</Trans>
      </h3>
      {view.tags.length === 0 ? (
        <p className="inbox__meta">
          <Trans>No tags.</Trans>
        </p>
      ) : (
        <ul className="tag-list" aria-labelledby={ids.tags}>
          {view.tags.map((name) => (
            <li key={name} className="tag tag--removable">
              <span>{name}</span>
              <button
                type="button"
                className="tag__remove"
                disabled={busy}
                aria-label={t`Remove the tag ${name}`}
                onClick={() => record({ type: 'tag', remove: [name] })}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="case__row"
        noValidate
        onSubmit={(event) => {
          event.preventDefault()
          const name = tag.trim()
          if (!isTypedTag(name)) return setTagProblem(true)
          setTagProblem(false)
          setTag('')
          if (!view.tags.includes(name)) record({ type: 'tag', add: [name] })
        }}
      >
        <div className="field">
          <label className="field__label" htmlFor={ids.tag}>
            <Trans>Add a tag</Trans>
          </label>
          <input
            id={ids.tag}
            className="field__input"
            list={`${ids.tag}-known`}
            value={tag}
            maxLength={CASE_EVENT_LIMITS.tagChars}
            aria-invalid={tagProblem}
            aria-describedby={tagProblem ? ids.tagError : undefined}
            onChange={(e) => setTag(e.target.value)}
          />
          <datalist id={`${ids.tag}-known`}>
            {knownTags
              .filter((k) => !view.tags.includes(k))
              .map((k) => (
                <option key={k} value={k} />
              ))}
          </datalist>
          {tagProblem && (
            <p className="field__error" id={ids.tagError} role="alert">
              <Trans>A tag is one line of 1 to {CASE_EVENT_LIMITS.tagChars} characters.</Trans>
            </p>
          )}
        </div>
        <button type="submit" className="button button--quiet" disabled={busy}>
          <Trans>Add the tag</Trans>
        </button>
      </form>
    </section>
  )
}

/** What the case-event schema takes as a tag: one trimmed line of 1–40 chars. */
function isTypedTag(name: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  return name.length > 0 && name.length <= CASE_EVENT_LIMITS.tagChars && !/[\u0000-\u001f\u007f]/.test(name)
}
