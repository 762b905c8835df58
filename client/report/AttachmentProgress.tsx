import { Trans, useLingui } from '@lingui/react/macro'
import type { OutboxRow } from '../engine'

/**
 * Each file of a report and how far it got. A report counts as complete only when the relay has
 * confirmed every chunk of every file; until then this says what is still on its way, and why.
 */
export function AttachmentProgress({ row }: { readonly row: OutboxRow }) {
  const { t } = useLingui()
  const files = row.attachments ?? []
  if (files.length === 0) return null
  const complete = row.state === 'stored' && files.every((f) => f.stored === f.chunks)
  return (
    <div className="attachments" data-testid="attachment-progress" data-complete={complete}>
      <p className="attachments__summary" aria-live="polite">
        {complete ? (
          <Trans>Complete: the relay holds your report and every file.</Trans>
        ) : row.state !== 'stored' ? (
          <Trans>Your files will follow once the report itself is sent.</Trans>
        ) : (
          <Trans>
            Your report is sent. Files are still on their way; Heard keeps sending them by itself.
          </Trans>
        )}
      </p>
      <ul className="attachments__list">
        {files.map((file) => (
          <li
            key={file.file}
            className="attachments__item"
            data-testid="attachment-row"
            data-file={file.file}
          >
            <span className="attachments__name">{file.name}</span>
            <progress
              className="attachments__bar"
              max={file.chunks}
              value={file.stored}
              aria-label={t`${file.name}: sent`}
            />
            <span className="attachments__state" data-state={fileState(file)}>
              <FileStateText file={file} />
            </span>
          </li>
        ))}
      </ul>
    </div>
  )
}

type File = NonNullable<OutboxRow['attachments']>[number]

const fileState = (file: File) =>
  file.refusal ? 'refused' : file.stored === file.chunks ? 'stored' : 'pending'

function FileStateText({ file }: { readonly file: File }) {
  if (file.stored === file.chunks) return <Trans>Sent</Trans>
  switch (file.refusal) {
    case undefined: {
      const percent = Math.floor((100 * file.stored) / file.chunks)
      return <Trans>{percent}% sent</Trans>
    }
    case 'attachment_limit_exceeded':
      return (
        <Trans>
          Not sent: the community takes less in files per report than this. Your report itself was sent.
        </Trans>
      )
    case 'missing_on_device':
      return (
        <Trans>
          Not sent: this browser removed the sealed file before it could be sent. Please attach it again in a
          new report.
        </Trans>
      )
    default:
      return (
        <Trans>
          Not sent: the relay refused this file (reason: {file.refusal}). Your report itself was sent. Please
          tell the community through another channel.
        </Trans>
      )
  }
}
