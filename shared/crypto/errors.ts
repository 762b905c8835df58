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
} as const
export type CryptoErrorCode = (typeof CryptoErrorCode)[keyof typeof CryptoErrorCode]

export class CryptoError extends Error {
  override readonly name = 'CryptoError'
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
  ) {
    super(message)
  }
}
