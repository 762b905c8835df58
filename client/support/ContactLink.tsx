import { useLingui } from '@lingui/react'
import { Trans } from '@lingui/react/macro'
import type { Contact } from '../../shared/directory/directory.schema'
import { countryName } from './country-names'

/** As dialled: digits and a leading `+` only (the directory writes numbers with spaces or dashes). */
export const dialString = (number: string): string => number.replace(/[^+0-9]/g, '')

const hostOf = (url: string): string => {
  try {
    return new URL(url).hostname
  } catch {
    return url
  }
}

/**
 * One way to reach a service, as a link the device knows how to open: `tel:`, `sms:`, `mailto:`,
 * or an https page (in a new tab, so Heard, and a report still waiting to be sent, stays open).
 * The directory only admits https URLs, so no other scheme can reach an `href` here.
 */
export function ContactLink({
  contact,
  showCountries = false,
}: {
  readonly contact: Contact
  /** Say where a number works, for lists not narrowed to one country. */
  readonly showCountries?: boolean
}) {
  const { i18n } = useLingui()
  const where =
    showCountries && (contact.type === 'phone' || contact.type === 'sms')
      ? new Intl.ListFormat(i18n.locale, { type: 'unit' }).format(
          contact.countries.map((c) => countryName(c, i18n.locale)),
        )
      : null
  // A space before each part keeps them apart for screen readers and copy-paste, not only on screen.
  const marks = (
    <>
      {where !== null && (
        <>
          {' '}
          <span className="contact__note">
            <Trans>(from {where})</Trans>
          </span>
        </>
      )}
      {contact.available_24_7 === true && (
        <>
          {' '}
          <span className="contact__note">
            <Trans>any hour</Trans>
          </span>
        </>
      )}
      {contact.status !== 'verified' && (
        <>
          {' '}
          <span className="tag tag--unverified">
            <Trans>not checked</Trans>
          </span>
        </>
      )}
    </>
  )
  switch (contact.type) {
    case 'phone': {
      const number = contact.vanity ? `${contact.vanity} (${contact.number})` : contact.number
      return (
        <span className="contact">
          <a className="link contact__link" href={`tel:${dialString(contact.number)}`}>
            <Trans>
              Call <bdi>{number}</bdi>
            </Trans>
          </a>
          {marks}
        </span>
      )
    }
    case 'sms': {
      const body = contact.keyword ? `?body=${encodeURIComponent(contact.keyword)}` : ''
      return (
        <span className="contact">
          <a className="link contact__link" href={`sms:${dialString(contact.number)}${body}`}>
            {contact.keyword ? (
              <Trans>
                Text {contact.keyword} to <bdi>{contact.number}</bdi>
              </Trans>
            ) : (
              <Trans>
                Text <bdi>{contact.number}</bdi>
              </Trans>
            )}
          </a>
          {marks}
        </span>
      )
    }
    case 'email':
      return (
        <span className="contact">
          <a className="link contact__link" href={`mailto:${contact.email}`}>
            <Trans>
              E-mail <bdi>{contact.email}</bdi>
            </Trans>
          </a>
          {marks}
        </span>
      )
    case 'chat':
    case 'web': {
      const host = hostOf(contact.url)
      return (
        <span className="contact">
          <a className="link contact__link" href={contact.url} target="_blank" rel="noreferrer">
            {contact.type === 'chat' ? (
              <Trans>
                Chat online at <bdi>{host}</bdi>
              </Trans>
            ) : (
              <Trans>
                Website: <bdi>{host}</bdi>
              </Trans>
            )}
          </a>
          {marks}
        </span>
      )
    }
  }
}
