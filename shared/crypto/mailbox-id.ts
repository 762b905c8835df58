import { toBase64url } from './bytes'
import { domainHash } from './hash'
import type { SignPublicKey } from './keys'

export const MAILBOX_ID_BYTES = 16 // must not change: mailbox ids are in URLs and in sealed reports

/**
 * A follow-up mailbox is named by its owner's signing key, so only the holder of the follow-up
 * passphrase can prove it is theirs, and the relay never learns anything else about them.
 */
export const mailboxIdOf = (signKey: SignPublicKey): string =>
  toBase64url(domainHash('heard/mailbox-id/v1', signKey).subarray(0, MAILBOX_ID_BYTES))
