import { CryptoError, CryptoErrorCode } from './errors'

/**
 * Plaintexts are padded to one of these sizes (bytes) before sealing, so a stored envelope reveals
 * only which bucket its body fell in. Powers of two from 1 KiB to 16 MiB: at most 2× overhead.
 * Must not change for envelope v1: the relay checks ciphertext lengths against this list.
 */
export const PADDING_BUCKETS: readonly number[] = Object.freeze(
  Array.from({ length: 15 }, (_, i) => 1024 * 2 ** i),
)

export const MAX_PADDED_BYTES = PADDING_BUCKETS[PADDING_BUCKETS.length - 1] as number

/** The smallest bucket that holds `length` bytes; throws when nothing does. */
export function bucketFor(length: number): number {
  for (const bucket of PADDING_BUCKETS) if (length <= bucket) return bucket
  throw new CryptoError(CryptoErrorCode.tooLarge, `At most ${MAX_PADDED_BYTES} bytes can be sealed`)
}

export const isBucket = (length: number): boolean => PADDING_BUCKETS.includes(length)
