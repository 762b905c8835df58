import { heardDb, type OutboxRow } from './db'

/**
 * Where queued reports wait. Normally IndexedDB, so a report survives a closed tab, a crash or a
 * reboot; in "leave no trace" mode only this tab's memory, so nothing is written to the device.
 */
export interface OutboxStore {
  put(row: OutboxRow): Promise<void>
  update(id: string, changes: Partial<OutboxRow>): Promise<void>
  get(id: string): Promise<OutboxRow | undefined>
  all(): Promise<OutboxRow[]>
}

export const durableOutbox = (): OutboxStore => ({
  async put(row) {
    await heardDb().outbox.put(row)
  },
  async update(id, changes) {
    await heardDb().outbox.update(id, changes)
  },
  get: (id) => heardDb().outbox.get(id),
  all: () => heardDb().outbox.toArray(),
})

export function memoryOutbox(): OutboxStore {
  const rows = new Map<string, OutboxRow>()
  return {
    async put(row) {
      rows.set(row.id, row)
    },
    async update(id, changes) {
      const row = rows.get(id)
      if (row) rows.set(id, { ...row, ...changes })
    },
    async get(id) {
      return rows.get(id)
    },
    async all() {
      return [...rows.values()]
    },
  }
}
