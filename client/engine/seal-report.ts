import { boxPublicKey, seal } from '../../shared/crypto'
import {
  canonicalEnvelopeText,
  decodeField,
  EnvelopeKind,
  encodeReport,
  envelopeToJson,
  type FollowUp,
  type Manifest,
  type ReportV1,
} from '../../shared/protocol'
import type { ReportForm } from '../report/report-form'

const optional = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim())

/** The form as brokers will read it. The country stays on this device. */
export function reportFromForm(form: ReportForm, followUp: FollowUp | null): ReportV1 {
  return {
    v: 1,
    text: form.text,
    ...(form.about ? { about: form.about } : {}),
    ...(form.danger !== null ? { danger: form.danger } : {}),
    ...(form.harms.length > 0 ? { harms: [...form.harms] } : {}),
    ...(optional(form.where) ? { where: optional(form.where) } : {}),
    ...(optional(form.when) ? { when: optional(form.when) } : {}),
    ...(optional(form.language) ? { language: optional(form.language) } : {}),
    ...(optional(form.links) ? { links: optional(form.links) } : {}),
    ...(followUp ? { followUp } : {}),
    ...(form.research ? { research: true } : {}),
  }
}

export interface SealedReport {
  readonly id: string
  readonly envelopeText: string
}

/** Seal a report to every broker in the pinned manifest, on this device. */
export async function sealReport(report: ReportV1, manifest: Manifest): Promise<SealedReport> {
  const recipients = manifest.brokers.map((b) => boxPublicKey(decodeField(b.boxKey)))
  const sealed = await seal(encodeReport(report), recipients, {
    version: 1,
    kind: EnvelopeKind.report,
    community: manifest.community,
  })
  return { id: sealed.id, envelopeText: canonicalEnvelopeText(envelopeToJson(sealed)) }
}
