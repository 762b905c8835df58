import * as v from 'valibot'
import { fromUtf8, KEY_BYTES, MAILBOX_ID_BYTES, utf8 } from '../crypto'
import { AttachmentRefsSchema } from './attachment.schema'
import { ProtocolError } from './errors'
import { b64, validationError } from './fields'
import { HARM_KINDS, REPORT_LIMITS, REPORTER_ROLES } from './report-kinds'

/**
 * What a complainant writes, as the plaintext inside a report envelope. Only brokers ever read it.
 * `text` is the one required field; nothing else may gate a report. The country the person is in
 * is deliberately absent: it is used on their device for referrals and never sent.
 */
export const REPORT_VERSION = 1

const optionalText = (max: number) =>
  v.optional(v.pipe(v.string('expected a string'), v.maxLength(max, 'too long')))

export const FollowUpSchema = v.strictObject({
  /** The mailbox brokers answer in: mailboxIdOf(the complainant's follow-up signing key). */
  mailbox: b64(MAILBOX_ID_BYTES),
  /** The complainant's reply key (X25519): brokers seal their answers to it. */
  replyKey: b64(KEY_BYTES),
})
export type FollowUp = v.InferOutput<typeof FollowUpSchema>

export const ReportV1Schema = v.strictObject({
  v: v.literal(REPORT_VERSION, 'expected 1'),
  text: v.pipe(
    v.string('expected a string'),
    v.minLength(1, 'empty'),
    v.maxLength(REPORT_LIMITS.text, 'too long'),
  ),
  about: v.optional(v.picklist(REPORTER_ROLES, 'unknown role')),
  /** Someone is in danger now, as the writer judged it. */
  danger: v.optional(v.boolean('expected a boolean')),
  harms: v.optional(
    v.pipe(
      v.array(v.picklist(HARM_KINDS, 'unknown kind of harm'), 'expected an array'),
      v.maxLength(HARM_KINDS.length, 'too many'),
    ),
  ),
  where: optionalText(REPORT_LIMITS.where),
  when: optionalText(REPORT_LIMITS.when),
  /** BCP 47 tag of the report's language, as suggested and confirmed on the device. */
  language: optionalText(REPORT_LIMITS.language),
  links: optionalText(REPORT_LIMITS.links),
  followUp: v.optional(FollowUpSchema),
  /** Consent to de-identified research use. Absent means no. */
  research: v.optional(v.boolean('expected a boolean')),
  /**
   * Files sent after the report, each in chunks under its own key (attachment.schema.ts). The
   * keys live only here, so whoever can open the report can open its files, and nobody else.
   */
  attachments: v.optional(AttachmentRefsSchema),
})
export type ReportV1 = v.InferOutput<typeof ReportV1Schema>

export const encodeReport = (report: ReportV1): Uint8Array =>
  utf8(JSON.stringify(v.parse(ReportV1Schema, report)))

/** Opened report bytes → a checked report; anything else is a ProtocolError, never a crash. */
export function decodeReport(bytes: Uint8Array): ReportV1 {
  let value: unknown
  try {
    value = JSON.parse(fromUtf8(bytes))
  } catch {
    throw new ProtocolError('invalid_json')
  }
  const result = v.safeParse(ReportV1Schema, value)
  if (!result.success) throw validationError(result.issues)
  return result.output
}
