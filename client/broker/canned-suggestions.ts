import type { MessageDescriptor } from '@lingui/core'
import { msg } from '@lingui/core/macro'
import type { CannedKind } from '../../shared/protocol'

/** The kinds of canned response, in the order a case usually needs them, with their names. */
export const CANNED_KIND_LABELS: Record<CannedKind, MessageDescriptor> = {
  acknowledgement: msg`Acknowledgement`,
  referral: msg`Referral to support`,
  cannot_act: msg`We cannot act, and why`,
  closing: msg`Closing the case`,
}

/**
 * Heard's suggested texts, a starting point a community edits to its own words. Brackets mark what
 * the broker must fill in; nothing here promises what a community may not be able to do.
 */
export const CANNED_SUGGESTIONS: Record<CannedKind, MessageDescriptor> = {
  acknowledgement: msg`Thank you for writing to us. We have received your report, and a member of our safety team is reading it. We will write to you again here. If you are in danger now, please contact your local emergency number.`,
  referral: msg`We have read your report. Beyond what our community can do, these services help people facing online harassment: [add the services that fit]. You can contact them directly; they do not share anything with us.`,
  cannot_act: msg`We have read your report carefully. We are not able to act on it, because [reason]. This does not mean that what happened to you is acceptable. [Where else you can turn.]`,
  closing: msg`We are closing this case. [What was done.] Thank you for telling us. You can write to us here again at any time, and we will read it.`,
}
