/**
 * Browser only. The complainant screens' one door to IndexedDB and cryptography. Loaded after the
 * first paint (and at the latest on the first keystroke), so the form is usable at once on a slow
 * phone while Dexie and tweetnacl arrive.
 */
type Engine = typeof import('../engine')

let loading: Promise<Engine> | null = null

export function loadEngine(): Promise<Engine> {
  loading ??= import('../engine')
  loading.catch(() => {
    loading = null
  })
  return loading
}
