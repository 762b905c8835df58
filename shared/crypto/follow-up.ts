import { wordlist } from '@scure/bip39/wordlists/english.js'
import { utf8 } from './bytes'
import { CryptoError, CryptoErrorCode } from './errors'
import { domainHash } from './hash'
import { DEFAULT_SCRYPT, type ScryptParams, scryptDerive } from './kdf'
import { type BoxKeyPair, boxKeyPairFromSeed, KEY_BYTES, type SignKeyPair, signKeyPairFromSeed } from './keys'
import { mailboxIdOf } from './mailbox-id'
import { randomBytes } from './random'

/**
 * The complainant's follow-up passphrase: eight words from the BIP-39 English list (2,048 words,
 * 11 bits each, 88 bits in all). It is the only thing a complainant keeps; on any device it derives
 * the same follow-up mailbox and keys, so nothing about them is stored by the relay or the app.
 *
 * Not BIP-39 itself: there is no checksum word and no PBKDF2 seed; only the word list is shared.
 */

export const FOLLOW_UP_WORDS = 8 // must not change: part of every follow-up passphrase
const BITS_PER_WORD = 11 // 2,048 = 2^11 words
const SALT_BYTES = 16
/** Domain of the scrypt salt. Must not change: every complainant's mailbox is derived under it. */
const SALT_DOMAIN = 'heard/follow-up-salt/v1'

if (wordlist.length !== 1 << BITS_PER_WORD) throw new Error('The BIP-39 English list must have 2,048 words')

const WORDS: ReadonlySet<string> = new Set(wordlist)
/** BIP-39 words are unique in their first four letters, so a four-letter prefix names at most one word. */
const BY_PREFIX: ReadonlyMap<string, string> = new Map(wordlist.map((word) => [word.slice(0, 4), word]))

/** Eight random words joined by single spaces. Each word takes 11 bits of 11 random bytes: no bias. */
export function generateFollowUpPassphrase(): string {
  const random = randomBytes((FOLLOW_UP_WORDS * BITS_PER_WORD) / 8)
  const words: string[] = []
  let buffer = 0
  let bits = 0
  for (const byte of random) {
    buffer = (buffer << 8) | byte
    bits += 8
    if (bits >= BITS_PER_WORD) {
      bits -= BITS_PER_WORD
      words.push(wordlist[(buffer >>> bits) & 0x7ff] as string)
      buffer &= (1 << bits) - 1
    }
  }
  random.fill(0)
  return words.join(' ')
}

/** Whitespace, commas and dashes (ASCII and Unicode) all separate words. */
const SEPARATORS = /[\s,\-\u2010-\u2015\u2212]+/gu

/**
 * The text as the app compares it: NFKC, lower case, and every run of spaces, commas or dashes made
 * one space, none at either end. Idempotent. It does not check the words (parseFollowUpPassphrase does).
 */
export const normalizeFollowUpPassphrase = (input: string): string =>
  input.normalize('NFKC').toLowerCase().replace(SEPARATORS, ' ').trim()

/** The list word `typed` stands for: itself, or the one word it is a prefix of (four letters or more). */
function expandWord(typed: string): string | undefined {
  if (WORDS.has(typed)) return typed
  if (typed.length < 4) return undefined
  const word = BY_PREFIX.get(typed.slice(0, 4))
  return word?.startsWith(typed) ? word : undefined
}

export type FollowUpParseResult =
  | {
      readonly ok: true
      /** Canonical form: eight full list words, lower case, single spaces. */
      readonly passphrase: string
    }
  | {
      readonly ok: false
      readonly reason: 'unknown_word'
      /** The word as normalised, which is neither a list word nor a prefix of exactly one. */
      readonly word: string
      /** 1-based position of that word. */
      readonly position: number
      readonly count?: undefined
    }
  | {
      readonly ok: false
      readonly reason: 'word_count'
      /** How many words were typed. */
      readonly count: number
      readonly word?: undefined
      readonly position?: undefined
    }

/**
 * Reads a typed passphrase: any case, extra spaces, hyphens or commas, and any word shortened to an
 * unambiguous prefix of four letters or more. An unknown word is reported before a wrong count, as
 * it is the more specific thing to fix.
 */
export function parseFollowUpPassphrase(input: string): FollowUpParseResult {
  const normalized = normalizeFollowUpPassphrase(input)
  const typed = normalized === '' ? [] : normalized.split(' ')
  const words: string[] = []
  for (const [index, word] of typed.entries()) {
    const expanded = expandWord(word)
    if (expanded === undefined) return { ok: false, reason: 'unknown_word', word, position: index + 1 }
    words.push(expanded)
  }
  if (words.length !== FOLLOW_UP_WORDS) return { ok: false, reason: 'word_count', count: words.length }
  return { ok: true, passphrase: words.join(' ') }
}

