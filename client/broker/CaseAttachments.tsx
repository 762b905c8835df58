import { Trans, useLingui } from '@lingui/react/macro'
import { useEffect, useState } from 'react'
import type { AttachmentRef } from '../../shared/protocol'
import { REMOVED_LABELS } from '../report/evidence-labels'
import { AttachmentDamaged, type AttachmentProblem, currentSettings, openCaseAttachment } from './engine'

/** Raster images are the only files drawn in the page; everything else is offered as a download. */
const RENDERED_IMAGES = /^image\/(png|jpeg|webp|gif)$/
const SHOWN_AS_TEXT = /^text\/plain$/
/** Text shown inline at most; longer files are offered as a download. */
const MAX_INLINE_TEXT = 200_000

/** The files that came with a report: decrypted on this device only when a broker asks. */
export function CaseAttachments(props: { readonly caseId: string; readonly refs: readonly AttachmentRef[] }) {
  if (props.refs.length === 0) return null
  return (
    <section className="case-files" aria-labelledby={`files-${props.caseId}`}>
      <h3 className="card__title" id={`files-${props.caseId}`}>
        <Trans>Files</Trans>
      </h3>
      <ul className="case-files__list">
        {props.refs.map((ref) => (
          <AttachmentItem key={ref.id} caseId={props.caseId} attachment={ref} />
        ))}
      </ul>
    </section>
  )
}

type Loaded =
  | { readonly state: 'idle' | 'opening' | 'failed' }
  | { readonly state: 'damaged'; readonly problem: AttachmentProblem }
  | { readonly state: 'open'; readonly url: string; readonly text: string | null }

function AttachmentItem(props: { readonly caseId: string; readonly attachment: AttachmentRef }) {
  const { t } = useLingui()
  const ref = props.attachment
  const [loaded, setLoaded] = useState<Loaded>({ state: 'idle' })
  // The wellbeing setting: images stay blurred until asked for, like the report's text.
  const [unblurred, setUnblurred] = useState(() => !currentSettings().blurReports)
  const url = loaded.state === 'open' ? loaded.url : null
  useEffect(() => () => void (url && URL.revokeObjectURL(url)), [url])

  const open = async () => {
    setLoaded({ state: 'opening' })
    try {
      const bytes = await openCaseAttachment(props.caseId, ref)
      // Never let the browser treat a file as a page: HTML, SVG and the rest download as bytes.
      const type =
        RENDERED_IMAGES.test(ref.type) || SHOWN_AS_TEXT.test(ref.type) ? ref.type : 'application/octet-stream'
      const text =
        SHOWN_AS_TEXT.test(ref.type) && bytes.length <= MAX_INLINE_TEXT
          ? new TextDecoder('utf-8', { fatal: false }).decode(bytes)
          : null
      setLoaded({
        state: 'open',
        url: URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type })),
        text,
      })
    } catch (error) {
      setLoaded(
        error instanceof AttachmentDamaged
          ? { state: 'damaged', problem: error.problem }
          : { state: 'failed' },
      )
    }
  }

  const removed = (ref.removed ?? []).map((kind) => t(REMOVED_LABELS[kind])).join(', ')
  return (
    <li className="case-files__item" data-testid="case-attachment" data-state={loaded.state}>
      <p className="case-files__name">
        {ref.name} <span className="inbox__meta">({ref.type})</span>
      </p>
      <p className="inbox__meta">
        {ref.cleaning === 'not-cleaned' ? (
          <Trans>
            Not cleaned: the complainant's device could not clean this kind of file. It may carry hidden
            details.
          </Trans>
        ) : ref.cleaning === 'nothing-to-remove' ? (
          <Trans>Plain text: nothing hidden to remove.</Trans>
        ) : removed ? (
          <Trans>Cleaned on the complainant's device; removed: {removed}.</Trans>
        ) : (
          <Trans>Cleaned on the complainant's device; nothing hidden was found.</Trans>
        )}
      </p>
      {loaded.state === 'idle' && (
        <button type="button" className="button" onClick={() => void open()}>
          <Trans>Decrypt and open</Trans>
        </button>
      )}
      {loaded.state === 'opening' && (
        <p role="status">
          <Trans>Fetching and decrypting on this device…</Trans>
        </p>
      )}
      {loaded.state === 'failed' && (
        <p className="field__error" role="alert">
          <Trans>The relay could not be reached, or this session ended. Try again.</Trans>{' '}
          <button type="button" className="button button--quiet" onClick={() => void open()}>
            <Trans>Try again</Trans>
          </button>
        </p>
      )}
      {loaded.state === 'damaged' && (
        <div
          className="notice notice--stop"
          role="alert"
          data-testid="attachment-damaged"
          data-problem={loaded.problem.kind}
        >
          <p className="notice__title">
            {loaded.problem.kind === 'incomplete' ? (
              <Trans>Not complete yet</Trans>
            ) : (
              <Trans>Attachment damaged</Trans>
            )}
          </p>
          <p>
            <ProblemText problem={loaded.problem} />
          </p>
        </div>
      )}
      {loaded.state === 'open' && (
        <div className="case-files__view">
          {RENDERED_IMAGES.test(ref.type) && (
            <div className={`case-files__image${unblurred ? '' : ' case-files__image--blurred'}`}>
              <img src={loaded.url} alt={t`Attachment ${ref.name}`} data-testid="attachment-image" />
              {!unblurred && (
                <button type="button" className="button" onClick={() => setUnblurred(true)}>
                  <Trans>Show the image</Trans>
                </button>
              )}
            </div>
          )}
          {loaded.text !== null && <pre className="case-files__text">{loaded.text}</pre>}
          <a
            className="button button--quiet"
            href={loaded.url}
            download={downloadName(ref)}
            data-testid="attachment-download"
          >
            <Trans>Download the decrypted file</Trans>
          </a>
        </div>
      )}
    </li>
  )
}

/** A name that cannot smuggle a path or a misleading extension onto the broker's disk. */
const downloadName = (ref: AttachmentRef): string =>
  ref.name.replace(/[\\/:*?"<>|\p{Cc}]/gu, '_').slice(0, 120) || 'file'

function ProblemText({ problem }: { readonly problem: AttachmentProblem }) {
  switch (problem.kind) {
    case 'incomplete':
      return (
        <Trans>
          {problem.have} of {problem.total} parts have reached the relay. The complainant's device may still
          be sending the rest; try again later.
        </Trans>
      )
    case 'missing':
      return (
        <Trans>
          Part {problem.part} is missing at the relay although later parts arrived. The relay lost or withheld
          it; this file cannot be shown.
        </Trans>
      )
    case 'altered':
      return (
        <Trans>
          Part {problem.part} does not belong at its place in this file: it was altered, swapped or taken from
          another file. This file cannot be shown.
        </Trans>
      )
    case 'mismatch':
      return (
        <Trans>
          The decrypted file does not match the fingerprint sealed in the report. This file cannot be shown.
        </Trans>
      )
  }
}
