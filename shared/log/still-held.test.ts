import { describe, expect, it } from 'vitest'
import { generateBoxKeyPair, generateSignKeyPair, seal, sha256, toBase64url, utf8 } from '../crypto'
import { canonicalEnvelopeText, type EnvelopeV1Json, envelopeToJson } from '../protocol'
import { logLeafHash } from './leaf'
import { checkReceipt, checkStillHeld, type HeldSource, type ReceiptLog } from './still-held'
import { TestLog } from './test-log'

/** A real sealed report, its envelope hash, and an honest log holding it among others. */
async function stored() {
  const broker = generateBoxKeyPair()
  const log = new TestLog()
  log.append('report')
  const sealed = await seal(utf8('a report'), [broker.publicKey], {
    version: 1,
    kind: 'report',
    community: log.community,
  })
  const envelope: EnvelopeV1Json = envelopeToJson(sealed)
  const envelopeHash = toBase64url(sha256(utf8(canonicalEnvelopeText(envelope))))
  const { index } = log.append('report', envelopeHash)
  const receipt: ReceiptLog = {
    index,
    head: log.head(),
    proof: log.tree().inclusionProof(index).map(toBase64url),
  }
  log.append('case-event')
  log.append('reply')
  let held: unknown = envelope
  const source = (): HeldSource => ({
    head: async () => log.head(),
    consistency: async (from, to) => ({ proof: log.tree().consistencyProof(from, to).map(toBase64url) }),
    inclusion: async (leaf, size) => {
      const i = log.entries.findIndex((e) => toBase64url(logLeafHash(e.kind, e.hash)) === leaf)
      return i < 0 || i >= size
        ? null
        : { index: i, size, proof: log.tree().inclusionProof(i, size).map(toBase64url) }
    },
    envelope: async () => held,
  })
  const facts = () => ({
    community: log.community,
    logKey: log.publicKey,
    envelopeHash,
    log: receipt,
    source: source(),
  })
  return { log, receipt, facts, envelope, setHeld: (value: unknown) => (held = value) }
}

describe("a complainant's receipt check", () => {
  it('checks the receipt on arrival, and says why when it cannot', async () => {
    const { facts, receipt } = await stored()
    expect(checkReceipt(facts())).toMatchObject({ ok: true, head: { size: 2 } })
    expect(checkReceipt({ ...facts(), logKey: undefined })).toEqual({ ok: false, problem: 'no_log_key' })
    expect(checkReceipt({ ...facts(), log: undefined })).toEqual({ ok: false, problem: 'no_log_entry' })
    const stranger = toBase64url(generateSignKeyPair().publicKey)
    expect(checkReceipt({ ...facts(), logKey: stranger })).toEqual({ ok: false, problem: 'bad_receipt' })
    expect(checkReceipt({ ...facts(), log: { ...receipt, index: 0 } })).toEqual({
      ok: false,
      problem: 'bad_receipt',
    })
    expect(checkReceipt({ ...facts(), log: { ...receipt, proof: ['x'] } })).toEqual({
      ok: false,
      problem: 'bad_receipt',
    })
  })

  it('finds the report still held in an honest log that grew', async () => {
    const { facts } = await stored()
    expect(await checkStillHeld(facts())).toMatchObject({ ok: true, head: { size: 4 } })
  })

  it('names each tampering', async () => {
    const cases: [string, (s: Awaited<ReturnType<typeof stored>>) => void, string][] = [
      ['the log rolled back', (s) => s.log.entries.splice(1), 'rolled_back'],
      [
        'an older entry rewritten',
        (s) => {
          s.log.entries[0] = { kind: 'report', hash: toBase64url(sha256(utf8('other'))) }
        },
        'not_consistent',
      ],
      ['the report row deleted', (s) => s.setHeld(null), 'report_missing'],
      [
        'one byte of the envelope changed',
        (s) => s.setHeld({ ...s.envelope, ct: `${s.envelope.ct.slice(0, -2)}AA` }),
        'report_altered',
      ],
      ['something else held under the id', (s) => s.setHeld({ not: 'an envelope' }), 'report_altered'],
    ]
    for (const [what, tamper, problem] of cases) {
      const s = await stored()
      tamper(s)
      expect(await checkStillHeld(s.facts()), what).toEqual({ ok: false, problem })
    }
  })

  it('says not_included when the relay no longer finds the leaf, and bad_head for a foreign head', async () => {
    const s = await stored()
    expect(
      await checkStillHeld({ ...s.facts(), source: { ...s.facts().source, inclusion: async () => null } }),
    ).toEqual({ ok: false, problem: 'not_included' })
    const stranger = generateSignKeyPair()
    expect(
      await checkStillHeld({
        ...s.facts(),
        source: { ...s.facts().source, head: async () => s.log.head(4, stranger) },
      }),
    ).toEqual({ ok: false, problem: 'bad_head' })
  })
})
