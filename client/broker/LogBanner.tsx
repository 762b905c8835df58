import { Plural, Trans } from '@lingui/react/macro'
import type { LogAlarm } from '../../shared/log'
import type { LogStatus } from './engine'

/**
 * What the audit of the community's log found, at the top of the inbox. An alarm is loud and
 * stays until an audit passes; a pass is one quiet line, so brokers learn it is checked at all.
 */
export function LogBanner({ status }: { readonly status: LogStatus | null }) {
  if (!status || status.state === 'unchecked') return null
  switch (status.state) {
    case 'verified':
      return (
        <p className="log-status" data-testid="log-status" data-log="verified">
          <Plural
            value={status.size}
            one="Log verified: its # entry matches what this device received, and nothing was taken out."
            other="Log verified: its # entries match what this device received, and nothing was taken out."
          />
        </p>
      )
    case 'no_log_key':
      return (
        <p className="log-status log-status--caution" data-testid="log-status" data-log="no_log_key">
          <Trans>
            The log is not checked: your community's manifest does not record the relay's log key yet. The
            next change to the team (made by whoever holds the community key) records it.
          </Trans>
        </p>
      )
    case 'unreadable':
      return (
        <p className="log-status log-status--caution" data-testid="log-status" data-log="unreadable">
          <Trans>
            The relay's log could not be read at the last sync, so it was not checked. Sync again.
          </Trans>
        </p>
      )
    case 'alarm':
      return (
        <div className="log-alarm" role="alert" data-testid="log-status" data-log="alarm">
          <h2 className="log-alarm__title">
            <Trans>Warning: the relay's log does not add up</Trans>
          </h2>
          <p>
            <Trans>
              Reports or case events may have been removed or changed at the relay. Tell your team and the
              relay's operator, and keep this device as it is: it holds what was verified before.
            </Trans>
          </p>
          <ul className="log-alarm__list">
            {status.alarms.map((alarm) => (
              <li
                key={`${alarm.code}-${'kind' in alarm ? alarm.kind : ''}-${'position' in alarm ? alarm.position : ''}`}
              >
                <AlarmText alarm={alarm} />
              </li>
            ))}
          </ul>
          {status.more > 0 && (
            <p>
              <Plural value={status.more} one="And # more like these." other="And # more like these." />
            </p>
          )}
        </div>
      )
  }
}

function AlarmText({ alarm }: { readonly alarm: LogAlarm }) {
  switch (alarm.code) {
    case 'bad_head':
      return <Trans>The relay's log head is not signed by the log key your community recorded.</Trans>
    case 'log_key_changed':
      return (
        <Trans>
          Your community's manifest now names another log key than the one this device checked the log with.
        </Trans>
      )
    case 'rolled_back':
      return (
        <Trans>
          The log now has {alarm.now} entries, fewer than the {alarm.kept} this device verified: entries were
          taken out.
        </Trans>
      )
    case 'not_consistent':
      return (
        <Trans>
          The log no longer extends the one this device verified ({alarm.kept} entries): its history was
          rewritten.
        </Trans>
      )
    case 'entries_mismatch':
      return <Trans>The entries the relay lists do not add up to the log it signed.</Trans>
    case 'missing':
      return alarm.kind === 'report' ? (
        <Trans>Report number {alarm.position} is in the log, but the relay did not deliver it.</Trans>
      ) : (
        <Trans>Case event {alarm.position} is in the log, but the relay did not deliver it.</Trans>
      )
    case 'altered':
      return alarm.kind === 'report' ? (
        <Trans>
          Report number {alarm.position} is not what the log recorded: it was changed, or swapped with
          another.
        </Trans>
      ) : (
        <Trans>
          Case event {alarm.position} is not what the log recorded: it was changed, or swapped with another.
        </Trans>
      )
    case 'not_logged':
      return alarm.kind === 'report' ? (
        <Trans>Report number {alarm.position} was delivered, but the log does not hold it.</Trans>
      ) : (
        <Trans>Case event {alarm.position} was delivered, but the log does not hold it.</Trans>
      )
  }
}
