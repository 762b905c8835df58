import { Trans, useLingui } from '@lingui/react/macro'
import { useId } from 'react'
import { HARM_KINDS, type HarmKind, REPORT_LIMITS, REPORTER_ROLES } from '../../shared/protocol/report-kinds'
import { CountrySelect } from '../support/CountrySelect'
import { HARM_LABELS, ROLE_LABELS } from './labels'
import { ReportLanguagePicker } from './ReportLanguagePicker'
import type { ReportForm } from './report-form'
import { languageName } from './suggest-language'

export interface ComposeFormProps {
  readonly form: ReportForm
  readonly onChange: (next: ReportForm) => void
  readonly onSubmit: () => void
  readonly noTrace: boolean
  readonly onNoTraceChange: (noTrace: boolean) => void
  /** Why sending is not possible now, shown next to the button; null when it is. */
  readonly blocked: React.ReactNode | null
  readonly busy: boolean
  readonly draftStatus: React.ReactNode
  /** The language field holds Heard's guess, not yet the person's own choice. */
  readonly languageSuggested: boolean
  /** The optional evidence section (AttachEvidence). */
  readonly evidence?: React.ReactNode
}

/**
 * The report form. Only the first box is needed; every other question can be skipped, and no
 * wording suggests a report might not "qualify".
 */
