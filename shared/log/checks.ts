/**
 * Argument checks for proof *generation*: asking for a proof of a tree the caller does not have is
 * a bug in the caller, so it throws (RangeError). Verification never comes here: it answers false.
 */

/** Throws unless `value` is an integer with min ≤ value ≤ max. */
export function requireIntegerIn(what: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(`${what} must be an integer from ${min} to ${max}, not ${value}`)
  }
}
