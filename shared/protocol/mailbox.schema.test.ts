import { describe, expect, it } from 'vitest'
import {
  fromBase64url,
  generateSignKeyPair,
  mailboxIdOf,
  sha256,
  signKeyPairFromSeed,
  signPublicKey,
  toBase64url,
  toHex,
  utf8,
  verifyDetached,
} from '../crypto'
import { ProtocolError } from './errors'
import {
  decodeReply,
  encodeReply,
  isMailboxId,
  MAILBOX_REQUEST_DOMAIN,
  MAX_REPLY_CHARS,
  mailboxAuthorization,
  mailboxRequestMessage,
  parseMailboxAuthorization,
} from './mailbox.schema'

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn()
  } catch (error) {
    return error instanceof ProtocolError ? error.code : 'not a ProtocolError'
  }
  return undefined
}

describe('mailbox request signatures', () => {
  // Frozen: a change to the message layout, the domain or the header form breaks every client.
  const owner = signKeyPairFromSeed(new Uint8Array(32).fill(7))
  const mailbox = mailboxIdOf(owner.publicKey)
  const time = '2026-11-25T10:30:00.000Z'

  it('signs lp(community) ‖ lp(mailbox) ‖ lp(METHOD) ‖ lp(time) ‖ SHA-256(body)', () => {
    expect(mailbox).toBe('gZbmftpEN9vdI8qDP5nlLA')
    const message = mailboxRequestMessage({
      community: 'wiki-example',
      mailbox,
      method: 'post',
      time,
      bodyHash: sha256(utf8('{"v":1}')),
    })
    expect(toHex(message)).toBe(
      '0000000c77696b692d6578616d706c65' +
        '00000016675a626d667470454e3976644938714450356e6c4c41' +
        '00000004504f5354' +
        '00000018323032362d31312d32355431303a33303a30302e3030305a' +
        'afbf9d0f3560b0fd7795e81c42a0a79ee6b6fc67e064f77826aee642cad28d91',
    )
    expect(
      mailboxAuthorization({
        community: 'wiki-example',
        mailbox,
        method: 'post',
        body: '{"v":1}',
        signKeyPair: owner,
        now: new Date(time),
      }),
    ).toBe(
      'HeardMailbox key=6kpsY-KcUgq-9VB7Ey7F-ZVHdq6-vnuSQh7qaRRG0iw, time=2026-11-25T10:30:00.000Z, ' +
        'sig=p_XIZGFnBW_Qv0r9Y3gwlr0xoqH7cSZQaLRlMEnZV2yK7pVtaDBPiK55pORhjuZesctIx0O0vklGOzma2nNdAw',
    )
  })

  it('builds a header that parses back and verifies over the same request, and only that one', () => {
    const keys = generateSignKeyPair()
    const id = mailboxIdOf(keys.publicKey)
    const request = { community: 'c', mailbox: id, method: 'GET', signKeyPair: keys, now: new Date(time) }
    const parsed = parseMailboxAuthorization(mailboxAuthorization(request))
    expect(parsed).toEqual({
      key: toBase64url(keys.publicKey),
      time,
      timeMs: Date.parse(time),
      sig: expect.any(String),
    })
    const verifies = (overrides: { method?: string; body?: Uint8Array; community?: string }) =>
      verifyDetached(
        MAILBOX_REQUEST_DOMAIN,
        mailboxRequestMessage({
          community: overrides.community ?? 'c',
          mailbox: id,
          method: overrides.method ?? 'GET',
          time,
          bodyHash: sha256(overrides.body ?? new Uint8Array()),
        }),
        fromBase64url(parsed?.sig ?? '') ?? new Uint8Array(),
        signPublicKey(fromBase64url(parsed?.key ?? '') ?? new Uint8Array()),
      )
    expect(verifies({})).toBe(true)
    expect(verifies({ method: 'get' })).toBe(true) // the method is signed in upper case
    expect(verifies({ method: 'POST' })).toBe(false)
    expect(verifies({ body: new Uint8Array(1) })).toBe(false)
    expect(verifies({ community: 'd' })).toBe(false)
  })

  it('reads only the exact header form', () => {
    const good = mailboxAuthorization({
      community: 'c',
      mailbox,
      method: 'GET',
      signKeyPair: owner,
      now: new Date(time),
    })
    expect(parseMailboxAuthorization(good)).not.toBeNull()
    expect(parseMailboxAuthorization(good.replace('.000Z', 'Z'))?.time).toBe('2026-11-25T10:30:00Z')
    for (const bad of [
      '',
      good.replace('HeardMailbox', 'heardmailbox'),
      good.replace(', time', ',time'),
      `${good} `,
      good.replace(/key=\S{42}/, (k) => `${k.slice(0, -1)}+`),
      good.replace(/key=(\S{42})\S/, 'key=$1B'), // non-canonical trailing bits
      good.replace(time, '2026-11-25T10:30:00.000+01:00'),
      good.replace(time, '2026-13-45T10:30:00.000Z'),
      good.replace(time, '2026-11-25 10:30:00.000Z'),
      good.slice(0, -1),
    ]) {
      expect(parseMailboxAuthorization(bad)).toBeNull()
    }
  })

  it('knows a mailbox id: canonical base64url of 16 bytes', () => {
    expect(isMailboxId(mailbox)).toBe(true)
    expect(isMailboxId(mailbox.slice(0, 21))).toBe(false)
    expect(isMailboxId(`${mailbox}A`)).toBe(false)
    expect(isMailboxId(`${mailbox.slice(0, 21)}B`)).toBe(false)
    expect(isMailboxId('+'.repeat(22))).toBe(false)
  })
})

describe('reply plaintext v1', () => {
  it('encodes as compact JSON in field order and decodes back', () => {
    const reply = { v: 1, text: 'Thank you — we read it.', sentAt: '2026-11-25T10:30:00.000Z' } as const
    const bytes = encodeReply(reply)
    expect(new TextDecoder().decode(bytes)).toBe(
      '{"v":1,"text":"Thank you — we read it.","sentAt":"2026-11-25T10:30:00.000Z"}',
    )
    expect(decodeReply(bytes)).toEqual(reply)
    expect(decodeReply(encodeReply({ v: 1, text: '' }))).toEqual({ v: 1, text: '' })
  })

  it('refuses what is not a v1 reply, with a code', () => {
    const decode = (text: string) => codeOf(() => decodeReply(utf8(text)))
    expect(decode('{"v":1,"text":')).toBe('invalid_json')
    expect(codeOf(() => decodeReply(new Uint8Array([0x7b, 0xff, 0x7d])))).toBe('invalid_json')
    expect(decode('{"v":2,"text":"x"}')).toBe('unsupported_version')
    expect(decode('{"v":1}')).toBe('invalid_body')
    expect(decode('{"v":1,"text":"x","extra":1}')).toBe('invalid_body')
    expect(decode('{"v":1,"text":"x","sentAt":"yesterday"}')).toBe('invalid_body')
    expect(decode(JSON.stringify({ v: 1, text: 'x'.repeat(MAX_REPLY_CHARS + 1) }))).toBe('invalid_body')
    expect(decode(JSON.stringify({ v: 1, text: 'x'.repeat(MAX_REPLY_CHARS) }))).toBeUndefined()
    expect(codeOf(() => encodeReply({ v: 1, text: 'x'.repeat(MAX_REPLY_CHARS + 1) }))).toBe('invalid_body')
  })
})
