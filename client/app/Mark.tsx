import { MARK } from './mark-geometry'

/** Heard's mark, drawn inline (no image request). Decorative: the name is always written beside it. */
export function Mark({ className }: { readonly className?: string }) {
  const { bubble: b, tail, fieldRadius } = MARK
  const u = (v: number) => v * 64
  return (
    <svg className={className} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <rect className="mark__field" width="64" height="64" rx={u(fieldRadius)} />
      <rect
        className="mark__bubble"
        x={u(b.cx - b.halfW)}
        y={u(b.cy - b.halfH)}
        width={u(2 * b.halfW)}
        height={u(2 * b.halfH)}
        rx={u(b.radius)}
      />
      <polygon className="mark__bubble" points={tail.map(([x, y]) => `${u(x)},${u(y)}`).join(' ')} />
    </svg>
  )
}
