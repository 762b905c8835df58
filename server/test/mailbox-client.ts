import {
  type BoxPublicKey,
  fromBase64url,
  mailboxIdOf,
  type SignKeyPair,
  seal,
  signDetached,
  toBase64url,
} from '../../shared/crypto'
import {
  API_PREFIX,
  EnvelopeKind,
  type EnvelopeV1Json,
  encodeReply,
  envelopeToJson,
  type MailboxPage,
  type MailboxReceipt,
  mailboxAuthorization,
  SESSION_SIGNING_DOMAIN,
  sessionSigningMessage,
} from '../../shared/protocol'

/**
 * Follow-up mailboxes driven the way the app does it, over HTTP: for integration tests (pass the
 * relay app's `request` as `fetch`) and e2e tests (a running relay, the global fetch). `baseUrl` is
 * the relay's origin, without `/api/v1`. Every helper throws on an answer other than the one it expects.
 */

/** fetch, or anything that answers like it (Hono's `app.request`). */
export type RelayFetch = (url: string, init?: RequestInit) => Promise<Response>

interface Relay {
  readonly baseUrl: string
  readonly fetch?: RelayFetch
}

export const mailboxUrl = (baseUrl: string, community: string, mailbox: string): string =>
  `${baseUrl}${API_PREFIX}/communities/${community}/mailboxes/${mailbox}`

async function expectStatus(res: Response, expected: readonly number[], what: string): Promise<void> {
  if (!expected.includes(res.status)) throw new Error(`${what}: ${res.status} ${await res.text()}`)
}

/** A `reply` envelope whose plaintext is `encodeReply({ v: 1, text, sentAt })`, sealed to `recipients`. */
export async function sealReply(input: {
  community: string
  recipients: readonly BoxPublicKey[]
  text: string
  sentAt?: string
}): Promise<EnvelopeV1Json> {
  const plaintext = encodeReply(
    input.sentAt === undefined
      ? { v: 1, text: input.text }
      : { v: 1, text: input.text, sentAt: input.sentAt },
  )
  const sealed = await seal(plaintext, input.recipients, {
    version: 1,
    kind: EnvelopeKind.reply,
    community: input.community,
  })
  return envelopeToJson(sealed)
}

/** Log a broker in (challenge → signed challenge → session) and return the bearer token. */
export async function openBrokerSession(
  input: Relay & { community: string; brokerSignKeyPair: SignKeyPair },
): Promise<string> {
  const fetcher = input.fetch ?? fetch
  const base = `${input.baseUrl}${API_PREFIX}/communities/${input.community}/auth`
  const issued = await fetcher(`${base}/challenge`, { method: 'POST' })
  await expectStatus(issued, [201], 'challenge refused')
  const { challenge } = (await issued.json()) as { challenge: string }
  const signature = signDetached(
    SESSION_SIGNING_DOMAIN,
    sessionSigningMessage(input.community, fromBase64url(challenge) ?? new Uint8Array()),
    input.brokerSignKeyPair.secretKey,
  )
  const res = await fetcher(`${base}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      signKey: toBase64url(input.brokerSignKeyPair.publicKey),
      challenge,
      signature: toBase64url(signature),
    }),
  })
  await expectStatus(res, [201], 'session refused')
  return ((await res.json()) as { token: string }).token
}

/**
 * A broker answers a complainant: opens a session with `brokerSignKeyPair` (a broker of the current
 * manifest), seals `{"v":1,"text":…}` to the complainant's reply key and posts it to their mailbox.
 */
export async function postBrokerReply(
  input: Relay & {
    community: string
    mailbox: string
    brokerSignKeyPair: SignKeyPair
    replyBoxKey: BoxPublicKey
    text: string
  },
): Promise<{ receipt: MailboxReceipt; envelope: EnvelopeV1Json; token: string }> {
  const fetcher = input.fetch ?? fetch
  const token = await openBrokerSession(input)
  const envelope = await sealReply({
    community: input.community,
    recipients: [input.replyBoxKey],
    text: input.text,
  })
  const res = await fetcher(mailboxUrl(input.baseUrl, input.community, input.mailbox), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(envelope),
  })
  await expectStatus(res, [201], 'broker reply refused')
  return { receipt: ((await res.json()) as { receipt: MailboxReceipt }).receipt, envelope, token }
}

/** The mailbox owner posts an envelope (already sealed, usually to the brokers) to their own mailbox. */
export async function postOwnerMessage(
  input: Relay & { community: string; ownerSignKeyPair: SignKeyPair; envelope: EnvelopeV1Json; now?: Date },
): Promise<{ status: 200 | 201; receipt: MailboxReceipt }> {
  const fetcher = input.fetch ?? fetch
  const mailbox = mailboxIdOf(input.ownerSignKeyPair.publicKey)
  const body = JSON.stringify(input.envelope)
  const authorization = mailboxAuthorization({
    community: input.community,
    mailbox,
    method: 'POST',
    body,
    signKeyPair: input.ownerSignKeyPair,
    ...(input.now ? { now: input.now } : {}),
  })
  const res = await fetcher(mailboxUrl(input.baseUrl, input.community, mailbox), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body,
  })
  await expectStatus(res, [200, 201], 'owner message refused')
  const { receipt } = (await res.json()) as { receipt: MailboxReceipt }
  return { status: res.status as 200 | 201, receipt }
}

/**
 * One page of a mailbox after `after` (default 0): as its owner (`ownerSignKeyPair`; the mailbox is
 * theirs) or as a broker (`token` and `mailbox`).
 */
export async function readMailbox(
  input: Relay & { community: string; after?: string; limit?: number; now?: Date } & (
      | { ownerSignKeyPair: SignKeyPair }
      | { token: string; mailbox: string }
    ),
): Promise<MailboxPage> {
  const fetcher = input.fetch ?? fetch
  let mailbox: string
  let authorization: string
  if ('ownerSignKeyPair' in input) {
    mailbox = mailboxIdOf(input.ownerSignKeyPair.publicKey)
    authorization = mailboxAuthorization({
      community: input.community,
      mailbox,
      method: 'GET',
      signKeyPair: input.ownerSignKeyPair,
      ...(input.now ? { now: input.now } : {}),
    })
  } else {
    mailbox = input.mailbox
    authorization = `Bearer ${input.token}`
  }
  const query = new URLSearchParams({ after: input.after ?? '0' })
  if (input.limit !== undefined) query.set('limit', String(input.limit))
  const res = await fetcher(`${mailboxUrl(input.baseUrl, input.community, mailbox)}?${query}`, {
    headers: { authorization },
  })
  await expectStatus(res, [200], 'mailbox read refused')
  return (await res.json()) as MailboxPage
}
