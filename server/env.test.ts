import { describe, expect, it } from 'vitest'
import { ConfigError, DEFAULT_ATTACHMENT_QUOTA_BYTES, readConfig } from './env'

describe('readConfig', () => {
  it('reads the attachment quota per community, 10 GiB unless set', () => {
    expect(readConfig({}).attachmentQuotaBytes).toBe(DEFAULT_ATTACHMENT_QUOTA_BYTES)
    expect(DEFAULT_ATTACHMENT_QUOTA_BYTES).toBe(10 * 1024 ** 3)
    expect(readConfig({ ATTACHMENT_QUOTA_BYTES: '1048576' }).attachmentQuotaBytes).toBe(1_048_576)
    expect(readConfig({ ATTACHMENT_QUOTA_BYTES: '0' }).attachmentQuotaBytes).toBe(0)
    for (const bad of ['-1', '1.5', 'lots', '1e400'])
      expect(() => readConfig({ ATTACHMENT_QUOTA_BYTES: bad })).toThrow(ConfigError)
  })
})
