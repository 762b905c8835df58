import { describe, expect, it } from 'vitest'
import type { Organization } from '../../shared/directory/directory.schema'
import { fold, matchesWords, queryWords, searchable } from './search'

const provenance = {
  source_url: 'https://example.org/s',
  verified_at: '2026-11-30',
  status: 'verified',
} as const

const org: Organization = {
  id: 'equipo',
  name: 'Équipo de Apoyo',
  description: 'Ayuda en Zürich y en línea.',
  website: 'https://example.org',
  ...provenance,
  services: [
    {
      id: 'equipo-linea',
      name: 'Línea de crisis',
      description: 'Escucha telefónica.',
      topics: ['emotional_support'],
      service_areas: [{ scope: 'global', name: 'Worldwide' }],
      languages: [{ code: 'es' }, { code: 'pt-BR' }],
      contacts: [
        { type: 'web', url: 'https://example.org/chat', languages: [{ code: 'de-CH' }], ...provenance },
      ],
      ...provenance,
    },
  ],
}

describe('directory search', () => {
  it('ignores case and accents on both sides', () => {
    expect(fold('ÉQUIPO Zürich')).toBe('equipo zurich')
    const [entry] = searchable([org])
    if (!entry) throw new Error('no entry')
    expect(matchesWords(entry, queryWords('equipo'))).toBe(true)
    expect(matchesWords(entry, queryWords('ZURICH linea'))).toBe(true)
    expect(matchesWords(entry, queryWords('  escucha   TELEFÓNICA '))).toBe(true)
    expect(matchesWords(entry, queryWords('equipo nowhere'))).toBe(false)
    expect(matchesWords(entry, queryWords(''))).toBe(true)
  })

  it('collects the primary languages of a service and its contacts', () => {
    const [entry] = searchable([org])
    expect([...(entry?.languages ?? [])].sort()).toEqual(['de', 'es', 'pt'])
  })
})
