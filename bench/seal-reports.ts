import { writeFileSync } from 'node:fs'
import {
  boxPublicKey,
  fromBase64url,
  MAILBOX_ID_BYTES,
  randomBytes,
  seal,
  toBase64url,
} from '../shared/crypto'
import {
  canonicalEnvelopeText,
  EnvelopeKind,
  encodeReport,
  envelopeToJson,
  HARM_KINDS,
  REPORTER_ROLES,
  type ReportV1,
} from '../shared/protocol'
import { seeded } from './common'

/**
 * Child process of bench/broker.bench.ts: builds reports `first` … `first + count - 1` as a
 * complainant's device would (a ReportV1 through encodeReport, the same call sealReport makes in
 * client/engine/seal-report.ts), seals each to one broker box key and writes the canonical envelope
 * texts, one a line, to `outFile`. Sealing is pure-JS X25519 (~2.5 ms an envelope), so the parent runs
 * one of these per core.
 *
 * Report i is the same in every run (a seeded generator): text of about `textBytes` UTF-8 bytes
 * (±25 %) drawn from a Zipf-distributed made-up vocabulary of 8,000 words (a few with diacritics),
 * with usernames, numbers and paragraphs, so the broker's search index sees a realistic spread of
 * terms; plus the optional fields a real report may carry (role, harms, where, when, language, links,
 * follow-up keys, research consent), each present in a share of the reports. The envelopes differ in
 * their keys and nonces from run to run, as real ones do.
 *
 * With `marker`, report 0's text ends with that word, so a search for it finds that report alone.
 *
 *   tsx bench/seal-reports.ts <community> <brokerBoxKey base64url> <textBytes> <first> <count> <outFile> [marker]
 */

const VOCABULARY_SIZE = 8000
/** Zipf exponent: close to what word frequencies in natural language follow. */
const ZIPF = 1.07
const SYLLABLES =
  'ka ri to na se mo lu vi de ha pe so fa gi ru te wo ba ne li ma ko di su ya zo en ar il'.split(' ')
const ACCENTED: Readonly<Record<string, string>> = { a: 'á', e: 'é', i: 'í', o: 'ö', u: 'ü' }

/** The made-up vocabulary (the same in every child) and its cumulative Zipf weights. */
const vocabulary = (() => {
  const random = seeded(0x5eed)
  const words = new Set<string>()
  while (words.size < VOCABULARY_SIZE) {
    const length = 1 + Math.floor(random() * 4)
    let word = ''
    for (let i = 0; i < length; i++) word += SYLLABLES[Math.floor(random() * SYLLABLES.length)]
    // One word in twenty carries a diacritic, so the text is not pure ASCII.
    if (random() < 0.05) word = word.replace(/[aeiou]/, (v) => ACCENTED[v] ?? v)
    words.add(word)
  }
  const list = [...words]
  const cumulative = new Float64Array(list.length)
  let sum = 0
  for (let rank = 0; rank < list.length; rank++) {
    sum += 1 / (rank + 1) ** ZIPF
    cumulative[rank] = sum
  }
  return { list, cumulative, total: sum }
})()

function word(random: () => number): string {
  const target = random() * vocabulary.total
  let lo = 0
  let hi = vocabulary.cumulative.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((vocabulary.cumulative[mid] as number) < target) lo = mid + 1
    else hi = mid
  }
  return vocabulary.list[lo] as string
}

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T
const utf8Length = (text: string): number => Buffer.byteLength(text, 'utf8')

/** About `bytes` UTF-8 bytes of sentences, cut at a word boundary. */
function reportText(random: () => number, bytes: number): string {
  const parts: string[] = []
  let length = 0
  while (length < bytes) {
    const words: string[] = []
    const count = 6 + Math.floor(random() * 16)
    for (let i = 0; i < count; i++) {
      const r = random()
      if (r < 0.02) words.push(`User:${word(random)}${Math.floor(random() * 1000)}`)
      else if (r < 0.04) words.push(String(Math.floor(random() * 10_000)))
      else words.push(word(random))
    }
    const first = words[0] as string
    words[0] = first.charAt(0).toUpperCase() + first.slice(1)
    const sentence = `${words.join(' ')}${pick(random, ['.', '.', '.', '?', '!'])}`
    const separator = parts.length === 0 ? '' : random() < 0.15 ? '\n\n' : ' '
    parts.push(separator + sentence)
    length += utf8Length(separator + sentence)
  }
  let text = parts.join('')
  while (utf8Length(text) > bytes && text.includes(' ')) text = text.slice(0, text.lastIndexOf(' '))
  return text
}

/** Report `index`: its text and which optional fields it has depend on the index alone. */
function benchReport(index: number, textBytes: number): ReportV1 {
  const random = seeded(index + 1)
  const length = Math.max(1, Math.round(textBytes * (0.75 + random() * 0.5)))
  const harms = HARM_KINDS.filter(() => random() < 0.2)
  const article = `${word(random)} ${word(random)}`
  return {
    v: 1,
    text: reportText(random, length),
    ...(random() < 0.8 ? { about: pick(random, REPORTER_ROLES) } : {}),
    ...(random() < 0.05 ? { danger: true } : {}),
    ...(harms.length > 0 ? { harms } : {}),
    ...(random() < 0.7
      ? { where: `Talk page of “${article}”, section ${1 + Math.floor(random() * 9)}` }
      : {}),
    ...(random() < 0.5
      ? { when: pick(random, ['last night', 'since March', 'this morning', 'for weeks']) }
      : {}),
    ...(random() < 0.9 ? { language: 'en' } : {}),
    ...(random() < 0.6
      ? {
          links: Array.from(
            { length: 1 + Math.floor(random() * 3) },
            () => `https://wiki.example.org/wiki/Special:Diff/${Math.floor(random() * 1e9)}`,
          ).join('\n'),
        }
      : {}),
    // Real follow-up keys are random bytes to the broker too: it only checks their shape.
    ...(random() < 0.7
      ? {
          followUp: {
            mailbox: toBase64url(randomBytes(MAILBOX_ID_BYTES)),
            replyKey: toBase64url(randomBytes(32)),
          },
        }
      : {}),
    ...(random() < 0.3 ? { research: true } : {}),
  }
}

async function main(): Promise<void> {
  const [community, boxKeyText, textBytesText, firstText, countText, outFile, marker] = process.argv.slice(2)
  const boxKey = boxKeyText ? fromBase64url(boxKeyText) : null
  if (!community || !boxKey || !outFile) throw new Error('usage: see bench/seal-reports.ts')
  const textBytes = Number(textBytesText)
  const first = Number(firstText)
  const count = Number(countText)
  const recipient = boxPublicKey(boxKey)
  const lines: string[] = []
  for (let i = first; i < first + count; i++) {
    const report = benchReport(i, textBytes)
    const withMarker = i === 0 && marker ? { ...report, text: `${report.text} ${marker}.` } : report
    const sealed = await seal(encodeReport(withMarker), [recipient], {
      version: 1,
      kind: EnvelopeKind.report,
      community,
    })
    lines.push(canonicalEnvelopeText(envelopeToJson(sealed)))
  }
  writeFileSync(outFile, `${lines.join('\n')}\n`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
