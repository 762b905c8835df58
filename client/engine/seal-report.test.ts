import { describe, expect, it } from 'vitest'
import { boxSecretKey, generateBoxKeyPair, generateSignKeyPair, toBase64url, utf8 } from '../../shared/crypto'
import { brokerEntry, decodeReport, type Manifest, openEnvelopeBytes } from '../../shared/protocol'
import { EMPTY_FORM } from '../report/report-form'
import { reportFromForm, sealReport } from './seal-report'

describe('sealing a report from the form', () => {
  it('keeps what was answered, drops what was not, and never sends the country', () => {
    const report = reportFromForm(
      { ...EMPTY_FORM, text: 'It happened', country: 'FR', where: '  ', harms: ['doxxing'], danger: false },
      null,
    )
    expect(report).toEqual({ v: 1, text: 'It happened', harms: ['doxxing'], danger: false })
    expect(JSON.stringify(report)).not.toContain('FR')
  })

  it('seals to every broker of the manifest, each of whom can open it', async () => {
    const brokers = [generateBoxKeyPair(), generateBoxKeyPair()]
    const root = generateSignKeyPair()
    const manifest: Manifest = {
      v: 1,
      community: 'wiki-x',
      name: 'X',
      seq: 1,
      issuedAt: new Date().toISOString(),
      root: toBase64url(root.publicKey),
      brokers: brokers.map((b, i) => brokerEntry(`B${i}`, b.publicKey, generateSignKeyPair().publicKey)),
      policy: '',
    }
    const sealed = await sealReport(reportFromForm({ ...EMPTY_FORM, text: 'secret words' }, null), manifest)
    expect(sealed.envelopeText).not.toContain('secret words')
    for (const b of brokers) {
      const opened = await openEnvelopeBytes(utf8(sealed.envelopeText), boxSecretKey(b.secretKey))
      expect(decodeReport(opened).text).toBe('secret words')
    }
  })
})
