import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ALLOWED, findUnwrappedInSource, findUnwrappedStrings } from './unwrapped-strings'

const root = path.resolve(import.meta.dirname, '..')
const found = (code: string) =>
  findUnwrappedInSource('client/x.tsx', code).map(({ where, text }) => `${where}: ${text}`)

describe('unwrapped strings', () => {
  it('every word on screen in client/ goes through Lingui', () => {
    expect(findUnwrappedStrings(root)).toEqual([])
  })

  it.each([
    ['<p>Sent</p>', 'text: Sent'],
    ['<p>{ok ? "Sent" : <Trans>Failed</Trans>}</p>', 'text: Sent'],
    ['<p>{ok && `Sent`}</p>', 'text: Sent'],
    ['<>Envoyé</>', 'text: Envoyé'],
    ['<p><Trans>Sent</Trans> to the team</p>', 'text: to the team'],
    ['<button aria-label="Close" />', 'aria-label: Close'],
    ['<input placeholder={"Your name"} />', 'placeholder: Your name'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the JSX under test holds the template
    ['<img alt={`Photo of ${who}`} />', 'alt: Photo of'],
    ['<Field label={short ? "Name" : t`Your name`} />', 'label: Name'],
    ['<Trans>See <a title="The list">the list</a></Trans>', 'title: The list'],
    ['<span aria-description="Opens a dialog" />', 'aria-description: Opens a dialog'],
  ])('finds %s', (jsx, expected) => {
    expect(found(`export const A = () => ${jsx}`)).toEqual([expected])
  })

  it.each([
    '<p><Trans>Sent to {team}</Trans></p>',
    '<p><Plural value={n} one="# report" other="# reports" /></p>',
    '<p>{name} · {count} … 42 — </p>',
    '<button aria-label={t`Close`} title={i18n._(msg`Close`)} className="close" />',
    '<p>{t`Sent`}</p>',
    '<p data-state="sent" lang="en">{report.title}</p>',
    '<h1>Heard</h1>',
  ])('allows %s', (jsx) => {
    expect(found(`export const A = () => ${jsx}`)).toEqual([])
  })

  it('gives a reason for each allowed text', () => {
    for (const [text, reason] of ALLOWED) expect(reason.length, text).toBeGreaterThan(0)
  })
})
