/**
 * Platform-neutral. A relay time (coarsened to the hour) in the reader's language, saying "around"
 * because the relay deliberately does not keep the exact minute.
 */
export function formatHour(iso: string, locale: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return hourFormat(locale).format(date)
}

// One formatter per locale: making one costs far more than using it (the inbox formats thousands).
const formats = new Map<string, Intl.DateTimeFormat>()

function hourFormat(locale: string): Intl.DateTimeFormat {
  let format = formats.get(locale)
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })
    formats.set(locale, format)
  }
  return format
}