export function ComposeForm(props: ComposeFormProps) {
  const { form, onChange } = props
  const { t, i18n } = useLingui()
  const languageLabel =
    props.languageSuggested && form.language ? languageName(form.language, i18n.locale) : null
  const ids = {
    text: useId(),
    textHint: useId(),
    where: useId(),
    when: useId(),
    links: useId(),
    language: useId(),
    languageHint: useId(),
    country: useId(),
    countryHint: useId(),
    followUpHint: useId(),
    researchHint: useId(),
    noTraceHint: useId(),
    status: useId(),
  }
  const set = <K extends keyof ReportForm>(key: K, value: ReportForm[K]) =>
    onChange({ ...form, [key]: value })
  const toggleHarm = (kind: HarmKind, on: boolean) =>
    set('harms', on ? [...form.harms, kind] : form.harms.filter((k) => k !== kind))

  return (
    <form
      className="compose"
      noValidate
      onSubmit={(event) => {
        event.preventDefault()
        props.onSubmit()
      }}
    >
      <div className="field">
        <label className="field__label" htmlFor={ids.text}>
          <Trans>What happened?</Trans>
        </label>
        <p className="field__hint" id={ids.textHint}>
          <Trans>
            In your own words and in any language. Whatever you can say is enough; you can leave everything
            else below empty.
          </Trans>
        </p>
        <textarea
          id={ids.text}
          className="field__input field__input--text"
          aria-describedby={ids.textHint}
          rows={8}
          maxLength={REPORT_LIMITS.text}
          value={form.text}
          onChange={(e) => set('text', e.target.value)}
          name="report-text"
          spellCheck
        />
      </div>

      <fieldset className="field field--choices">
        <legend className="field__label">
          <Trans>Is anyone in danger right now?</Trans>
        </legend>
        <div className="choices choices--inline">
          {[true, false].map((value) => (
            <label className="choice" key={String(value)}>
              <input
                type="radio"
                name="danger"
                checked={form.danger === value}
                onChange={() => set('danger', value)}
              />
              <span>{value ? <Trans>Yes</Trans> : <Trans>No</Trans>}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset className="field field--choices">
        <legend className="field__label">
          <Trans>Who did it happen to?</Trans>
        </legend>
        <p className="field__hint">
          <Trans>A report from someone who saw it or was told about it is just as welcome.</Trans>
        </p>
        <div className="choices">
          {REPORTER_ROLES.map((role) => (
            <label className="choice" key={role}>
              <input
                type="radio"
                name="about"
                checked={form.about === role}
                onChange={() => set('about', role)}
              />
              <span>{t(ROLE_LABELS[role])}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset className="field field--choices">
        <legend className="field__label">
          <Trans>What was it like? Choose any that fit.</Trans>
        </legend>
        <div className="choices choices--grid">
          {HARM_KINDS.map((kind) => (
            <label className="choice" key={kind}>
              <input
                type="checkbox"
                name="harms"
                value={kind}
                checked={form.harms.includes(kind)}
                onChange={(e) => toggleHarm(kind, e.target.checked)}
              />
              <span>{t(HARM_LABELS[kind])}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <div className="field">
        <label className="field__label" htmlFor={ids.country}>
          <Trans>Country you are in</Trans>
        </label>
        <p className="field__hint" id={ids.countryHint}>
          <Trans>
            It stays on this device and is only used to suggest support near you. It is not part of your
            report.
          </Trans>
        </p>
        <CountrySelect
          id={ids.country}
          value={form.country}
          onChange={(value) => set('country', value)}
          describedBy={ids.countryHint}
        />
      </div>

      {props.evidence}

      <details className="more">
        <summary className="more__summary">
          <Trans>Add details: where, when, links, language</Trans>
        </summary>
        <div className="more__body">
          <TextField
            id={ids.where}
            label={<Trans>Where did it happen?</Trans>}
            hint={<Trans>A project, page, channel or place.</Trans>}
            value={form.where}
            max={REPORT_LIMITS.where}
            onChange={(value) => set('where', value)}
          />
          <TextField
            id={ids.when}
            label={<Trans>When?</Trans>}
            hint={<Trans>A date, or words like “since last spring”.</Trans>}
            value={form.when}
            max={REPORT_LIMITS.when}
            onChange={(value) => set('when', value)}
          />
          <TextField
            id={ids.links}
            label={<Trans>Links or usernames involved</Trans>}
            value={form.links}
            max={REPORT_LIMITS.links}
            multiline
            onChange={(value) => set('links', value)}
          />
          <div className="field">
            <label className="field__label" htmlFor={ids.language}>
              <Trans>Language of your report</Trans>
            </label>
            <p className="field__hint" id={ids.languageHint}>
              {languageLabel ? (
                <Trans>Heard suggests {languageLabel}, from your text. Change it if that is wrong.</Trans>
              ) : (
                <Trans>
                  Search by name or code, or write any language's name. It helps the brokers find someone who
                  reads it.
                </Trans>
              )}
            </p>
            <ReportLanguagePicker
              id={ids.language}
              value={form.language}
              onChange={(value) => set('language', value)}
              describedBy={ids.languageHint}
            />
          </div>
        </div>
      </details>

      <div className="field field--switches">
        <label className="choice choice--switch">
          <input
            type="checkbox"
            name="follow-up"
            checked={form.followUp}
            aria-describedby={ids.followUpHint}
            onChange={(e) => set('followUp', e.target.checked)}
          />
          <span>
            <Trans>I want to be able to read replies</Trans>
          </span>
        </label>
        <p className="field__hint" id={ids.followUpHint}>
          <Trans>
            You get a passphrase of eight words. With it, and only with it, you can read the brokers' answers
            on any device. No account, no email.
          </Trans>
        </p>
        <label className="choice choice--switch">
          <input
            type="checkbox"
            name="research"
            checked={form.research}
            aria-describedby={ids.researchHint}
            onChange={(e) => set('research', e.target.checked)}
          />
          <span>
            <Trans>Researchers may study this report with everything that identifies anyone removed</Trans>
          </span>
        </label>
        <p className="field__hint" id={ids.researchHint}>
          <Trans>Off unless you turn it on. It changes nothing about how your report is handled.</Trans>
        </p>
        <label className="choice choice--switch">
          <input
            type="checkbox"
            name="no-trace"
            checked={props.noTrace}
            aria-describedby={ids.noTraceHint}
            onChange={(e) => props.onNoTraceChange(e.target.checked)}
          />
          <span>
            <Trans>Leave no trace on this device</Trans>
          </span>
        </label>
        <p className="field__hint" id={ids.noTraceHint}>
          <Trans>
            Nothing you write is saved here, not even a draft. If you are offline, keep this page open until
            your report is sent.
          </Trans>
        </p>
      </div>

      <div className="compose__send">
        <button
          type="submit"
          className="button button--primary button--large"
          disabled={props.busy}
          aria-describedby={ids.status}
        >
          {props.busy ? <Trans>Sealing…</Trans> : <Trans>Seal and send</Trans>}
        </button>
        <div id={ids.status} className="compose__status" aria-live="polite">
          {props.blocked ?? props.draftStatus}
        </div>
      </div>
    </form>
  )
}

function TextField(props: {
  readonly id: string
  readonly label: React.ReactNode
  readonly hint?: React.ReactNode
  readonly value: string
  readonly max: number
  readonly multiline?: boolean
  readonly onChange: (value: string) => void
}) {
  const hintId = `${props.id}-hint`
  const common = {
    id: props.id,
    className: 'field__input',
    value: props.value,
    maxLength: props.max,
    'aria-describedby': props.hint ? hintId : undefined,
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      props.onChange(e.target.value),
  }
  return (
    <div className="field">
      <label className="field__label" htmlFor={props.id}>
        {props.label}
      </label>
      {props.hint && (
        <p className="field__hint" id={hintId}>
          {props.hint}
        </p>
      )}
      {props.multiline ? <textarea rows={3} {...common} /> : <input type="text" {...common} />}
    </div>
  )
}
