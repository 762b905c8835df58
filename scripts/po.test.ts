import { describe, expect, it } from 'vitest'
import { parsePo } from './po'

describe('PO reader', () => {
  it('reads headers, multi-line and escaped strings, references, flags; skips obsolete entries', () => {
    const po = parsePo(
      [
        'msgid ""',
        'msgstr ""',
        '"Language: zh-Hans\\n"',
        '"X-Heard-Provenance: reviewed\\n"',
        '',
        '#. placeholder {0}: name',
        '#: client/a.tsx client/b.tsx',
        '#: client/broker/c.tsx',
        '#, fuzzy',
        'msgctxt "button"',
        'msgid ""',
        '"Say \\"hi\\" to "',
        '"{0}\\n"',
        'msgstr "说 \\"你好\\""',
        '',
        '#~ msgid "Gone"',
        '#~ msgstr "Weg"',
        '',
      ].join('\r\n'),
    )
    expect(po.headers).toEqual({ Language: 'zh-Hans', 'X-Heard-Provenance': 'reviewed' })
    expect(po.entries).toEqual([
      {
        msgctxt: 'button',
        msgid: 'Say "hi" to {0}\n',
        msgstr: '说 "你好"',
        references: ['client/a.tsx', 'client/b.tsx', 'client/broker/c.tsx'],
        fuzzy: true,
      },
    ])
  })

  it('refuses what is not PO', () => {
    expect(() => parsePo('msgid "a"\nmsgstr[0] "b"\n')).toThrow(/Unreadable PO line/)
  })
})
