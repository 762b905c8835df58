import { describe, expect, it } from 'vitest'
import { retryDelay } from './outbox'

describe('outbox retry delay', () => {
  it('grows from about 2 s, doubling, to at most about 5 minutes, with jitter', () => {
    expect(retryDelay(1, 0.5)).toBe(2_000)
    expect(retryDelay(2, 0.5)).toBe(4_000)
    expect(retryDelay(30, 0.5)).toBe(300_000)
    expect(retryDelay(1, 0)).toBe(1_500)
    expect(retryDelay(1, 1)).toBe(2_500)
    expect(retryDelay(100, 1)).toBe(375_000)
  })
})
