import { Trans, useLingui } from '@lingui/react/macro'
import type { EntryChange, EntryChanges } from './engine'

type Line = 'org-added' | 'org-changed' | 'org-removed' | 'em-added' | 'em-changed' | 'em-removed'

/** Changes between two directory versions in words: organisations by name, countries by code. */
export function DirectoryChangeList({
  changes,
  testId,
}: {
  readonly changes: EntryChanges
  readonly testId?: string
}) {
  const { i18n } = useLingui()
  const list = (items: readonly EntryChange[], kind: EntryChange['kind']) => {
    const labels = items.filter((c) => c.kind === kind).map((c) => c.label)
    return labels.length === 0
      ? null
      : new Intl.ListFormat(i18n.locale, { type: 'conjunction' }).format(labels)
  }
  const rows = (
    [
      { key: 'org-added', names: list(changes.added, 'organization') },
      { key: 'org-changed', names: list(changes.changed, 'organization') },
      { key: 'org-removed', names: list(changes.removed, 'organization') },
      { key: 'em-added', names: list(changes.added, 'country') },
      { key: 'em-changed', names: list(changes.changed, 'country') },
      { key: 'em-removed', names: list(changes.removed, 'country') },
    ] as const
  ).filter((row): row is { key: Line; names: string } => row.names !== null)
  return (
    <ul className="directory__changes" data-testid={testId}>
      {rows.map(({ key, names }) => (
        <li key={key}>
          <ChangeLine kind={key} names={names} />
        </li>
      ))}
    </ul>
  )
}

function ChangeLine({ kind, names }: { readonly kind: Line; readonly names: string }) {
  switch (kind) {
    case 'org-added':
      return <Trans>Organisations added: {names}.</Trans>
    case 'org-changed':
      return <Trans>Organisations changed: {names}.</Trans>
    case 'org-removed':
      return <Trans>Organisations removed: {names}.</Trans>
    case 'em-added':
      return <Trans>Emergency numbers added for: {names}.</Trans>
    case 'em-changed':
      return <Trans>Emergency numbers changed for: {names}.</Trans>
    case 'em-removed':
      return <Trans>Emergency numbers removed for: {names}.</Trans>
  }
}
