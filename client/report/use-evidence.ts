import { useCallback, useEffect, useRef, useState } from 'react'
import type { Cleaning, StrippedMetadata } from '../../shared/protocol/attachment-kinds'

/** A file as the cleaner returns it (client/evidence): bytes with the metadata taken out. */
export interface CleanedFile {
  readonly bytes: Uint8Array
  readonly type: string
  readonly cleaning: Cleaning
  readonly removed: readonly StrippedMetadata[]
  /** Why a file could not be cleaned, as a machine code the screen words. */
  readonly mayStillCarry?: string
}

export type EvidenceState = 'cleaning' | 'ready' | 'failed'

export interface EvidenceItem {
  readonly id: number
  /** The file's own name: shown on this device, sent only if the person keeps it. */
  readonly original: string
  readonly state: EvidenceState
  readonly cleaned?: CleanedFile
  /** The neutral name sent instead of the original one. */
  readonly neutral?: string
  readonly keepName: boolean
  /** An object URL of the cleaned image, for the thumbnail. */
  readonly preview?: string
}

/** Why the last file picked was not added. */
export type EvidenceRefusal = { readonly kind: 'over-limit'; readonly name: string } | null

const PREVIEWABLE = /^image\/(png|jpeg|webp)$/

/**
 * The files attached to the report being written. Each is cleaned on this device as soon as it
 * is picked (the cleaner loads only then), so the person sees what was removed before sending.
 * Nothing here is written to the device: the files live in this tab until they are sealed.
 */
export function useEvidence(limitBytes: number) {
  const [items, setItems] = useState<readonly EvidenceItem[]>([])
  const [refusal, setRefusal] = useState<EvidenceRefusal>(null)
  const next = useRef(1)
  const latest = useRef(items)
  latest.current = items

  useEffect(
    () => () => {
      for (const item of latest.current) if (item.preview) URL.revokeObjectURL(item.preview)
    },
    [],
  )

  const patch = useCallback(
    (id: number, changes: Partial<EvidenceItem>) =>
      setItems((list) => list.map((item) => (item.id === id ? { ...item, ...changes } : item))),
    [],
  )

  const add = useCallback(
    async (files: readonly File[]) => {
      setRefusal(null)
      const [{ cleanFile, neutralName }, { attachmentPaddedLength }] = await Promise.all([
        import('../evidence/clean-file'),
        import('../../shared/crypto/attachment'),
      ])
      for (const file of files) {
        const id = next.current++
        setItems((list) => [...list, { id, original: file.name || '', state: 'cleaning', keepName: false }])
        let cleaned: CleanedFile
        try {
          cleaned = await cleanFile(file)
        } catch {
          patch(id, { state: 'failed' })
          continue
        }
        const used = latest.current
          .filter((item) => item.id !== id && item.cleaned)
          .reduce((sum, item) => sum + attachmentPaddedLength(item.cleaned?.bytes.length ?? 0), 0)
        if (used + attachmentPaddedLength(cleaned.bytes.length) > limitBytes) {
          setItems((list) => list.filter((item) => item.id !== id))
          setRefusal({ kind: 'over-limit', name: file.name })
          continue
        }
        const position = latest.current.findIndex((item) => item.id === id) + 1
        patch(id, {
          state: 'ready',
          cleaned,
          neutral: neutralName(cleaned.type, Math.max(1, position)),
          ...(PREVIEWABLE.test(cleaned.type)
            ? {
                preview: URL.createObjectURL(
                  new Blob([cleaned.bytes as Uint8Array<ArrayBuffer>], { type: cleaned.type }),
                ),
              }
            : {}),
        })
      }
    },
    [limitBytes, patch],
  )

  const remove = useCallback((id: number) => {
    setItems((list) => {
      const gone = list.find((item) => item.id === id)
      if (gone?.preview) URL.revokeObjectURL(gone.preview)
      return list.filter((item) => item.id !== id)
    })
  }, [])

  const keepName = useCallback((id: number, keep: boolean) => patch(id, { keepName: keep }), [patch])

  const clear = useCallback(() => {
    for (const item of latest.current) if (item.preview) URL.revokeObjectURL(item.preview)
    setItems([])
    setRefusal(null)
  }, [])

  return { items, refusal, add, remove, keepName, clear }
}

/** The name a file goes under in the sealed report. */
export const sentName = (item: EvidenceItem): string =>
  item.keepName && item.original.trim() !== '' ? item.original.trim().slice(0, 255) : (item.neutral ?? 'file')
