import { writeFileSync } from 'node:fs'
import { boxPublicKey, fromBase64url, randomBytes, seal } from '../shared/crypto'
import { ENVELOPE_VERSION, EnvelopeKind, envelopeToJson } from '../shared/protocol'

/**
 * Child process of bench/relay.bench.ts: seals `count` real report envelopes (each with its own
 * ephemeral key, hence its own id) to one broker box key and writes them, one JSON text per line, to
 * `outFile`. Sealing is pure-JS X25519 (~2.5 ms an envelope), so the parent runs one of these per core.
 *
 *   tsx bench/seal-envelopes.ts <community> <brokerBoxKey base64url> <bodyBytes> <count> <outFile>
 */
async function main(): Promise<void> {
  const [community, boxKeyText, bodyBytesText, countText, outFile] = process.argv.slice(2)
  const boxKey = boxKeyText ? fromBase64url(boxKeyText) : null
  if (!community || !boxKey || !outFile) throw new Error('usage: see bench/seal-envelopes.ts')
  const bodyBytes = Number(bodyBytesText)
  const count = Number(countText)
  const recipient = boxPublicKey(boxKey)
  const lines: string[] = []
  for (let i = 0; i < count; i++) {
    // Random bytes stand in for the report: after sealing, every body of this size looks alike.
    const sealed = await seal(randomBytes(bodyBytes), [recipient], {
      version: ENVELOPE_VERSION,
      kind: EnvelopeKind.report,
      community,
    })
    lines.push(JSON.stringify(envelopeToJson(sealed)))
  }
  writeFileSync(outFile, `${lines.join('\n')}\n`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
