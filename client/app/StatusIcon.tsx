export type StatusKind = 'ok' | 'pending' | 'off' | 'caution'

/** A small status glyph. Decorative: the status is always said in words beside it, never by colour alone. */
export function StatusIcon({ kind }: { readonly kind: StatusKind }) {
  return (
    <svg
      className={`status-icon status-icon--${kind}`}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
    >
      <circle cx="12" cy="12" r="10" />
      {kind === 'ok' && <path d="M7.5 12.5l3 3 6-6.5" />}
      {kind === 'pending' && <path d="M12 7v5l3 2" />}
      {kind === 'off' && <path d="M8 12h8" />}
      {kind === 'caution' && <path d="M12 7v6M12 16.5v.5" />}
    </svg>
  )
}
