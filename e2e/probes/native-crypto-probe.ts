import fc from 'fast-check'
import { fromBase64url, portableFromBase64url, toBase64url } from '../../shared/crypto/bytes'

/**
 * Bundled into a blank Chromium page by e2e/native-crypto.e2e.ts: the paths shared/crypto takes only
 * where the host has them (Uint8Array.fromBase64) are held to the portable code Node tests cover.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
/** What a tampered field may hold: the alphabet, padding, the other alphabet, whitespace, anything. */
const NOISE = [...ALPHABET.slice(0, 8), '=', '==', '+', '/', ' ', '\n', '\t', '.', 'é', '\u0000']

const sameResult = (a: Uint8Array | null, b: Uint8Array | null) =>
  a === null || b === null ? a === b : a.length === b.length && a.every((x, i) => x === b[i])

export const hasNativeBase64 = (): boolean =>
  typeof (Uint8Array as unknown as { fromBase64?: unknown }).fromBase64 === 'function'

/** Runs the properties; returns the first counterexample, or null when every run agreed. */
export function checkBase64(runs: number): string | null {
  const long = fc.uint8Array({ minLength: 190, maxLength: 600 })
  const result = fc.check(
    fc.property(
      long,
      fc.array(fc.tuple(fc.nat(), fc.constantFrom(...NOISE), fc.constantFrom('insert', 'replace', 'cut')), {
        maxLength: 3,
      }),
      (bytes, edits) => {
        let text = toBase64url(bytes)
        if (edits.length === 0 && !sameResult(fromBase64url(text), bytes)) return false
        for (const [at, piece, how] of edits) {
          const i = at % (text.length + 1)
          text =
            how === 'insert'
              ? text.slice(0, i) + piece + text.slice(i)
              : how === 'replace'
                ? text.slice(0, i) + piece + text.slice(i + 1)
                : text.slice(0, i)
        }
        return sameResult(fromBase64url(text), portableFromBase64url(text))
      },
    ),
    { numRuns: runs },
  )
  return result.failed ? JSON.stringify(result.counterexample) : null
}
