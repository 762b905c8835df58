import type { MessageDescriptor } from '@lingui/core'
import { msg } from '@lingui/core/macro'
import type { EmergencyServiceType } from '../../shared/directory/emergency-numbers.schema'
import type { MatchReason } from '../../shared/directory/match'
import type { Topic } from '../../shared/directory/topics'

/** Words for the directory's wire constants, so no code ever reaches the screen. */
export const TOPIC_LABELS: Record<Topic, MessageDescriptor> = {
  online_harassment: msg`Online harassment`,
  doxxing: msg`Personal information shared (doxxing)`,
  sexual_harassment: msg`Sexual harassment`,
  threats_of_violence: msg`Threats of violence`,
  hate_speech: msg`Hate speech`,
  stalking: msg`Stalking`,
  suicide_self_harm_crisis: msg`Suicide and self-harm crisis`,
  legal_help: msg`Legal help`,
  digital_security: msg`Digital security`,
  emotional_support: msg`Emotional support`,
}

/** Under a big emergency number, joined into a list: lower case so the list reads as a phrase. */
export const EMERGENCY_TYPE_LABELS: Record<EmergencyServiceType, MessageDescriptor> = {
  police: msg`police`,
  ambulance: msg`ambulance`,
  fire: msg`fire service`,
  marine_guard: msg`coast guard`,
  mountain_rescue: msg`mountain rescue`,
}

/** Why a referral is offered, said as where it works rather than as a rank. */
export const REASON_LABELS: Record<MatchReason, MessageDescriptor> = {
  emergency: msg`Emergency services`,
  crisis_24_7: msg`Answers at any hour`,
  country_language: msg`In your country and language`,
  country: msg`In your country`,
  region: msg`In your region`,
  global: msg`Worldwide`,
}
