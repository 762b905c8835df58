import * as v from 'valibot'
import { MISSING_NOTE, type VerificationStatus } from './fields'

type Path = [v.IssuePathItem, ...v.IssuePathItem[]]

const at = (input: unknown[], key: number): v.ArrayPathItem => ({
  type: 'array',
  origin: 'value',
  input,
  key,
  value: input[key],
})

/**
 * Refuses a list where two items share a key, pointing at the second one, so the message names
 * the duplicate rather than the whole list. JSON Schema cannot say this (`uniqueItems` compares
 * whole items), so resources:check and the parsers enforce it.
 */
export function uniqueBy<T>(keyOf: (item: T) => string, message: string) {
  return v.rawCheck<T[]>(({ dataset, addIssue }) => {
    if (!dataset.typed) return
    const seen = new Set<string>()
    dataset.value.forEach((item, index) => {
      const key = keyOf(item)
      if (seen.has(key)) addIssue({ message, path: [at(dataset.value, index)] })
      seen.add(key)
    })
  })
}

/** Like uniqueBy, over a list nested in each item (service ids across all organisations). */
export function uniqueNested<T, K extends keyof T & string>(
  field: K,
  keyOf: (item: T[K] extends readonly (infer U)[] ? U : never) => string,
  message: string,
) {
  return v.rawCheck<T[]>(({ dataset, addIssue }) => {
    if (!dataset.typed) return
    const seen = new Set<string>()
    dataset.value.forEach((outer, i) => {
      const inner = outer[field] as unknown[]
      inner.forEach((item, j) => {
        const key = keyOf(item as never)
        const path: Path = [
          at(dataset.value, i),
          {
            type: 'object',
            origin: 'value',
            input: outer as Record<string, unknown>,
            key: field,
            value: inner,
          },
          at(inner, j),
        ]
        if (seen.has(key)) addIssue({ message, path })
        seen.add(key)
      })
    })
  })
}

/**
 * An unverified entry must say why, so the next reviewer knows what to re-check. Checked on the
 * list rather than the entry because valibot's variant (contacts) takes plain objects only.
 */
export function notesUnverified<T extends { status: VerificationStatus; note?: string | undefined }>() {
  return v.rawCheck<T[]>(({ dataset, addIssue }) => {
    if (!dataset.typed) return
    dataset.value.forEach((entry, index) => {
      if (entry.status === 'unverified' && entry.note === undefined)
        addIssue({ message: MISSING_NOTE, path: [at(dataset.value, index)] })
    })
  })
}
