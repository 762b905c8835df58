/**
 * The kinds of harm a referral can help with: the taxonomy of issue #6. Wire constants, like the
 * harm kinds of a report: a code is never renamed or reused, only added, because signed directory
 * versions and community overrides already on devices name them.
 */
export const TOPICS = [
  'online_harassment',
  'doxxing',
  'sexual_harassment',
  'threats_of_violence',
  'hate_speech',
  'stalking',
  'suicide_self_harm_crisis',
  'legal_help',
  'digital_security',
  'emotional_support',
] as const
export type Topic = (typeof TOPICS)[number]
