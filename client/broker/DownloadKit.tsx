import { Trans } from '@lingui/react/macro'
import type { RecoveryKit } from './engine'

/** Save the recovery kit as a file on this device (nothing leaves it). */
export function DownloadKit({ kit, className }: { readonly kit: RecoveryKit; readonly className?: string }) {
  const download = () => {
    const url = URL.createObjectURL(new Blob([kit.text], { type: 'application/json' }))
    const a = document.createElement('a')
    a.href = url
    a.download = kit.fileName
    a.click()
    setTimeout(() => URL.revokeObjectURL(url), 1_000)
  }
  return (
    <button type="button" className={className ?? 'button button--quiet'} onClick={download}>
      <Trans>Download the recovery kit</Trans>
    </button>
  )
}
