import { Trans } from '@lingui/react/macro'
import type { CaseStatus } from './engine'

export function StatusLabel({ status }: { readonly status: CaseStatus }) {
  return (
    <span className={`status-label status-label--${status}`}>
      {status === 'new' ? (
        <Trans>New</Trans>
      ) : status === 'acknowledged' ? (
        <Trans>Acknowledged</Trans>
      ) : status === 'referred' ? (
        <Trans>Referred</Trans>
      ) : status === 'in_progress' ? (
        <Trans>In progress</Trans>
      ) : (
        <Trans>Closed</Trans>
      )}
    </span>
  )
}
