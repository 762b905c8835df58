import { Trans, useLingui } from '@lingui/react/macro'
import { useEffect, useId, useState } from 'react'
import { REMOVED_LABELS } from './evidence-labels'
import { type EvidenceItem, type EvidenceRefusal, sentName } from './use-evidence'

/** What the picker offers: the kinds Heard can clean, plus plain text. Others can still be dropped. */
const ACCEPT = 'image/png,image/jpeg,image/webp,image/heic,image/heif,application/pdf,text/plain'

export interface AttachEvidenceProps {
  readonly items: readonly EvidenceItem[]
  readonly refusal: EvidenceRefusal
  /** The community's limit per report in bytes; 0: it takes no files. */
  readonly limitBytes: number
  readonly onAdd: (files: readonly File[]) => void
  readonly onRemove: (id: number) => void
  readonly onKeepName: (id: number, keep: boolean) => void
}

/**
 * Optional evidence: screenshots, photos, PDFs, text. Picked, pasted or dropped; cleaned on this
 * device at once, and each file says what was taken out of it before anything is sealed.
 */
export function AttachEvidence(props: AttachEvidenceProps) {
  const { t, i18n } = useLingui()
  const hintId = useId()
  const inputId = useId()
  const [dragging, setDragging] = useState(false)
  const { onAdd } = props
  const limit = new Intl.NumberFormat(i18n.locale, {
    style: 'unit',
    unit: 'megabyte',
    maximumFractionDigits: 1,
  }).format(props.limitBytes / 2 ** 20)

  // A screenshot pasted anywhere on the form is evidence, not text: the textarea cannot hold it.
  useEffect(() => {
    if (props.limitBytes === 0) return
    const onPaste = (event: ClipboardEvent) => {
      const files = [...(event.clipboardData?.files ?? [])]
      if (files.length === 0) return
      event.preventDefault()
      onAdd(files)
    }
    document.addEventListener('paste', onPaste)
    return () => document.removeEventListener('paste', onPaste)
  }, [onAdd, props.limitBytes])

  if (props.limitBytes === 0) return null

  return (
    <fieldset className="field evidence">
      <legend className="field__label">
        <Trans>Screenshots or files (optional)</Trans>
      </legend>
      <p className="field__hint" id={hintId}>
        <Trans>
          Images, PDFs or text files, up to {limit} in total. Before anything is sealed, this device removes
          hidden details such as location, camera and author name. Your report is sent first; files follow.
        </Trans>
      </p>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is a pointer-only extra; the file input and paste are the keyboard paths */}
      <div
        className={`evidence__drop${dragging ? ' evidence__drop--active' : ''}`}
        onDragOver={(event) => {
          event.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(event) => {
          event.preventDefault()
          setDragging(false)
          const files = [...event.dataTransfer.files]
          if (files.length > 0) onAdd(files)
        }}
      >
        <input
          id={inputId}
          className="evidence__input"
          type="file"
          multiple
          accept={ACCEPT}
          aria-describedby={hintId}
          data-testid="evidence-input"
          onChange={(event) => {
            const files = [...(event.target.files ?? [])]
            event.target.value = ''
            if (files.length > 0) onAdd(files)
          }}
        />
        <label htmlFor={inputId} className="button evidence__pick">
          <Trans>Add screenshots or files</Trans>
        </label>
        <span className="evidence__or">
          <Trans>or drop or paste them here</Trans>
        </span>
      </div>
      {props.refusal?.kind === 'over-limit' && (
        <p className="field__error" role="alert">
          <Trans>
            “{props.refusal.name}” was not added: it would take your files past {limit}. Your report can still
            be sent without it.
          </Trans>
        </p>
      )}
      {props.items.length > 0 && (
        <ul className="evidence__list" aria-label={t`Files to send`}>
          {props.items.map((item) => (
            <EvidenceRow key={item.id} item={item} onRemove={props.onRemove} onKeepName={props.onKeepName} />
          ))}
        </ul>
      )}
    </fieldset>
  )
}

function EvidenceRow(props: {
  readonly item: EvidenceItem
  readonly onRemove: (id: number) => void
  readonly onKeepName: (id: number, keep: boolean) => void
}) {
  const { t } = useLingui()
  const { item } = props
  const shown = item.original || item.neutral || t`Pasted image`
  const size = item.cleaned
    ? new Intl.NumberFormat(undefined, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 }).format(
        Math.max(1, item.cleaned.bytes.length / 1024),
      )
    : null
  const sent = sentName(item)
  const removed = item.cleaned?.removed.map((kind) => t(REMOVED_LABELS[kind])).join(', ')
  return (
    <li className="evidence__item" data-testid="evidence-item" data-state={item.state}>
      {item.preview ? (
        <img className="evidence__thumb" src={item.preview} alt="" />
      ) : (
        <span className="evidence__thumb evidence__thumb--file" aria-hidden="true" />
      )}
      <div className="evidence__body">
        <p className="evidence__name">
          {shown} {size && <span className="evidence__size">({size})</span>}
        </p>
        <p className="evidence__status" data-testid="evidence-status">
          {item.state === 'cleaning' && <Trans>Removing hidden details…</Trans>}
          {item.state === 'failed' && (
            <span role="alert">
              <Trans>This file could not be read, so it will not be sent.</Trans>
            </span>
          )}
          {item.state === 'ready' && item.cleaned?.cleaning === 'not-cleaned' && (
            <span className="evidence__warning">
              <Trans>
                Heard cannot clean this kind of file. It may still carry hidden details such as the author's
                name, dates or the device it came from. Send it only if that is all right.
              </Trans>
            </span>
          )}
          {item.state === 'ready' && item.cleaned?.cleaning !== 'not-cleaned' && removed && (
            <Trans>Removed: {removed}.</Trans>
          )}
          {item.state === 'ready' && item.cleaned?.cleaning !== 'not-cleaned' && !removed && (
            <Trans>No hidden details found.</Trans>
          )}
        </p>
        {item.state === 'ready' && item.original && (
          <>
            <label className="choice evidence__keep">
              <input
                type="checkbox"
                checked={item.keepName}
                onChange={(event) => props.onKeepName(item.id, event.target.checked)}
              />
              <span>
                <Trans>Keep the original file name</Trans>
              </span>
            </label>
            <p className="field__hint evidence__sent-as" aria-live="polite">
              <Trans>It will be sent as “{sent}”.</Trans>
            </p>
          </>
        )}
      </div>
      <button
        type="button"
        className="button button--quiet evidence__remove"
        onClick={() => props.onRemove(item.id)}
        aria-label={t`Remove ${shown}`}
      >
        <Trans>Remove</Trans>
      </button>
    </li>
  )
}
