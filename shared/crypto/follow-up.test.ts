import { wordlist } from '@scure/bip39/wordlists/english.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toBase64url } from './bytes'
import { CryptoError } from './errors'
import {
  checkConfirmation,
  confirmationChallenge,
  deriveFollowUpKeys,
  FOLLOW_UP_WORDS,
  generateFollowUpPassphrase,
  normalizeFollowUpPassphrase,
  parseFollowUpPassphrase,
} from './follow-up'
import { mailboxIdOf } from './mailbox-id'

/** Cheap scrypt for property tests; the app and the frozen vector use DEFAULT_SCRYPT. */
const FAST = { N: 2 ** 10, r: 8, p: 1 } as const
const WORDS = new Set(wordlist)

const word = fc.constantFrom(...wordlist)
const passphraseWords = fc.array(word, { minLength: FOLLOW_UP_WORDS, maxLength: FOLLOW_UP_WORDS })
const separator = fc.stringMatching(/^[ \t\n,\-\u2013\u00a0]{1,4}$/)
const community = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/)

/** The words as someone might type them: random case, separators, ends, and some words cut to a prefix. */
const typedForm = (words: readonly string[]) =>
  fc
    .record({
      separators: fc.array(separator, { minLength: words.length + 1, maxLength: words.length + 1 }),
      upper: fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }),
      cuts: fc.array(fc.nat(), { minLength: words.length, maxLength: words.length }),
      shorten: fc.array(fc.boolean(), { minLength: words.length, maxLength: words.length }),
    })
    .map(({ separators, upper, cuts, shorten }) => {
      let text = separators[0] as string
      words.forEach((w, i) => {
        const keep = shorten[i] && w.length > 4 ? 4 + ((cuts[i] as number) % (w.length - 3)) : w.length
        const cased = [...w.slice(0, keep)].map((c, j) => (upper[(i * 8 + j) % 64] ? c.toUpperCase() : c))
        text += cased.join('') + (separators[i + 1] as string)
      })
      return text
    })

describe('the word list', () => {
  it('has 2,048 distinct words, unique in their first four letters', () => {
    expect(wordlist).toHaveLength(2048)
    expect(WORDS.size).toBe(2048)
    expect(new Set(wordlist.map((w) => w.slice(0, 4))).size).toBe(2048)
  })
})

describe('generateFollowUpPassphrase', () => {
  it('gives eight list words joined by single spaces, which parse to themselves', () => {
    for (let i = 0; i < 500; i++) {
      const passphrase = generateFollowUpPassphrase()
      const words = passphrase.split(' ')
      expect(words).toHaveLength(FOLLOW_UP_WORDS)
      for (const w of words) expect(WORDS.has(w)).toBe(true)
      expect(parseFollowUpPassphrase(passphrase)).toEqual({ ok: true, passphrase })
      expect(normalizeFollowUpPassphrase(passphrase)).toBe(passphrase)
    }
  })

  it('differs between calls', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => generateFollowUpPassphrase()))
    expect(seen.size).toBe(1000)
  })

  it('draws from the whole list (both ends included)', () => {
    // 20,000 draws: each word is missed with probability (2047/2048)^20000 ≈ 6e-5, so a handful may be.
    const counts = new Map<string, number>()
    for (let i = 0; i < 2500; i++) {
      for (const w of generateFollowUpPassphrase().split(' ')) counts.set(w, (counts.get(w) ?? 0) + 1)
    }
    expect(counts.size).toBeGreaterThan(2030)
    // Mean 9.8 per word; no word should be wildly over-represented (modulo bias would show here).
    expect(Math.max(...counts.values())).toBeLessThan(35)
  })
})

describe('normalizeFollowUpPassphrase', () => {
  it('is idempotent on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        const once = normalizeFollowUpPassphrase(text)
        expect(normalizeFollowUpPassphrase(once)).toBe(once)
        expect(once).toBe(once.trim())
        expect(once).not.toMatch(/ {2}|[,\-\t\n]/)
      }),
      { numRuns: 2000 },
    )
  })

  it('ignores case, extra spaces, commas, hyphens, and NFKC differences', () => {
    expect(normalizeFollowUpPassphrase('  Abandon,ABILITY--able\t\n about ')).toBe(
      'abandon ability able about',
    )
    expect(normalizeFollowUpPassphrase('ａｂａｎｄｏｎ\u3000ability')).toBe('abandon ability') // full-width
    expect(normalizeFollowUpPassphrase('abandon\u2014ability\u00a0able')).toBe('abandon ability able')
    expect(normalizeFollowUpPassphrase(' ,- ')).toBe('')
  })
})

