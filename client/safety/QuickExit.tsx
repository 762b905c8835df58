import { Trans } from '@lingui/react/macro'
import { useEffect } from 'react'
import { listenForDoubleEscape, quickExit } from './quick-exit'

/** Always visible, on every screen: leave at once. Escape twice does the same. */
export function QuickExit() {
  useEffect(() => listenForDoubleEscape(), [])
  return (
    <button type="button" className="quick-exit" onClick={quickExit} data-testid="quick-exit">
      <Trans>Quick exit</Trans>
      <span className="quick-exit__hint">
        <Trans>or press Esc twice</Trans>
      </span>
    </button>
  )
}
