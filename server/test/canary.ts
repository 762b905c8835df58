import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'

/**
 * The ways a secret string could sit in a file or a log: as UTF-8, UTF-16, hex, and as standard or
 * URL-safe base64 at each of the three byte alignments.
 */
export function canaryForms(canary: string): string[] {
  const bytes = Buffer.from(canary, 'utf8')
  const forms = [canary, Buffer.from(canary, 'utf16le').toString('latin1'), bytes.toString('hex')]
  for (let pad = 0; pad < 3; pad++) {
    const shifted = Buffer.concat([Buffer.alloc(pad, 0x20), bytes])
    for (const encoding of ['base64', 'base64url'] as const) {
      const text = shifted.toString(encoding)
      // Drop the characters that depend on the neighbouring bytes.
      forms.push(text.slice(Math.ceil((pad * 4) / 3) + 1, -3))
    }
  }
  return forms
}

/** Every regular file under `dir` (recursively) whose bytes contain any form of the canary. */
export function filesContaining(dir: string, canary: string): string[] {
  const forms = canaryForms(canary).map((f) => Buffer.from(f, 'latin1'))
  const hits: string[] = []
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const file = path.join(d, name)
      const stat = statSync(file, { throwIfNoEntry: false })
      if (!stat) continue
      if (stat.isDirectory()) walk(file)
      else if (stat.isFile()) {
        const content = readFileSync(file)
        if (forms.some((f) => content.includes(f))) hits.push(file)
      }
    }
  }
  walk(dir)
  return hits
}

/** Case-insensitive: a canary lowercased into a path or a header must be caught too. */
export function textContains(text: string, canary: string): boolean {
  const haystack = text.toLowerCase()
  return canaryForms(canary).some((f) => haystack.includes(f.toLowerCase()))
}