function canonicalWords(passphrase: string): string[] {
  const parsed = parseFollowUpPassphrase(passphrase)
  if (!parsed.ok) {
    throw new CryptoError(
      CryptoErrorCode.invalidPassphrase,
      'A follow-up passphrase is eight words of the list',
    )
  }
  return parsed.passphrase.split(' ')
}

export interface FollowUpKeys {
  /** The follow-up mailbox id: mailboxIdOf(sign.publicKey), 16 bytes as base64url. */
  readonly mailbox: string
  /** Ed25519: proves ownership of the mailbox to the relay. */
  readonly sign: SignKeyPair
  /** X25519: brokers seal their replies to its public key. */
  readonly box: BoxKeyPair
}

/**
 * The complainant's follow-up keys for one community, derived from the passphrase alone.
 *
 * scrypt(canonical passphrase, salt, params, 64 bytes), where the canonical passphrase is the eight
 * full words in lower case joined by single spaces (so "ABANDON-abil …" derives the same keys as
 * "abandon ability …") and salt = first 16 bytes of domainHash('heard/follow-up-salt/v1', utf8(community)).
 * Bytes 0–31 are the Ed25519 seed, bytes 32–63 the X25519 secret key (clamped by X25519 itself).
 *
 * Must not change once shipped: a complainant's mailbox is found again only by re-deriving it. The
 * frozen vector in follow-up.test.ts guards this. `community` is the community id as the protocol
 * spells it (lower case, see shared/protocol/community-id.ts). `params` is for tests; the app keeps
 * the default (DEFAULT_SCRYPT, 64 MiB, about a second).
 */
export async function deriveFollowUpKeys(
  passphrase: string,
  community: string,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<FollowUpKeys> {
  const canonical = canonicalWords(passphrase).join(' ')
  const salt = domainHash(SALT_DOMAIN, utf8(community)).subarray(0, SALT_BYTES)
  const derived = await scryptDerive(canonical, salt, params, 2 * KEY_BYTES)
  // Both constructors copy their seed, so the scrypt output can be wiped afterwards.
  const sign = signKeyPairFromSeed(derived.subarray(0, KEY_BYTES))
  const box = boxKeyPairFromSeed(derived.subarray(KEY_BYTES, 2 * KEY_BYTES))
  derived.fill(0)
  return { mailbox: mailboxIdOf(sign.publicKey), sign, box }
}

/** A uniform integer in [0, bound) from randomBytes, by rejection (no modulo bias). bound ≤ 256. */
function randomBelow(bound: number): number {
  const limit = 256 - (256 % bound)
  for (;;) {
    const byte = randomBytes(1)[0] as number
    if (byte < limit) return byte % bound
  }
}

/**
 * Two distinct 1-based word positions, in ascending order, for the "type these two words back"
 * check after the passphrase is shown. `random(bound)` returns an integer in [0, bound); tests can
 * pass their own. Throws CryptoError (invalid_passphrase) when the passphrase does not parse.
 */
export function confirmationChallenge(
  passphrase: string,
  random: (bound: number) => number = randomBelow,
): readonly [number, number] {
  const count = canonicalWords(passphrase).length
  const first = random(count)
  // The second from the other count − 1 positions, so the two always differ.
  const offset = random(count - 1)
  const second = (first + 1 + offset) % count
  return first < second ? [first + 1, second + 1] : [second + 1, first + 1]
}

export interface ConfirmationAnswer {
  /** 1-based word position. */
  readonly position: number
  readonly word: string
}

/**
 * True when every answer names the passphrase's word at its position (compared after the same
 * normalisation and prefix expansion as parsing). False for no answers, a repeated or out-of-range
 * position, or a passphrase that does not parse.
 */
export function checkConfirmation(passphrase: string, answers: readonly ConfirmationAnswer[]): boolean {
  const parsed = parseFollowUpPassphrase(passphrase)
  if (!parsed.ok || answers.length === 0) return false
  const words = parsed.passphrase.split(' ')
  const seen = new Set<number>()
  for (const { position, word } of answers) {
    if (!Number.isInteger(position) || position < 1 || position > words.length || seen.has(position)) {
      return false
    }
    seen.add(position)
    const typed = normalizeFollowUpPassphrase(word)
    if (typed.includes(' ') || expandWord(typed) !== words[position - 1]) return false
  }
  return true
}
