import { readFileSync } from 'node:fs'

/**
 * The whole machine's CPU time, from the first line of /proc/stat (Linux; null elsewhere), so a
 * benchmark can say whether a contender left cores idle or the machine itself was the limit. Steal
 * (time the hypervisor gave to other guests) is kept apart: on a shared VM it is neither ours nor idle.
 */
export interface MachineTimes {
  readonly busy: number
  readonly idle: number
  readonly steal: number
}

export function machineTimes(): MachineTimes | null {
  let line: string | undefined
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]
  } catch {
    return null
  }
  // cpu  user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
  if (!line?.startsWith('cpu ')) return null
  const n = line.trim().split(/\s+/).slice(1, 9).map(Number)
  if (n.length < 8 || n.some((f) => !Number.isFinite(f))) return null
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = n
  return { busy: user + nice + system + irq + softirq, idle: idle + iowait, steal }
}

/** Shares of all cores' time between two readings: busy (any process, kernel included) and stolen. */
export function machineShares(
  before: MachineTimes | null,
  after: MachineTimes | null,
): { readonly busy: number; readonly steal: number } | null {
  if (!before || !after) return null
  const busy = after.busy - before.busy
  const steal = after.steal - before.steal
  const total = busy + steal + (after.idle - before.idle)
  return total > 0 ? { busy: busy / total, steal: steal / total } : null
}
