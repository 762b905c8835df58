/** Why a crypto operation refused its input. Codes are stable: callers map them to UI text and HTTP answers. */
export const CryptoErrorCode = {
  notARecipient: 'not_a_recipient',
  unwrapFailed: 'unwrap_failed',
  decryptFailed: 'decrypt_failed',
  headerMismatch: 'header_mismatch',
  badPadding: 'bad_padding',
  tooLarge: 'too_large',
  invalidKey: 'invalid_key',
  wrongPassphrase: 'wrong_passphrase',
  unsupportedKdf: 'unsupported_kdf',
  /** A follow-up passphrase that is not eight words of the list. */
  invalidPassphrase: 'invalid_passphrase',
  /** Data at rest with a version byte this build does not know (written by a newer app?). */
  unsupportedVersion: 'unsupported_version',
  /** Data at rest that is truncated, corrupted, or sealed under another device key. */
  atRestUnreadable: 'at_rest_unreadable',
  /** Data at rest sealed with a PIN layer, opened without a PIN key. */
  pinRequired: 'pin_required',
  /** Data at rest sealed without a PIN layer, opened with a PIN key. */
  pinUnexpected: 'pin_unexpected',
  /** The device key opened the data, the PIN key did not: the PIN is wrong. */
  wrongPin: 'wrong_pin',
  /** An attachment chunk that is not where it claims to be: wrong length, index or count. */
  badChunk: 'bad_chunk',
  /** An attachment chunk that failed authentication: altered, or moved from another place or file. */
  chunkFailed: 'chunk_failed',
  /** Fewer chunks than the sealed report promised: the upload is unfinished or chunks were dropped. */
  attachmentIncomplete: 'attachment_incomplete',
  /** Every chunk opened, but the file is not the one the sealed report names. */
  attachmentHashMismatch: 'attachment_hash_mismatch',
} as const
export type CryptoErrorCode = (typeof CryptoErrorCode)[keyof typeof CryptoErrorCode]

export class CryptoError extends Error {
  override readonly name = 'CryptoError'
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
    /** For attachment errors: the zero-based index of the chunk that failed, when one did. */
    readonly chunk?: number,
  ) {
    super(message)
  }
}
