import { checkReceipt, checkStillHeld, type HeldCheck, type ReceiptLog } from '../../shared/log'
import { readSignedManifest } from '../../shared/protocol'
import type { LogCheck, OutboxRow } from './db'
import { heardDb } from './db'
import { communityUrl, RelayRefusal, relayJson } from './relay-api'

/**
 * Browser only. The complainant's side of the transparency log: the receipt checked when it
 * arrives, and "Is my report still held?" on demand. The log key comes from the manifest this
 * device pinned, never from the relay's say-so, so a relay cannot swap it.
 */

/** The log key recorded in the community's manifest as pinned on this device, if any. */
export async function pinnedLogKey(community: string): Promise<string | undefined> {
  const pin = await heardDb().pins.get(community)
  if (!pin) return undefined
  return readSignedManifest({ payload: pin.payload, signature: pin.signature }).manifest.logKey
}

const noteOf = (kind: LogCheck['kind'], check: HeldCheck): LogCheck => ({
  kind,
  at: new Date().toISOString(),
  ...(check.ok ? { ok: true, size: check.head.size } : { ok: false, problem: check.problem }),
})

const factsOf = (row: OutboxRow, logKey: string | undefined) => ({
  community: row.community,
  logKey,
  envelopeHash: row.receipt?.hash ?? '',
  log: row.receipt?.log as ReceiptLog | undefined,
})

/** The receipt's own promise, checked without the network. */
export async function receiptCheck(row: OutboxRow): Promise<LogCheck> {
  return noteOf('receipt', checkReceipt(factsOf(row, await pinnedLogKey(row.community))))
}

/** Null where the relay answers "no such thing" (404), so the check can say what is missing. */
async function orNull(url: string): Promise<unknown> {
  try {
    return await relayJson(url)
  } catch (error) {
    if (error instanceof RelayRefusal && error.status === 404) return null
    throw error
  }
}

/** "Is my report still held?" Throws RelayUnreachable when the relay cannot be reached. */
export async function stillHeldCheck(row: OutboxRow): Promise<LogCheck> {
  const url = (rest: string) => communityUrl(row.community, rest)
  const check = await checkStillHeld({
    ...factsOf(row, await pinnedLogKey(row.community)),
    source: {
      head: () => relayJson(url('/log/head')),
      consistency: (from, to) => orNull(url(`/log/consistency?from=${from}&to=${to}`)),
      inclusion: (leaf, size) => orNull(url(`/log/inclusion?leaf=${leaf}&size=${size}`)),
      envelope: async () =>
        ((await orNull(url(`/reports/${encodeURIComponent(row.id)}`))) as { envelope?: unknown } | null)
          ?.envelope ?? null,
    },
  })
  return noteOf('still-held', check)
}
