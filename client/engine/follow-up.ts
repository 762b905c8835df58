import { deriveFollowUpKeys, generateFollowUpPassphrase, toBase64url } from '../../shared/crypto'
import type { FollowUp } from '../../shared/protocol'

/**
 * Browser only. A new follow-up passphrase and what the report carries for it: the mailbox id and
 * the reply key, both derived from the passphrase, so any device that has the words can read replies.
 */
export async function prepareFollowUp(
  community: string,
): Promise<{ passphrase: string; followUp: FollowUp }> {
  const passphrase = generateFollowUpPassphrase()
  const keys = await deriveFollowUpKeys(passphrase, community)
  return { passphrase, followUp: { mailbox: keys.mailbox, replyKey: toBase64url(keys.box.publicKey) } }
}
