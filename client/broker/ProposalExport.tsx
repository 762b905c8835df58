import { Trans } from '@lingui/react/macro'
import { useMemo } from 'react'
import { type Organization, proposalFileName, proposeGlobalChange } from '../../shared/directory'
import { type GlobalDirectoryView, globalOrganizations } from './engine'

/**
 * The community's own organisations as a proposed change to Heard's global directory, saved as a
 * file on this device. Nothing is sent: the admin hands it to Heard's maintainers, who check every
 * source before it reaches other communities.
 */
export function ProposalExport(props: {
  readonly community: string
  readonly global: GlobalDirectoryView
  readonly organizations: readonly Organization[]
}) {
  const { community, global, organizations } = props
  const globalOrgs = useMemo(() => globalOrganizations(global.entries), [global])
  const propose = (createdAt: string) =>
    proposeGlobalChange(globalOrgs, organizations, { community, globalDigest: global.digest, createdAt })
  // What the file will hold, counted on screen; the download stamps its own time.
  const preview = propose('')
  const added = preview.patch.filter((op) => op.op === 'add').length
  const replaced = preview.patch.filter((op) => op.op === 'replace').length

  const download = () => {
    const proposal = propose(new Date().toISOString())
    const url = URL.createObjectURL(
      new Blob([`${JSON.stringify(proposal, null, 2)}\n`], { type: 'application/json' }),
    )
    const a = document.createElement('a')
    a.href = url
    a.download = proposalFileName(proposal)
    a.click()
    setTimeout(() => URL.revokeObjectURL(url), 1_000)
  }

  return (
    <div className="directory__part">
      <h3 className="field__label">
        <Trans>Propose your organisations to Heard</Trans>
      </h3>
      <p>
        <Trans>
          If your organisations would help other communities too, or correct one of Heard's entries, download
          them as a proposed change to Heard's directory (resources/organizations.json) and send it to Heard's
          maintainers as a pull request, or attach it to an issue. They check every fact against its source
          before accepting it. Nothing is sent from here.
        </Trans>
      </p>
      {preview.patch.length === 0 ? (
        <p className="inbox__meta">
          {organizations.length === 0 ? (
            <Trans>Your community has no organisations of its own to propose.</Trans>
          ) : (
            <Trans>Your organisations are the same as Heard's entries: there is nothing to propose.</Trans>
          )}
        </p>
      ) : (
        <>
          <p className="inbox__meta">
            <Trans>
              New organisations: {added}. Corrections to Heard's entries: {replaced}.
            </Trans>
          </p>
          <button
            type="button"
            className="button button--quiet"
            onClick={download}
            data-testid="directory-export"
          >
            <Trans>Download the proposal</Trans>
          </button>
        </>
      )}
    </div>
  )
}
