import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { toBase64url, utf8 } from '../crypto'
import { ProtocolError } from './errors'
import { decodeReport, encodeReport, type ReportV1 } from './report.schema'
import { HARM_KINDS, REPORT_LIMITS, REPORTER_ROLES } from './report-kinds'

const b64 = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map(toBase64url)

const report: fc.Arbitrary<ReportV1> = fc.record(
  {
    v: fc.constant(1 as const),
    text: fc.string({ minLength: 1, maxLength: 2_000, unit: 'grapheme' }),
    about: fc.constantFrom(...REPORTER_ROLES),
    danger: fc.boolean(),
    harms: fc.uniqueArray(fc.constantFrom(...HARM_KINDS), { maxLength: HARM_KINDS.length }),
    where: fc.string({ maxLength: REPORT_LIMITS.where }),
    when: fc.string({ maxLength: REPORT_LIMITS.when }),
    language: fc.string({ maxLength: REPORT_LIMITS.language }),
    links: fc.string({ maxLength: 200 }),
    followUp: fc.record({ mailbox: b64(16), replyKey: b64(32) }),
    research: fc.boolean(),
  },
  { requiredKeys: ['v', 'text'] },
)

describe('report plaintext v1', () => {
  it('round-trips every valid report through its bytes', () => {
    fc.assert(
      fc.property(report, (r) => {
        expect(decodeReport(encodeReport(r))).toEqual(r)
      }),
    )
  })

  it('needs only text: a report of one character is a report', () => {
    expect(decodeReport(utf8('{"v":1,"text":"x"}'))).toEqual({ v: 1, text: 'x' })
  })

  it('refuses anything else with a ProtocolError, never a crash', () => {
    const inputs = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.json().map(utf8),
      fc
        .tuple(report, fc.string(), fc.jsonValue())
        .map(([r, key, value]) => utf8(JSON.stringify({ ...r, [key || 'extra']: value }))),
    )
    fc.assert(
      fc.property(inputs, (bytes) => {
        try {
          decodeReport(bytes)
        } catch (error) {
          expect(error).toBeInstanceOf(ProtocolError)
        }
      }),
      { numRuns: 2_000 },
    )
    for (const bad of ['{"v":1,"text":""}', '{"v":2,"text":"x"}', '{"v":1,"text":"x","country":"FR"}']) {
      expect(() => decodeReport(utf8(bad))).toThrow(ProtocolError)
    }
  })
})
