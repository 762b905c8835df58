import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { describeIssues, OrganizationSchema } from '../../shared/directory'
import { localToday, overrideTemplate } from './override-template'

const words = {
  name: 'Name',
  description: 'What it does.',
  serviceName: 'Support',
  serviceDescription: 'How it helps.',
  area: 'Worldwide',
}

describe('overrideTemplate', () => {
  it('is a valid organisation, checked today', () => {
    const today = localToday(new Date(2027, 0, 5))
    expect(today).toBe('2027-01-05')
    const result = v.safeParse(OrganizationSchema, overrideTemplate(today, words))
    expect(result.success ? [] : describeIssues(result.issues)).toEqual([])
    expect(JSON.stringify(overrideTemplate(today, words))).toContain('"verified_at":"2027-01-05"')
  })
})
