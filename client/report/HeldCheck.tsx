import { Trans } from '@lingui/react/macro'
import { useState } from 'react'
import type { LogCheck, OutboxRow } from '../engine'

/**
 * A sent report's place in the community's public log: what the last check found, and a button to
 * ask again, "Is my report still held?". A problem is said plainly, with what to do about it.
 */
export function HeldCheck(props: {
  readonly row: OutboxRow
  readonly onCheck: (id: string) => Promise<void>
}) {
  const [busy, setBusy] = useState(false)
  const [unreachable, setUnreachable] = useState(false)
  const check = props.row.logCheck
  const run = async () => {
    setBusy(true)
    setUnreachable(false)
    try {
      await props.onCheck(props.row.id)
    } catch {
      setUnreachable(true)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div
      className="held"
      data-testid="held-check"
      data-held={check ? (check.ok ? 'ok' : check.problem) : 'none'}
      data-checked-at={check?.at ?? ''}
    >
      <p
        aria-live="polite"
        className={check && !check.ok ? 'held__result held__result--problem' : 'held__result'}
      >
        {busy ? (
          <Trans>Checking with the relay…</Trans>
        ) : unreachable ? (
          <Trans>The relay could not be reached. Nothing was checked; try again when you are online.</Trans>
        ) : check ? (
          <LogCheckText check={check} entry={(props.row.receipt?.log?.index ?? 0) + 1} />
        ) : null}
      </p>
      <button type="button" className="button button--quiet" onClick={() => void run()} disabled={busy}>
        <Trans>Is my report still held?</Trans>
      </button>
    </div>
  )
}

export function LogCheckText({ check, entry }: { readonly check: LogCheck; readonly entry: number }) {
  const at = check.at.slice(0, 16).replace('T', ' ')
  if (check.ok) {
    return check.kind === 'receipt' ? (
      <Trans>
        Receipt checked: your report is entry {entry} of the community's public log, signed by the relay.
      </Trans>
    ) : (
      <Trans>
        Still held ({at} UTC): the relay holds your report unchanged, and the public log, now {check.size}{' '}
        entries long, still includes it.
      </Trans>
    )
  }
  switch (check.problem) {
    case 'no_log_key':
      return (
        <Trans>
          This community has not published its log key yet, so Heard cannot check the relay's log. Your report
          was still received.
        </Trans>
      )
    case 'no_log_entry':
      return <Trans>This relay gave no log entry with the receipt, so it cannot be checked.</Trans>
    case 'report_missing':
      return (
        <Trans>
          Warning: the relay no longer holds your report, although its log says it received it. Please tell
          the community through another channel, and keep this device's receipt.
        </Trans>
      )
    case 'report_altered':
      return (
        <Trans>
          Warning: what the relay holds under your report's number is not what you sent. Please tell the
          community through another channel, and keep this device's receipt.
        </Trans>
      )
    case 'rolled_back':
      return (
        <Trans>
          Warning: the relay's log is shorter than when your report was stored: entries were taken out. Please
          tell the community through another channel, and keep this device's receipt.
        </Trans>
      )
    case 'not_consistent':
      return (
        <Trans>
          Warning: the relay's log was rewritten after your report was stored. Please tell the community
          through another channel, and keep this device's receipt.
        </Trans>
      )
    case 'not_included':
      return (
        <Trans>
          Warning: your report is no longer in the relay's log. Please tell the community through another
          channel, and keep this device's receipt.
        </Trans>
      )
    default:
      return (
        <Trans>
          Warning: the relay's signed log does not check out ({check.problem}). Please tell the community
          through another channel, and keep this device's receipt.
        </Trans>
      )
  }
}
