/**
 * Writes the frozen test vectors for envelope v1 and manifest v1. Run once per protocol version
 * (`npm run vectors:generate -- --force` only when adding a version's first vectors): the committed
 * files are kept forever, and tests check that every future build still opens them.
 */
import { existsSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { boxKeyPairFromSeed, seal, sha256, signKeyPairFromSeed, toBase64url, utf8 } from '../shared/crypto'
import { brokerEntry, canonicalEnvelopeText, envelopeToJson, signManifest } from '../shared/protocol'

const out = path.resolve(import.meta.dirname, '../shared/protocol/vectors/v1.json')
if (existsSync(out) && !process.argv.includes('--force')) {
  console.error(`${out} exists: frozen vectors are never regenerated.`)
  process.exit(1)
}

const seed = (n: number) => new Uint8Array(32).fill(n)
const brokers = [1, 2, 3].map((n) => ({
  box: boxKeyPairFromSeed(seed(n)),
  sign: signKeyPairFromSeed(seed(n + 10)),
}))
const root = signKeyPairFromSeed(seed(42))

const bodies = ['', 'A report.', 'Ünïcödé — 日本語 — العربية — 🙂', 'x'.repeat(5000)]
const envelopes = []
for (const body of bodies) {
  const sealed = await seal(
    utf8(body),
    brokers.map((b) => b.box.publicKey),
    {
      version: 1,
      kind: 'report',
      community: 'wiki-example',
    },
  )
  const text = canonicalEnvelopeText(envelopeToJson(sealed))
  envelopes.push({ body, text, hash: toBase64url(sha256(utf8(text))) })
}

const manifest = {
  v: 1 as const,
  community: 'wiki-example',
  name: 'Example Wiki',
  seq: 1,
  issuedAt: '2026-11-25T00:00:00.000Z',
  root: toBase64url(root.publicKey),
  brokers: brokers.map((b, i) => brokerEntry(`Broker ${i + 1}`, b.box.publicKey, b.sign.publicKey)),
  policy: 'Reports are read by the safety team.',
}

const vectors = {
  note: 'Frozen test vectors for Heard protocol v1. Never edit; add a new file for a new version.',
  keys: {
    brokerBoxSecretKeys: brokers.map((b) => toBase64url(b.box.secretKey)),
    brokerSignSeeds: [11, 12, 13].map((n) => toBase64url(seed(n))),
    rootSignSeed: toBase64url(seed(42)),
  },
  envelopes,
  manifest: { json: manifest, signed: signManifest(manifest, root.secretKey) },
}
writeFileSync(out, `${JSON.stringify(vectors, null, 2)}\n`)
console.log(`wrote ${out}`)
