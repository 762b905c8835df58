import { type ChunkRow, heardDb } from './db'

/**
 * Where sealed attachment chunks wait until the relay holds them: IndexedDB normally, so an upload
 * resumes after a reload or a crash; this tab's memory in "leave no trace" mode. A chunk is removed
 * once the relay has confirmed it, which frees the space; the report keeps the count.
 */
export interface ChunkStore {
  /** Keeps every chunk or none: a full disk leaves nothing half-written. */
  putAll(rows: readonly ChunkRow[]): Promise<void>
  get(file: string, index: number): Promise<ChunkRow | undefined>
  remove(file: string, index: number): Promise<void>
}

export const durableChunks = (): ChunkStore => ({
  async putAll(rows) {
    const db = heardDb()
    await db.transaction('rw', db.chunks, () => db.chunks.bulkPut([...rows]))
  },
  get: (file, index) => heardDb().chunks.get([file, index]),
  async remove(file, index) {
    await heardDb().chunks.delete([file, index])
  },
})

export function memoryChunks(): ChunkStore {
  const rows = new Map<string, ChunkRow>()
  const key = (file: string, index: number) => `${file}/${index}`
  return {
    async putAll(next) {
      for (const row of next) rows.set(key(row.file, row.index), row)
    },
    async get(file, index) {
      return rows.get(key(file, index))
    },
    async remove(file, index) {
      rows.delete(key(file, index))
    },
  }
}
