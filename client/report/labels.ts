import type { MessageDescriptor } from '@lingui/core'
import { msg } from '@lingui/core/macro'
import type { HarmKind, ReporterRole } from '../../shared/protocol/report-kinds'

/** Words for the wire constants the form offers. Plain, non-judging, and never a test of "enough". */
export const HARM_LABELS: Record<HarmKind, MessageDescriptor> = {
  harassment: msg`Harassment or bullying`,
  threats: msg`Threats of violence`,
  hate: msg`Hate or slurs`,
  'sexual-harassment': msg`Sexual harassment`,
  doxxing: msg`Personal information shared (doxxing)`,
  stalking: msg`Stalking or being followed`,
  impersonation: msg`Impersonation`,
  'image-abuse': msg`Intimate images shared or threatened`,
  'self-harm': msg`Someone may hurt themselves`,
  other: msg`Something else, or not sure`,
}

export const ROLE_LABELS: Record<ReporterRole, MessageDescriptor> = {
  me: msg`It happened to me`,
  witness: msg`It happened to someone else, and I saw it`,
  friend: msg`It happened to someone else, and they told me`,
}
