import type { HarmKind } from '../protocol/report-kinds'
import { TOPICS, type Topic } from './topics'

/**
 * Platform-neutral. From the kinds of harm a person ticks on the report form (wire constants of
 * the report) to the directory's topics (wire constants of the directory), so the referrals shown
 * after a report fit what happened. The two lists are kept apart on purpose: the form's words are
 * the person's, the topics are what organisations say they help with, and either can grow alone.
 *
 * `other` maps to nothing: "something else, or not sure" names no topic, and no harms means the
 * matcher offers every topic rather than none.
 */
export const HARM_TOPICS: Readonly<Record<HarmKind, readonly Topic[]>> = {
  harassment: ['online_harassment'],
  threats: ['threats_of_violence'],
  hate: ['hate_speech'],
  'sexual-harassment': ['sexual_harassment'],
  // Someone whose address is out needs to lock down their accounts as much as to be heard.
  doxxing: ['doxxing', 'digital_security'],
  stalking: ['stalking'],
  impersonation: ['online_harassment', 'digital_security'],
  'image-abuse': ['sexual_harassment', 'online_harassment'],
  'self-harm': ['suicide_self_harm_crisis', 'emotional_support'],
  other: [],
}

/**
 * The topics for a report's harms, each once, in taxonomy order (so the same harms in any order
 * give the same request). Unknown kinds are ignored: a draft from a newer version may name one.
 */
export function topicsForHarms(harms: readonly string[]): Topic[] {
  const wanted = new Set<Topic>()
  for (const harm of harms)
    if (Object.hasOwn(HARM_TOPICS, harm)) for (const t of HARM_TOPICS[harm as HarmKind]) wanted.add(t)
  return TOPICS.filter((t) => wanted.has(t))
}
