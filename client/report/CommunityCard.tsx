import { Trans } from '@lingui/react/macro'
import { useId } from 'react'
import type { TrustView } from './use-community-trust'

/** Who will read the report: the community and its brokers, as pinned on this device. */
export function CommunityCard({
  community,
  trust,
}: {
  readonly community: string
  readonly trust: TrustView
}) {
  const titleId = useId()
  const manifest =
    trust.state === 'trusted' ? trust.manifest : trust.state === 'changed' ? trust.pinned : null
  return (
    <section className="card card--community" aria-labelledby={titleId} data-trust={trust.state}>
      <h2 id={titleId} className="card__title">
        {manifest ? manifest.name : community}
      </h2>
      {trust.state === 'loading' && (
        <p className="card__text" aria-live="polite">
          <Trans>Checking who receives reports for this community…</Trans>
        </p>
      )}
      {manifest && (
        <>
          {manifest.policy.trim() !== '' && <p className="card__text card__policy">{manifest.policy}</p>}
          <p className="card__text">
            <Trans>
              Your report is sealed on this device so that only this community's brokers can open it. Heard's
              server only ever holds the sealed copy.
            </Trans>
          </p>
          <details className="brokers">
            <summary>
              <Trans>Who can read it ({manifest.brokers.length})</Trans>
            </summary>
            <ul className="brokers__list">
              {manifest.brokers.map((b) => (
                <li key={b.signKey}>{b.name}</li>
              ))}
            </ul>
          </details>
        </>
      )}
      {trust.state === 'unknown_community' && (
        <p className="notice" role="alert">
          <Trans>
            This relay has no community called “{community}”. Check the link you were given. You can still
            write here: your words stay on this device as a draft.
          </Trans>
        </p>
      )}
      {trust.state === 'unreachable' && (
        <p className="notice" role="status">
          <Trans>
            Heard cannot reach the relay to learn who receives reports for this community, so it cannot seal a
            report yet. You can still write: your words stay on this device as a draft until you are online.
          </Trans>
        </p>
      )}
      {trust.state === 'invalid' && (
        <p className="notice" role="alert">
          <Trans>
            The relay sent a list of brokers that does not carry a valid signature. Heard will not send
            anything to it. Please tell the community through another channel.
          </Trans>
        </p>
      )}
      {trust.state === 'changed' && <TrustProblem problem={trust.problem} />}
    </section>
  )
}

function TrustProblem({ problem }: { readonly problem: string }) {
  return (
    <div className="notice notice--stop" role="alert" data-problem={problem}>
      <p className="notice__title">
        <Trans>Sending is paused to protect you</Trans>
      </p>
      <p>
        {problem === 'rolled_back' ? (
          <Trans>
            The relay now shows an older list of this community's brokers than the one this device already
            trusts.
          </Trans>
        ) : problem === 'forked' ? (
          <Trans>The relay shows a different list of brokers under the same version number as before.</Trans>
        ) : (
          <Trans>
            The list of people who would receive your report has changed, and the change is not signed by the
            community key this device trusted when you first came here.
          </Trans>
        )}{' '}
        <Trans>
          That can be a mistake by the relay, or someone trying to read reports. Heard will not send anything
          until it is resolved. Your words stay on this device. Please ask the community, through another
          channel you trust, whether they changed their keys.
        </Trans>
      </p>
    </div>
  )
}
