import type { Organization, Service } from '../../shared/directory/directory.schema'

/**
 * Platform-neutral. Searching and filtering the directory on the device, for the "browse all
 * support" screen. Case- and accent-insensitive, so "Equipo de apoyo" finds "équipo" and "ZÜRICH"
 * finds "zurich": a person searching in a hurry, or on a keyboard without their accents, still
 * finds it.
 */

/** Lower case without combining marks (é → e, ü → u). */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase()
}

export interface Searchable {
  readonly organization: Organization
  readonly service: Service
  /** Folded names and descriptions, searched by `matches`. */
  readonly text: string
  /** Primary language subtags the service or one of its contacts records. */
  readonly languages: ReadonlySet<string>
}

const primary = (tag: string): string => tag.split('-')[0]?.toLowerCase() ?? ''

/** Once per directory version: folding 50,000 descriptions on every keystroke would lag. */
export function searchable(organizations: readonly Organization[]): Searchable[] {
  const out: Searchable[] = []
  for (const organization of organizations)
    for (const service of organization.services) {
      const languages = new Set<string>()
      for (const l of service.languages ?? []) languages.add(primary(l.code))
      for (const c of service.contacts) for (const l of c.languages ?? []) languages.add(primary(l.code))
      out.push({
        organization,
        service,
        text: fold(
          [
            organization.name,
            organization.alternate_name ?? '',
            organization.description,
            service.name,
            service.description,
          ].join('\n'),
        ),
        languages,
      })
    }
  return out
}

/** The query's words, folded; an entry matches when its text holds every one. */
export const queryWords = (query: string): string[] => fold(query).split(/\s+/).filter(Boolean)

export const matchesWords = (entry: Searchable, words: readonly string[]): boolean =>
  words.every((w) => entry.text.includes(w))
