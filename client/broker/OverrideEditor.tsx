import { Trans, useLingui } from '@lingui/react/macro'
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import * as v from 'valibot'
import { describeIssues, MISSING_NOTE, type Organization, OrganizationSchema } from '../../shared/directory'

export interface OverrideIssue {
  readonly path: string
  readonly rule: string
}

/**
 * One of the community's own organisations as JSON, checked on every keystroke against the same
 * schema the devices parse it with, so what is saved here is what a device will accept. Issues name
 * fields and rules, never values. Saving keeps it in the draft; publishing signs the draft.
 */
export function OverrideEditor(props: {
  readonly initialText: string
  /** The id being edited, or null for a new organisation. */
  readonly originalId: string | null
  /** Ids of the community's other organisations: one of them may not be reused. */
  readonly otherIds: ReadonlySet<string>
  /** Names of Heard's organisations by id: an override with one of these ids replaces it. */
  readonly globalNames: ReadonlyMap<string, string>
  /** Problems the whole next version would have with this organisation in it (service ids). */
  readonly checkInDirectory: (organization: Organization) => readonly OverrideIssue[]
  readonly onSave: (organization: Organization) => void
  readonly onCancel: () => void
}) {
  const { t } = useLingui()
  const ids = { title: useId(), text: useId(), hint: useId(), issues: useId() }
  const [text, setText] = useState(props.initialText)
  // A failed save makes the issue list an alert; the count remounts it so each attempt is announced.
  const [failedSaves, setFailedSaves] = useState(0)
  const area = useRef<HTMLTextAreaElement>(null)

  useEffect(() => {
    area.current?.focus()
  }, [])

  const { checkInDirectory, otherIds } = props
  const checked = useMemo((): { organization: Organization | null; issues: OverrideIssue[] } => {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return { organization: null, issues: [{ path: '(file)', rule: t`not valid JSON` }] }
    }
    const result = v.safeParse(OrganizationSchema, json)
    if (!result.success)
      return {
        organization: null,
        issues: describeIssues(result.issues).map(({ path, rule }) => ({ path, rule })),
      }
    // Kept as written (JSON.parse), not as the schema's output, so its text stays what the admin typed.
    const organization = json as Organization
    const issues: OverrideIssue[] = []
    // A directory file enforces this on its list; a lone organisation must say it too.
    if (organization.status === 'unverified' && organization.note === undefined)
      issues.push({ path: 'note', rule: MISSING_NOTE })
    if (otherIds.has(organization.id))
      issues.push({ path: 'id', rule: t`another of your community's organisations has this id` })
    if (issues.length === 0) issues.push(...checkInDirectory(organization))
    return { organization: issues.length === 0 ? organization : null, issues }
  }, [text, otherIds, checkInDirectory, t])

  const editedId = props.originalId
  const replaces = checked.organization ? props.globalNames.get(checked.organization.id) : undefined

  return (
    <form
      className="broker-form directory-editor"
      noValidate
      aria-labelledby={ids.title}
      onSubmit={(event) => {
        event.preventDefault()
        if (checked.organization) props.onSave(checked.organization)
        else setFailedSaves((n) => n + 1)
      }}
    >
      <h4 id={ids.title} className="field__label">
        {editedId ? <Trans>Edit the organisation “{editedId}”</Trans> : <Trans>Add an organisation</Trans>}
      </h4>
      <div className="field">
        <label className="field__label" htmlFor={ids.text}>
          <Trans>The organisation, as JSON</Trans>
        </label>
        <p className="field__hint" id={ids.hint}>
          <Trans>
            The format of Heard's directory (resources/README.md). Replace every example value with facts from
            the organisation's own public page, give that page as source_url, and keep status verified only if
            you checked each fact there today. An unverified entry needs a note and is never shown to someone
            in danger. Using the id of one of Heard's organisations replaces Heard's entry for your community.
          </Trans>
        </p>
        <textarea
          ref={area}
          id={ids.text}
          className="field__input field__input--code"
          rows={20}
          spellCheck={false}
          autoCapitalize="none"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={checked.issues.length > 0}
          aria-describedby={`${ids.hint} ${ids.issues}`}
          data-testid="override-editor"
        />
      </div>
      <div id={ids.issues} data-testid="override-issues">
        {checked.issues.length > 0 ? (
          <div key={failedSaves} role={failedSaves > 0 ? 'alert' : undefined} className="field__error">
            <p>
              {failedSaves > 0 ? (
                <Trans>Not saved. Fix these first:</Trans>
              ) : (
                <Trans>Still to fix before saving:</Trans>
              )}
            </p>
            <ul className="directory-editor__issues">
              {checked.issues.map((issue, i) => (
                // Issues have no identity of their own; their order is the schema's.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <li key={i}>
                  {issue.path}: {issue.rule}
                </li>
              ))}
            </ul>
          </div>
        ) : (
          <p className="inbox__meta">
            {replaces ? (
              <Trans>Valid. It replaces Heard's entry for {replaces} in your community's directory.</Trans>
            ) : (
              <Trans>Valid.</Trans>
            )}
          </p>
        )}
      </div>
      <div className="passphrase__actions">
        <button type="submit" className="button button--primary" data-testid="override-save">
          <Trans>Keep for the next version</Trans>
        </button>
        <button type="button" className="button button--quiet" onClick={props.onCancel}>
          <Trans>Cancel</Trans>
        </button>
      </div>
    </form>
  )
}
