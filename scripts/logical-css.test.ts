import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { findPhysicalCss, findPhysicalInCss } from './logical-css'

const root = path.resolve(import.meta.dirname, '..')
const found = (css: string) => findPhysicalInCss('client/x.css', css).map((d) => d.declaration)

describe('logical CSS', () => {
  it('the client CSS has no physical left or right (right-to-left pages mirror)', () => {
    expect(findPhysicalCss(root)).toEqual([])
  })

  it.each([
    ['.a { margin-left: 1rem; }', 'margin-left: 1rem'],
    ['.a { padding-right: 1rem }', 'padding-right: 1rem'],
    ['.a { border-left: 4px solid red; }', 'border-left: 4px solid red'],
    ['.a { border-right-width: 1px; }', 'border-right-width: 1px'],
    ['.a { border-top-left-radius: 1px; }', 'border-top-left-radius: 1px'],
    ['.a {\n  position: absolute;\n  left: 0;\n}', 'left: 0'],
    ['.a { right: 0 }', 'right: 0'],
    ['.a { text-align: left; }', 'text-align: left'],
    ['.a { float: right; }', 'float: right'],
    ['.a { clear: left; }', 'clear: left'],
    ['.a { transform: translateX(-50%); }', 'transform: translateX(-50%)'],
    ['.a { background-position: right 1rem center; }', 'background-position: right 1rem center'],
    ['@media (min-width: 60rem) { .a { inset: 0 auto 0 0; margin-right: 1px } }', 'margin-right: 1px'],
  ])('finds %s', (css, declaration) => {
    expect(found(css)).toEqual([declaration])
  })

  it('allows logical properties, top and bottom, names that merely contain left, and comments', () => {
    const css = `/* margin-left: no; text-align: right */
.a:hover, .b::before { margin-inline-start: 1rem; padding-inline: 1rem; inset-inline-end: 0;
  text-align: start; border-inline-start: 4px solid var(--notice-left); top: 0; margin-block: 1rem;
  content: "left"; grid-template-areas: "status promises"; }
:dir(rtl) .icon--directional { transform: scaleX(-1); }`
    expect(found(css)).toEqual([])
  })

  it('gives the line', () => {
    expect(findPhysicalInCss('client/x.css', '.a {\n  color: red;\n  left: 0;\n}')[0]?.line).toBe(3)
  })
})
