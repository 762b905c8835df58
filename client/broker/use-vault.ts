import { useEffect, useState } from 'react'
import { current, subscribe } from './engine'

/** Browser only. Whether the vault is open, and for which community; re-renders on lock/unlock. */
export function useVault() {
  const [state, setState] = useState(current)
  useEffect(() => subscribe(() => setState(current())), [])
  return state
}
