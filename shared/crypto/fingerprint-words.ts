import { wordlist } from '@scure/bip39/wordlists/english.js'

/** Words a person reads aloud to compare a key fingerprint out of band: 11 bits each. */
export const FINGERPRINT_WORDS = 8 // 88 bits: enough that nobody can make a key that reads the same

/** The first 88 bits of a fingerprint (or any digest) as eight BIP-39 English words. */
export function fingerprintWords(digest: Uint8Array, count = FINGERPRINT_WORDS): string[] {
  if (digest.length * 8 < count * 11) throw new RangeError('digest too short for that many words')
  const words: string[] = []
  let acc = 0
  let bits = 0
  let i = 0
  while (words.length < count) {
    acc = (acc << 8) | (digest[i++] ?? 0)
    bits += 8
    if (bits >= 11) {
      bits -= 11
      words.push(wordlist[(acc >> bits) & 0x7ff] ?? '')
      acc &= (1 << bits) - 1
    }
  }
  return words
}
