import * as v from 'valibot'
import {
  boxPublicKey,
  deriveFollowUpKeys,
  type FollowUpKeys,
  open,
  parseFollowUpPassphrase,
  seal,
  utf8,
} from '../../shared/crypto'
import {
  canonicalEnvelopeText,
  decodeField,
  decodeReply,
  EnvelopeKind,
  encodeReply,
  envelopeFromJson,
  envelopeToJson,
  MailboxPageSchema,
  MailboxReceiptResponseSchema,
  type Manifest,
  mailboxAuthorization,
  parseEnvelopeJson,
} from '../../shared/protocol'
import { communityUrl, relayFetch } from './relay-api'

/**
 * Browser only. The complainant's side of follow-up: the passphrase derives the mailbox and its
 * keys (in memory only, never stored); every request is signed by the mailbox key; answers are
 * sealed to the brokers and to the complainant's own reply key, so they can re-read what they wrote.
 */

export type PassphraseProblem =
  | { readonly reason: 'word_count'; readonly count: number }
  | { readonly reason: 'unknown_word'; readonly word: string }

export type OpenedMailbox =
  | { readonly ok: true; readonly keys: FollowUpKeys }
  | ({ readonly ok: false } & PassphraseProblem)

export async function openMailbox(input: string, community: string): Promise<OpenedMailbox> {
  const parsed = parseFollowUpPassphrase(input)
  if (!parsed.ok) {
    return parsed.reason === 'word_count'
      ? { ok: false, reason: 'word_count', count: parsed.count }
      : { ok: false, reason: 'unknown_word', word: parsed.word }
  }
  return { ok: true, keys: await deriveFollowUpKeys(parsed.passphrase, community) }
}

export interface MailboxMessage {
  readonly seq: number
  readonly receivedAt: string
  readonly from: 'broker' | 'me'
  /** null: this device could not open it (it was not sealed to this passphrase). */
  readonly text: string | null
}

const path = (keys: FollowUpKeys) => `/mailboxes/${keys.mailbox}`

export async function readMailbox(keys: FollowUpKeys, community: string): Promise<MailboxMessage[]> {
  const out: MailboxMessage[] = []
  let after = '0'
  for (let page = 0; page < 100; page++) {
    const url = communityUrl(community, `${path(keys)}?after=${after}`)
    const authorization = mailboxAuthorization({
      community,
      mailbox: keys.mailbox,
      method: 'GET',
      signKeyPair: keys.sign,
    })
    const body = v.parse(
      MailboxPageSchema,
      await (await relayFetch(url, { headers: { authorization } })).json(),
    )
    for (const message of body.messages) {
      let text: string | null = null
      try {
        const envelope = envelopeFromJson(parseEnvelopeJson(message.envelope))
        text = decodeReply(await open(envelope, keys.box.secretKey)).text
      } catch {
        text = null
      }
      out.push({
        seq: message.seq,
        receivedAt: message.receivedAt,
        from: message.sender === 'broker' ? 'broker' : 'me',
        text,
      })
    }
    if (body.messages.length === 0 || body.next === after) break
    after = body.next
  }
  return out
}

export async function sendAnswer(keys: FollowUpKeys, manifest: Manifest, text: string): Promise<void> {
  const recipients = [...manifest.brokers.map((b) => boxPublicKey(decodeField(b.boxKey))), keys.box.publicKey]
  const sealed = await seal(encodeReply({ v: 1, text, sentAt: new Date().toISOString() }), recipients, {
    version: 1,
    kind: EnvelopeKind.reply,
    community: manifest.community,
  })
  const body = canonicalEnvelopeText(envelopeToJson(sealed))
  const authorization = mailboxAuthorization({
    community: manifest.community,
    mailbox: keys.mailbox,
    method: 'POST',
    body: utf8(body),
    signKeyPair: keys.sign,
  })
  const response = await relayFetch(communityUrl(manifest.community, path(keys)), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body,
  })
  v.parse(MailboxReceiptResponseSchema, await response.json())
}
