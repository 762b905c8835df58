import type { MouseEvent, ReactNode } from 'react'
import { navigate } from './use-route'

/**
 * A link within Heard that replaces the current history entry instead of adding one, so that after
 * a quick exit the Back button never leads to an earlier Heard screen.
 */
export function AppLink({
  href,
  className,
  children,
}: {
  href: string
  className?: string
  children: ReactNode
}) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(href)
    window.scrollTo({ top: 0 })
  }
  return (
    <a href={href} className={className} onClick={follow}>
      {children}
    </a>
  )
}
