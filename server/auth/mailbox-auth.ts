import { fromBase64url, mailboxIdOf, sha256, signPublicKey, verifyDetached } from '../../shared/crypto'
import {
  MAILBOX_AUTH_SCHEME,
  MAILBOX_REQUEST_DOMAIN,
  MAILBOX_TIME_SKEW_SECONDS,
  type MailboxSender,
  mailboxRequestMessage,
  ProtocolError,
  parseMailboxAuthorization,
} from '../../shared/protocol'
import type { ManifestCache } from '../communities/manifest-cache'
import type { Store } from '../db/store'
import { brokerOfSession } from './broker-session'

/** Who may use a mailbox: any broker of its community, or its owner. */
export type MailboxCaller =
  | { readonly sender: typeof MailboxSender.broker }
  | {
      readonly sender: typeof MailboxSender.complainant
      /** Throws bad_signature unless the owner signed this request with exactly these body bytes. */
      readonly checkBody: (body: Uint8Array) => void
    }

export interface MailboxRequestContext {
  readonly store: Store
  readonly manifests: ManifestCache
  readonly authorization: string | undefined
  readonly community: string
  readonly mailbox: string
  readonly method: string
  readonly now: Date
}

/**
 * Sort a mailbox request by its Authorization scheme. `Bearer`: a broker session of this community,
 * checked in full here. `HeardMailbox`: the owner; everything but the body is checked here (key owns
 * the mailbox, time within MAILBOX_TIME_SKEW_SECONDS), and the signature once the body has been read.
 * Anything else, or nothing, is mailbox_auth_required.
 */
export async function mailboxCaller(request: MailboxRequestContext): Promise<MailboxCaller> {
  const header = request.authorization ?? ''
  const scheme = header.split(' ', 1)[0]
  if (scheme === 'Bearer') {
    const nowSeconds = Math.floor(request.now.getTime() / 1000)
    await brokerOfSession(request.store, request.manifests, header, request.community, nowSeconds)
    return { sender: 'broker' }
  }
  if (scheme !== MAILBOX_AUTH_SCHEME) throw new ProtocolError('mailbox_auth_required')
  const auth = parseMailboxAuthorization(header)
  if (!auth) throw new ProtocolError('mailbox_auth_required')
  const key = signPublicKey(fromBase64url(auth.key) ?? new Uint8Array())
  if (mailboxIdOf(key) !== request.mailbox) throw new ProtocolError('mailbox_key_mismatch')
  if (Math.abs(auth.timeMs - request.now.getTime()) > MAILBOX_TIME_SKEW_SECONDS * 1000) {
    throw new ProtocolError('request_time_skew')
  }
  return {
    sender: 'complainant',
    checkBody(body) {
      const message = mailboxRequestMessage({
        community: request.community,
        mailbox: request.mailbox,
        method: request.method,
        time: auth.time,
        bodyHash: sha256(body),
      })
      const signature = fromBase64url(auth.sig) ?? new Uint8Array()
      if (!verifyDetached(MAILBOX_REQUEST_DOMAIN, message, signature, key)) {
        throw new ProtocolError('bad_signature')
      }
    },
  }
}
