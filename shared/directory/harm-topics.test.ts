import { describe, expect, it } from 'vitest'
import { HARM_KINDS } from '../protocol/report-kinds'
import { HARM_TOPICS, topicsForHarms } from './harm-topics'
import { TOPICS } from './topics'

describe('topicsForHarms', () => {
  it('maps every kind of harm on the form, and only to known topics', () => {
    expect(Object.keys(HARM_TOPICS).sort()).toEqual([...HARM_KINDS].sort())
    for (const topics of Object.values(HARM_TOPICS))
      for (const t of topics) expect(TOPICS as readonly string[]).toContain(t)
  })

  it('maps each kind as the referral rules say', () => {
    expect(topicsForHarms(['harassment'])).toEqual(['online_harassment'])
    expect(topicsForHarms(['threats'])).toEqual(['threats_of_violence'])
    expect(topicsForHarms(['hate'])).toEqual(['hate_speech'])
    expect(topicsForHarms(['sexual-harassment'])).toEqual(['sexual_harassment'])
    expect(topicsForHarms(['doxxing'])).toEqual(['doxxing', 'digital_security'])
    expect(topicsForHarms(['stalking'])).toEqual(['stalking'])
    expect(topicsForHarms(['impersonation'])).toEqual(['online_harassment', 'digital_security'])
    expect(topicsForHarms(['image-abuse'])).toEqual(['online_harassment', 'sexual_harassment'])
    expect(topicsForHarms(['self-harm'])).toEqual(['suicide_self_harm_crisis', 'emotional_support'])
  })

  it('gives no topics (so: any) for "other" or nothing, and ignores what it does not know', () => {
    expect(topicsForHarms([])).toEqual([])
    expect(topicsForHarms(['other'])).toEqual([])
    expect(topicsForHarms(['not-a-kind', 'toString', '__proto__'])).toEqual([])
  })

  it('lists each topic once, in taxonomy order, whatever the order of the harms', () => {
    const a = topicsForHarms(['image-abuse', 'harassment', 'doxxing', 'impersonation'])
    const b = topicsForHarms(['impersonation', 'doxxing', 'harassment', 'image-abuse'])
    expect(a).toEqual(b)
    expect(a).toEqual(['online_harassment', 'doxxing', 'sexual_harassment', 'digital_security'])
  })
})
