import { useLingui } from '@lingui/react'
import { Plural, Trans } from '@lingui/react/macro'
import { useEffect, useId, useState } from 'react'
import { AppLink } from '../app/AppLink'
import { loadEngine } from '../app/engine'
import { pathOf } from '../app/route'
import type { TransparencyView } from '../engine'

type State =
  | { readonly kind: 'loading' }
  | { readonly kind: 'unreachable' }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'ready'; readonly view: TransparencyView }

/**
 * A community's public record (issue #5): how many reports the relay holds, month by month, and
 * the log's current signed head, checked on this device. It shows nothing about any one report.
 */
export function TransparencyScreen({
  community,
  linked,
}: {
  readonly community: string
  readonly linked: boolean
}) {
  const { i18n } = useLingui()
  const ids = { title: useId(), table: useId() }
  const [state, setState] = useState<State>({ kind: 'loading' })

  useEffect(() => {
    let live = true
    void (async () => {
      const engine = await loadEngine()
      try {
        const view = await engine.loadTransparency(community)
        if (live) setState({ kind: 'ready', view })
      } catch (error) {
        const unknown = (error as { code?: string }).code === 'unknown_community'
        if (live) setState({ kind: unknown ? 'unknown' : 'unreachable' })
      }
    })()
    return () => {
      live = false
    }
  }, [community])

  const monthName = (month: string) =>
    new Intl.DateTimeFormat(i18n.locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(
      new Date(`${month}-01T00:00:00Z`),
    )
  const view = state.kind === 'ready' ? state.view : null
  const total = view?.reportsByMonth.reduce((n, m) => n + m.reports, 0) ?? 0
  const most = Math.max(1, ...(view?.reportsByMonth.map((m) => m.reports) ?? []))

  return (
    <section className="card transparency" aria-labelledby={ids.title} data-testid="transparency">
      <h1 id={ids.title} className="card__title">
        {view?.name ? <Trans>{view.name}: the public record</Trans> : <Trans>The public record</Trans>}
      </h1>
      <p>
        <Trans>
          Every report, case note and reply is an entry in this community's log. Entries can be added, never
          taken out or changed without it showing. This page shows how many reports the relay holds, and
          nothing about any of them.
        </Trans>
      </p>
      {state.kind === 'loading' && (
        <p aria-live="polite">
          <Trans>Asking the relay…</Trans>
        </p>
      )}
      {state.kind === 'unreachable' && (
        <p className="field__error" role="alert">
          <Trans>The relay could not be reached. Try again when you are online.</Trans>
        </p>
      )}
      {state.kind === 'unknown' && (
        <p className="field__error" role="alert">
          <Trans>This relay does not know this community.</Trans>
        </p>
      )}
      {view && (
        <>
          <HeadCheck view={view} />
          <h2 id={ids.table} className="transparency__subtitle">
            <Plural value={total} one="# report held, by month" other="# reports held, by month" />
          </h2>
          {view.reportsByMonth.length === 0 ? (
            <p>
              <Trans>No reports yet.</Trans>
            </p>
          ) : (
            <table className="transparency__table" aria-labelledby={ids.table}>
              <thead>
                <tr>
                  <th scope="col">
                    <Trans>Month (UTC)</Trans>
                  </th>
                  <th scope="col">
                    <Trans>Reports</Trans>
                  </th>
                </tr>
              </thead>
              <tbody>
                {view.reportsByMonth.map((m) => (
                  <tr key={m.month}>
                    <th scope="row">{monthName(m.month)}</th>
                    <td>
                      <span className="transparency__cell">
                        <span
                          aria-hidden="true"
                          className="transparency__bar"
                          style={{ inlineSize: `${(m.reports / most) * 100}%` }}
                        />
                        <span className="transparency__count">{m.reports}</span>
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <p>
        <AppLink className="link" href={pathOf(linked ? community : null, 'report')}>
          <Trans>Back to the report form</Trans>
        </AppLink>
      </p>
    </section>
  )
}

function HeadCheck({ view }: { readonly view: TransparencyView }) {
  switch (view.headCheck) {
    case 'verified':
      return (
        <div className="transparency__head" data-testid="transparency-head" data-check="verified">
          <p>
            <Plural
              value={view.head?.size ?? 0}
              one="The log holds # entry. This device checked that the relay signed it with the log key the community recorded."
              other="The log holds # entries. This device checked that the relay signed them with the log key the community recorded."
            />
          </p>
          <p className="transparency__root">
            <Trans>
              Signed {view.head?.time.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC')}; root {view.head?.root}
            </Trans>
          </p>
        </div>
      )
    case 'bad':
      return (
        <p
          className="held__result held__result--problem"
          data-testid="transparency-head"
          data-check="bad"
          role="alert"
        >
          <Trans>
            Warning: the relay's log head is not signed by the log key this community recorded. Do not rely on
            these numbers; tell the community through another channel.
          </Trans>
        </p>
      )
    case 'no_log_key':
      return (
        <p className="transparency__head" data-testid="transparency-head" data-check="no_log_key">
          <Trans>
            This community has not recorded the relay's log key yet, so these numbers are the relay's word
            alone.
          </Trans>
        </p>
      )
    case 'untrusted':
      return (
        <p className="transparency__head" data-testid="transparency-head" data-check="untrusted">
          <Trans>
            This device could not check the community's signed list of brokers, so these numbers are the
            relay's word alone.
          </Trans>
        </p>
      )
  }
}
