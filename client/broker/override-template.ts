import type { Organization } from '../../shared/directory'

/**
 * Pure. A valid organisation to start a community entry from: one service, one contact, and the
 * provenance triple at every level, so the admin edits values instead of learning the shape from an
 * error list. The example.org addresses are reserved names that never reach anyone; the words come
 * translated from the caller.
 */
export function overrideTemplate(
  today: string,
  words: {
    readonly name: string
    readonly description: string
    readonly serviceName: string
    readonly serviceDescription: string
    readonly area: string
  },
): Organization {
  const provenance = {
    source_url: 'https://example.org/about',
    verified_at: today,
    status: 'verified',
  } as const
  return {
    id: 'local-partner',
    name: words.name,
    description: words.description,
    website: 'https://example.org',
    ...provenance,
    services: [
      {
        id: 'local-partner-support',
        name: words.serviceName,
        description: words.serviceDescription,
        topics: ['online_harassment'],
        service_areas: [{ scope: 'global', name: words.area }],
        contacts: [{ type: 'web', url: 'https://example.org/contact', ...provenance }],
        ...provenance,
      },
    ],
  }
}

/** Today in the device's own calendar, `YYYY-MM-DD`: the day the admin checks the facts. */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}
