import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * Physical left/right in the client's CSS, which a right-to-left page (Arabic, Persian, Hebrew)
 * would not mirror: `margin-left` instead of `margin-inline-start`, `text-align: right` instead of
 * `end`, `translateX()`. Top and bottom are left alone: no UI language is written vertically. An
 * icon that must mirror is flipped with `scaleX(-1)` under `:dir(rtl)`, which is allowed.
 */
export interface PhysicalDeclaration {
  readonly file: string
  readonly line: number
  readonly declaration: string
}

const PHYSICAL_PROPERTY =
  /^(left|right|(margin|padding|border|scroll-margin|scroll-padding)-(left|right)(-\w+)?|border-(top|bottom)-(left|right)-radius|overscroll-behavior-x)$/
/** `left`/`right` as a keyword (not inside a name such as `--gutter-left`), or translateX(). */
const PHYSICAL_VALUE = /(?<![-\w])(left|right)(?![-\w])|translateX\s*\(/i

export function findPhysicalInCss(file: string, css: string): PhysicalDeclaration[] {
  // Blank out comments and strings (keeping newlines, so line numbers hold).
  const code = css.replace(/\/\*[\s\S]*?\*\/|"[^"\n]*"|'[^'\n]*'/g, (m) => m.replace(/[^\n]/g, ' '))
  const found: PhysicalDeclaration[] = []
  // A declaration: a property name, a colon, a value up to `;` or `}`. Selectors never match,
  // because a selector's colon (`a:hover`) is followed by `{`, which the value may not contain.
  for (const match of code.matchAll(/([-\w]+)\s*:\s*([^;{}]*)(?=[;}])/g)) {
    const [, property = '', value = ''] = match
    if (property.startsWith('--')) continue
    if (PHYSICAL_PROPERTY.test(property.toLowerCase()) || PHYSICAL_VALUE.test(value)) {
      const line = code.slice(0, match.index).split('\n').length
      found.push({ file, line, declaration: `${property}: ${value.trim()}` })
    }
  }
  return found
}

/** Every physical declaration in `root`/client/**.css, with paths relative to `root`. */
export function findPhysicalCss(root: string): PhysicalDeclaration[] {
  const dir = path.join(root, 'client')
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.css'))
    .sort()
    .flatMap((name) =>
      findPhysicalInCss(
        `client/${name.split(path.sep).join('/')}`,
        readFileSync(path.join(dir, name), 'utf8'),
      ),
    )
}
