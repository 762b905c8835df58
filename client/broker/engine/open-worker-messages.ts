import type { SyncedItem } from './open-report'
import type { ReportRecord } from './records'

/** Messages between the page and open-worker.ts. */
export type OpenRequest =
  | { readonly type: 'key'; readonly secretKey: Uint8Array }
  | { readonly type: 'open'; readonly id: number; readonly items: readonly SyncedItem[] }

export type OpenReply =
  | {
      readonly type: 'opened'
      readonly id: number
      readonly records: ReportRecord[]
      /** Each opened report's folded search text, so the page need not work it out again. */
      readonly searchTexts: readonly (string | null)[]
    }
  | { readonly type: 'failed'; readonly id: number; readonly message: string }
