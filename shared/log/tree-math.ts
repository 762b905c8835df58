/**
 * The integer arithmetic of RFC 9162 trees. Loops and division rather than bit operations: those
 * cut numbers to 32 bits, and a tree size is any safe integer (< 2^53). Each call is a few dozen
 * steps at most, next to the microseconds of a hash.
 */

/** k of RFC 9162 §2.1.1: the largest power of two strictly below n (n ≥ 2). Where every tree splits. */
export function splitPoint(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/** The k with n = 2^k, or -1 when n is not a power of two: a perfect subtree's level. */
export function exactLog2(n: number): number {
  let k = 0
  let p = 1
  while (p < n) {
    p *= 2
    k++
  }
  return p === n ? k : -1
}
