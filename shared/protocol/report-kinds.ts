/**
 * Crypto-free constants the compose screen needs before anything else has loaded. Wire constants:
 * a value is never renamed or reused, only added.
 */

/** Kinds of harm a person may pick, in the order the form shows them. "other" is always offered. */
export const HARM_KINDS = [
  'harassment',
  'threats',
  'hate',
  'sexual-harassment',
  'doxxing',
  'stalking',
  'impersonation',
  'image-abuse',
  'self-harm',
  'other',
] as const
export type HarmKind = (typeof HARM_KINDS)[number]

/** Who the report is about: the writer, or someone else they saw it happen to or who told them. */
export const REPORTER_ROLES = ['me', 'witness', 'friend'] as const
export type ReporterRole = (typeof REPORTER_ROLES)[number]

/** Limits on what a report may hold, so a sealed report always fits the relay's body limit. */
export const REPORT_LIMITS = {
  text: 50_000,
  where: 2_000,
  when: 200,
  links: 5_000,
  language: 35,
} as const

/** What a community allows in attachments per report when its manifest says nothing: 25 MiB. */
export const DEFAULT_ATTACHMENT_LIMIT_BYTES = 25 * 1024 * 1024
