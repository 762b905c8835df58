/**
 * Group commit: requests that arrive while a transaction is being written wait for the next one,
 * which then holds all of them. Each caller's promise settles only after the transaction that holds
 * its item has committed, so every acknowledgement is durable, while the disk syncs once per batch
 * instead of once per request.
 */
export function createBatchWriter<T, R>(
  flush: (items: readonly T[]) => Promise<R[]>,
  maxBatch = 256,
  gatherMs = 2,
): (item: T) => Promise<R> {
  type Pending = { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }
  let queue: Pending[] = []
  let scheduled = false

  /**
   * SQLite's commit blocks the event loop while it syncs, so requests that arrived meanwhile are
   * still being read and checked when it returns. Before each commit, let the loop turn while the
   * queue keeps growing (at most gatherMs), so they join this batch instead of costing a sync each.
   */
  async function gather(): Promise<void> {
    const started = performance.now()
    let seen = -1
    while (queue.length !== seen && queue.length < maxBatch && performance.now() - started < gatherMs) {
      seen = queue.length
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
  }

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      await gather()
      const batch = queue.slice(0, maxBatch)
      queue = queue.slice(batch.length)
      try {
        const results = await flush(batch.map((p) => p.item))
        batch.forEach((p, i) => {
          p.resolve(results[i] as R)
        })
      } catch (error) {
        for (const p of batch) p.reject(error)
      }
    }
    scheduled = false
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject })
      if (!scheduled) {
        scheduled = true
        setImmediate(drain)
      }
    })
}
