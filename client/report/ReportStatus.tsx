import { Trans } from '@lingui/react/macro'
import type { OutboxRow } from '../engine'

/** One queued report's state in plain words. */
export function ReportStatus({ row }: { readonly row: OutboxRow }) {
  switch (row.state) {
    case 'waiting':
      return (
        <span className="report-state report-state--waiting" data-state="waiting">
          {row.attempts === 0 ? (
            <Trans>Sealed and saved. Waiting for the network to send it.</Trans>
          ) : (
            <Trans>Waiting for the network. Heard will keep trying by itself.</Trans>
          )}
        </span>
      )
    case 'sending':
      return (
        <span className="report-state report-state--sending" data-state="sending">
          <Trans>Sending…</Trans>
        </span>
      )
    case 'stored':
      return (
        <span className="report-state report-state--stored" data-state="stored">
          <Trans>Sent. The relay confirmed it holds your report, and this device keeps its receipt.</Trans>
        </span>
      )
    case 'refused':
      return (
        <span className="report-state report-state--refused" data-state="refused" role="alert">
          <RefusalText code={row.refusal ?? 'unknown'} />
        </span>
      )
  }
}

function RefusalText({ code }: { readonly code: string }) {
  switch (code) {
    case 'no_current_recipient':
      return (
        <Trans>
          Not sent: the community changed its brokers after this report was sealed. Your report is still on
          this device; open it and send it again so it is sealed to the current brokers.
        </Trans>
      )
    case 'unknown_community':
      return (
        <Trans>
          Not sent: this relay no longer knows the community. Your report is still on this device.
        </Trans>
      )
    case 'receipt_mismatch':
      return (
        <Trans>
          The relay answered with a receipt that does not match your report, so Heard does not count it as
          delivered. Please tell the community through another channel.
        </Trans>
      )
    default:
      return (
        <Trans>
          Not sent: the relay refused this report (reason: {code}). It is still on this device. Please tell
          the community through another channel.
        </Trans>
      )
  }
}
