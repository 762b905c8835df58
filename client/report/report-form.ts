import type { HarmKind, ReporterRole } from '../../shared/protocol/report-kinds'

/**
 * Platform-neutral and crypto-free: the compose form's state, as kept in memory and in a sealed
 * draft. Only `text` is required to send. `country` never leaves the device (referrals only).
 */
export interface ReportForm {
  readonly text: string
  readonly about: ReporterRole | null
  /** null: not answered. */
  readonly danger: boolean | null
  readonly harms: readonly HarmKind[]
  readonly where: string
  readonly when: string
  /**
   * ISO 3166-1 alpha-2 the person is in, '' if not chosen: for referrals and the crisis path. Kept
   * in the draft on this device; the sealed report never carries it (seal-report.ts drops it).
   */
  readonly country: string
  readonly language: string
  readonly links: string
  readonly followUp: boolean
  readonly research: boolean
}

export const EMPTY_FORM: ReportForm = {
  text: '',
  about: null,
  danger: null,
  harms: [],
  where: '',
  when: '',
  country: '',
  language: '',
  links: '',
  followUp: true,
  research: false,
}

/** A draft is worth keeping once anything at all was written or chosen. */
export const isBlank = (form: ReportForm): boolean =>
  form.text.trim() === '' &&
  form.about === null &&
  form.danger === null &&
  form.harms.length === 0 &&
  form.where.trim() === '' &&
  form.when.trim() === '' &&
  form.links.trim() === ''

/** A sendable report has some text; nothing else is ever asked for. */
export const canSend = (form: ReportForm): boolean => form.text.trim() !== ''

/** Shortest PIN accepted over drafts. The PIN guards a device copy; scrypt makes each guess slow. */
export const MIN_PIN_LENGTH = 4
