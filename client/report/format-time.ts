/**
 * Platform-neutral. A relay time (coarsened to the hour) in the reader's language, saying "around"
 * because the relay deliberately does not keep the exact minute.
 */
export function formatHour(iso: string, locale: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'UTC',
  }).format(date)
}
