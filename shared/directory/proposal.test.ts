import { describe, expect, it } from 'vitest'
import organizationsJson from '../../resources/organizations.json'
import { type DirectoryFile, type Organization, parseDirectoryFile } from '.'
import { type ProposalOperation, proposalFileName, proposeGlobalChange } from './proposal'

const file = parseDirectoryFile(organizationsJson)
const meta = {
  community: 'example-wiki',
  globalDigest: 'A'.repeat(43),
  createdAt: '2027-01-15T10:20:30.000Z',
}
const copy = <T>(value: T): T => structuredClone(value)

/**
 * A minimal RFC 6902 applier for the three operations a proposal uses, as a maintainer's tool would
 * apply them (`test` compares JSON values; a failing one aborts the whole patch).
 */
function applyPatch(target: DirectoryFile, patch: readonly ProposalOperation[]): DirectoryFile {
  const result = copy(target) as { organizations: unknown[] }
  for (const op of patch) {
    if (op.op === 'add') {
      result.organizations.push(copy(op.value))
      continue
    }
    const index = Number(op.path.split('/')[2])
    if (!(index in result.organizations)) throw new Error(`no ${op.path}`)
    if (op.op === 'test') {
      if (JSON.stringify(result.organizations[index]) !== JSON.stringify(op.value))
        throw new Error(`test failed at ${op.path}`)
    } else result.organizations[index] = copy(op.value)
  }
  return result as DirectoryFile
}

const newOrganization = (): Organization => {
  const template = copy(file.organizations[0] as Organization)
  return {
    ...template,
    id: 'local-partner',
    name: 'Local partner',
    services: template.services.map((s) => ({ ...s, id: `local-partner-${s.id}` })),
  }
}

describe('proposeGlobalChange', () => {
  it('replaces an organisation at its index, after a test of the old value', () => {
    const index = 1
    const old = file.organizations[index] as Organization
    const corrected: Organization = { ...copy(old), description: 'Corrected by the community.' }
    const proposal = proposeGlobalChange(file.organizations, [corrected], meta)
    expect(proposal).toEqual({
      format: 'heard-directory-proposal',
      version: 1,
      community: 'example-wiki',
      base: { digest: meta.globalDigest },
      createdAt: meta.createdAt,
      patch: [
        { op: 'test', path: `/organizations/${index}`, value: old },
        { op: 'replace', path: `/organizations/${index}`, value: corrected },
      ],
    })
    const patched = applyPatch(file, proposal.patch)
    expect(patched.organizations[index]).toEqual(corrected)
    expect(patched.organizations).toHaveLength(file.organizations.length)
    // The result is still a valid directory file.
    expect(() => parseDirectoryFile(patched)).not.toThrow()
  })

  it('appends a new organisation', () => {
    const added = newOrganization()
    const proposal = proposeGlobalChange(file.organizations, [added], meta)
    expect(proposal.patch).toEqual([{ op: 'add', path: '/organizations/-', value: added }])
    const patched = applyPatch(file, proposal.patch)
    expect(patched.organizations.at(-1)).toEqual(added)
    expect(() => parseDirectoryFile(patched)).not.toThrow()
  })

  it('keeps the overrides in the order given, mixing replacements and additions', () => {
    const added = newOrganization()
    const last = file.organizations.length - 1
    const changed: Organization = { ...copy(file.organizations[last] as Organization), name: 'Renamed' }
    const ops = proposeGlobalChange(file.organizations, [added, changed], meta).patch.map(
      (o) => `${o.op} ${o.path}`,
    )
    expect(ops).toEqual([
      'add /organizations/-',
      `test /organizations/${last}`,
      `replace /organizations/${last}`,
    ])
  })

  it('proposes nothing for an override identical to the global entry, whatever its key order', () => {
    const same = file.organizations[0] as Organization
    const reordered = Object.fromEntries(Object.entries(copy(same)).reverse()) as Organization
    expect(proposeGlobalChange(file.organizations, [reordered], meta).patch).toEqual([])
  })

  it('fails loudly on a file that changed since: the test operation refuses', () => {
    const old = file.organizations[0] as Organization
    const proposal = proposeGlobalChange(file.organizations, [{ ...copy(old), name: 'Ours' }], meta)
    const changedSince = copy(file)
    changedSince.organizations = [...changedSince.organizations.slice(1), old]
    expect(() => applyPatch(changedSince, proposal.patch)).toThrow('test failed at /organizations/0')
  })

  it('refuses two overrides with one id', () => {
    const added = newOrganization()
    expect(() => proposeGlobalChange(file.organizations, [added, added], meta)).toThrow('local-partner')
  })

  it('names the file after the community and the UTC day', () => {
    expect(proposalFileName(meta)).toBe('heard-directory-proposal-example-wiki-2027-01-15.json')
  })
})
