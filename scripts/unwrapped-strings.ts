import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

/**
 * Words on screen that do not go through Lingui, found on the syntax tree of client/**.tsx: a
 * translator never sees them, so they stay English in every language. Two places are checked:
 * - text between JSX tags (`<p>Sent</p>`, `{ok ? 'Sent' : 'Failed'}`) outside `<Trans>` and the
 *   other Lingui macro components;
 * - string literals in attributes a person reads or hears (`aria-label="Close"`), inside `<Trans>`
 *   too, because Trans translates its children and never its elements' attributes.
 * Only text with a letter in some script counts: punctuation, digits and symbols (`·`, `…`, `—`)
 * read the same in every language. What else is allowed is in `ALLOWED`, each with its reason.
 */
export interface UnwrappedString {
  readonly file: string
  readonly line: number
  /** `text`, or the attribute the literal is in. */
  readonly where: string
  readonly text: string
}

/** Attributes whose value is shown or read aloud. */
export const USER_VISIBLE_ATTRIBUTES = new Set([
  'aria-label',
  'aria-description',
  'aria-roledescription',
  'aria-valuetext',
  'aria-placeholder',
  'title',
  'placeholder',
  'alt',
  'label',
])

/** The macro components of @lingui/react/macro: their children are the message. */
const LINGUI_COMPONENTS = new Set(['Trans', 'Plural', 'Select', 'SelectOrdinal'])

/** Exact texts (trimmed) allowed outside Lingui, and why. Keep it short. */
export const ALLOWED: ReadonlyMap<string, string> = new Map([
  // The app's name is a name: the same in every language, like the mark beside it.
  ['Heard', 'the brand name'],
])

const LETTER = /\p{L}/u

export function findUnwrappedInSource(file: string, code: string): UnwrappedString[] {
  const source = ts.createSourceFile(file, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX)
  const found: UnwrappedString[] = []
  const report = (node: ts.Node, where: string, raw: string) => {
    const text = raw.replace(/\s+/g, ' ').trim()
    if (!LETTER.test(text) || ALLOWED.has(text)) return
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1
    found.push({ file, line, where, text })
  }
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && !insideLingui(node)) report(node, 'text', node.text)
    else if (ts.isJsxExpression(node) && node.expression && isChild(node) && !insideLingui(node)) {
      for (const literal of literalsIn(node.expression)) report(literal, 'text', textOf(literal))
    } else if (ts.isJsxAttribute(node) && USER_VISIBLE_ATTRIBUTES.has(node.name.getText(source))) {
      const value = node.initializer
      if (value && ts.isStringLiteral(value)) report(value, node.name.getText(source), value.text)
      else if (value && ts.isJsxExpression(value) && value.expression) {
        for (const literal of literalsIn(value.expression)) {
          report(literal, node.name.getText(source), textOf(literal))
        }
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** A `{…}` between tags, as opposed to an attribute's value. */
const isChild = (node: ts.JsxExpression): boolean =>
  ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent)

function insideLingui(node: ts.Node): boolean {
  for (let at: ts.Node | undefined = node.parent; at !== undefined; at = at.parent) {
    if (ts.isJsxElement(at) && LINGUI_COMPONENTS.has(at.openingElement.tagName.getText())) return true
  }
  return false
}

type Literal = ts.StringLiteral | ts.NoSubstitutionTemplateLiteral | ts.TemplateExpression

/**
 * The string literals an expression can evaluate to as it stands: through `a ? 'x' : 'y'`,
 * `a && 'x'`, `a ?? 'x'` and parentheses, but not into calls (t`…` and i18n._() are Lingui's).
 */
function literalsIn(expression: ts.Expression): Literal[] {
  if (
    ts.isStringLiteral(expression) ||
    ts.isNoSubstitutionTemplateLiteral(expression) ||
    ts.isTemplateExpression(expression)
  ) {
    return [expression]
  }
  if (ts.isParenthesizedExpression(expression) || ts.isAsExpression(expression)) {
    return literalsIn(expression.expression)
  }
  if (ts.isConditionalExpression(expression)) {
    return [...literalsIn(expression.whenTrue), ...literalsIn(expression.whenFalse)]
  }
  if (ts.isBinaryExpression(expression)) {
    const op = expression.operatorToken.kind
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return literalsIn(expression.right)
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
      return [...literalsIn(expression.left), ...literalsIn(expression.right)]
    }
  }
  return []
}

/** A literal's words; a template's fixed parts only (what goes into `${}` is checked where it is made). */
function textOf(literal: Literal): string {
  if (!ts.isTemplateExpression(literal)) return literal.text
  return [literal.head.text, ...literal.templateSpans.map((s) => s.literal.text)].join(' ')
}

function tsxFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name)
    if (statSync(file).isDirectory()) out.push(...tsxFiles(file))
    else if (name.endsWith('.tsx') && !/\.test\.tsx$/.test(name)) out.push(file)
  }
  return out
}

/** Every unwrapped string in `root`/client, with paths relative to `root`. */
export function findUnwrappedStrings(root: string): UnwrappedString[] {
  return tsxFiles(path.join(root, 'client')).flatMap((file) =>
    findUnwrappedInSource(path.relative(root, file).split(path.sep).join('/'), readFileSync(file, 'utf8')),
  )
}