describe('parseFollowUpPassphrase', () => {
  it('reads any typed form (case, separators, prefixes of four letters or more) as the canonical words', () => {
    fc.assert(
      fc.property(
        passphraseWords.chain((words) => fc.tuple(fc.constant(words), typedForm(words))),
        ([words, typed]) => {
          expect(parseFollowUpPassphrase(typed)).toEqual({ ok: true, passphrase: words.join(' ') })
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('names the first unknown word and its position', () => {
    const unknown = fc
      .stringMatching(/^[a-z]{1,10}$/)
      .filter((w) => !WORDS.has(w) && (w.length < 4 || !wordlist.some((l) => l.startsWith(w))))
    fc.assert(
      fc.property(passphraseWords, unknown, fc.nat(FOLLOW_UP_WORDS - 1), (words, bad, at) => {
        const typed = [...words]
        typed[at] = bad
        expect(parseFollowUpPassphrase(typed.join(' '))).toEqual({
          ok: false,
          reason: 'unknown_word',
          word: bad,
          position: at + 1,
        })
      }),
      { numRuns: 500 },
    )
    // A three-letter prefix is too short even when unambiguous; a prefix longer than its word is unknown.
    expect(parseFollowUpPassphrase('aba ability able about above absent absorb abstract')).toMatchObject({
      reason: 'unknown_word',
      word: 'aba',
    })
    expect(parseFollowUpPassphrase('abandons ability able about above absent absorb abstract')).toMatchObject(
      {
        reason: 'unknown_word',
        word: 'abandons',
      },
    )
  })

  it('refuses any other number of words', () => {
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 20 }).filter((w) => w.length !== FOLLOW_UP_WORDS),
        (words) => {
          expect(parseFollowUpPassphrase(words.join(' '))).toEqual({
            ok: false,
            reason: 'word_count',
            count: words.length,
          })
        },
      ),
    )
  })
})

describe('deriveFollowUpKeys', () => {
  it('derives the same keys from any typed form of the passphrase', async () => {
    await fc.assert(
      fc.asyncProperty(
        passphraseWords.chain((words) => fc.tuple(fc.constant(words), typedForm(words))),
        community,
        async ([words, typed], id) => {
          const a = await deriveFollowUpKeys(words.join(' '), id, FAST)
          const b = await deriveFollowUpKeys(typed, id, FAST)
          expect(b).toEqual(a)
          expect(a.mailbox).toBe(mailboxIdOf(a.sign.publicKey))
          expect(a.sign.publicKey).not.toEqual(a.box.publicKey)
        },
      ),
      { numRuns: 30 },
    )
  })

  it('derives unrelated keys for another community or another passphrase', async () => {
    await fc.assert(
      fc.asyncProperty(passphraseWords, passphraseWords, community, community, async (w1, w2, c1, c2) => {
        fc.pre(c1 !== c2 && w1.join(' ') !== w2.join(' '))
        const base = await deriveFollowUpKeys(w1.join(' '), c1, FAST)
        for (const other of [
          await deriveFollowUpKeys(w1.join(' '), c2, FAST),
          await deriveFollowUpKeys(w2.join(' '), c1, FAST),
        ]) {
          expect(other.mailbox).not.toBe(base.mailbox)
          expect(other.sign.publicKey).not.toEqual(base.sign.publicKey)
          expect(other.box.publicKey).not.toEqual(base.box.publicKey)
        }
      }),
      { numRuns: 20 },
    )
  })

  it('refuses a passphrase that does not parse, with a typed error', async () => {
    for (const bad of ['', 'abandon ability able', 'abandon ability able about above absent absorb zzzz']) {
      await expect(deriveFollowUpKeys(bad, 'example', FAST)).rejects.toMatchObject({
        name: 'CryptoError',
        code: 'invalid_passphrase',
      })
    }
    await expect(deriveFollowUpKeys('', 'example', FAST)).rejects.toBeInstanceOf(CryptoError)
  })

  /*
   * FROZEN VECTOR. Never change these values: a complainant finds their follow-up mailbox again only
   * by re-deriving it from the passphrase, so a change here (scrypt parameters, salt domain, word
   * canonicalisation, the byte split, the mailbox id) silently strands every existing complainant.
   * Computed with DEFAULT_SCRYPT (N 2^16, r 8, p 1) and checked against Python's hashlib.scrypt and
   * the `cryptography` package's Ed25519/X25519.
   */
  it('matches the frozen vector (default parameters)', async () => {
    const keys = await deriveFollowUpKeys(
      'abandon ability able about above absent absorb abstract',
      'example',
    )
    expect(keys.mailbox).toBe('BslOcu8xHZgPHlNsKftl6Q')
    expect(toBase64url(keys.sign.publicKey)).toBe('U7JwNo51S3Qc3ThiUXjJmTysDLyRTGk8tZm3Vv7L8lY')
    expect(toBase64url(keys.box.publicKey)).toBe('0z0Tqc91Coxcvx0tUQpGSFP1lKvCwZISV98vmYby6wE')
    // The same words as someone might type them derive the same mailbox.
    const typed = await deriveFollowUpKeys(
      ' ABANDON-abil, able abou above absent absorb ABSTRACT ',
      'example',
    )
    expect(typed.mailbox).toBe('BslOcu8xHZgPHlNsKftl6Q')
  })
})

describe('confirmation challenge', () => {
  const passphrase = 'abandon ability able about above absent absorb abstract'

  it('picks two distinct positions from 1 to 8, ascending, whatever the random source returns', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), (x, y) => {
        const values = [x, y]
        let i = 0
        const [a, b] = confirmationChallenge(passphrase, (bound) => (values[i++] as number) % bound)
        expect(1 <= a && a < b && b <= FOLLOW_UP_WORDS).toBe(true)
      }),
    )
  })

  it('reaches every pair of positions with the default random source', () => {
    const pairs = new Set<string>()
    for (let i = 0; i < 1000; i++) {
      const [a, b] = confirmationChallenge(generateFollowUpPassphrase())
      expect(1 <= a && a < b && b <= FOLLOW_UP_WORDS).toBe(true)
      pairs.add(`${a},${b}`)
    }
    expect(pairs.size).toBe(28)
  })

  it('accepts the right words in any typed form and nothing else', () => {
    fc.assert(
      fc.property(
        passphraseWords,
        fc.nat(FOLLOW_UP_WORDS - 1),
        fc.nat(FOLLOW_UP_WORDS - 2),
        (words, i, d) => {
          const j = (i + 1 + d) % FOLLOW_UP_WORDS
          const phrase = words.join(' ')
          const wi = words[i] as string
          const wj = words[j] as string
          expect(
            checkConfirmation(phrase, [
              { position: i + 1, word: ` ${wi.toUpperCase()} ` },
              { position: j + 1, word: wj.length > 4 ? wj.slice(0, 4) : wj },
            ]),
          ).toBe(true)
          const wrong = wordlist.find((w) => w !== wi) as string
          expect(checkConfirmation(phrase, [{ position: i + 1, word: wrong }])).toBe(false)
          expect(
            checkConfirmation(phrase, [
              { position: i + 1, word: wi },
              { position: i + 1, word: wi },
            ]),
          ).toBe(false)
          expect(checkConfirmation(phrase, [{ position: i + 1, word: `${wi} ${wj}` }])).toBe(false)
        },
      ),
      { numRuns: 300 },
    )
    expect(checkConfirmation(passphrase, [])).toBe(false)
    for (const position of [0, 9, 1.5, Number.NaN]) {
      expect(checkConfirmation(passphrase, [{ position, word: 'abandon' }])).toBe(false)
    }
    expect(checkConfirmation('not a passphrase', [{ position: 1, word: 'not' }])).toBe(false)
    expect(() => confirmationChallenge('not a passphrase')).toThrow(CryptoError)
  })
})
