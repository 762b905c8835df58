import type { ReactNode } from 'react'
import { StatusIcon, type StatusKind } from './StatusIcon'

/** One line of the device status: a glyph, what is true now, and what it means for the person. */
export function StatusRow(props: {
  readonly kind: StatusKind
  readonly label: ReactNode
  readonly detail: ReactNode
  /** A stable name for tests and styles; not shown. */
  readonly name: string
}) {
  return (
    <li className={`status status--${props.kind}`} data-status={props.name} data-state={props.kind}>
      <StatusIcon kind={props.kind} />
      <div className="status__text">
        <p className="status__label">{props.label}</p>
        <p className="status__detail">{props.detail}</p>
      </div>
    </li>
  )
}
