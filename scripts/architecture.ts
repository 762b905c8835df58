import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

/**
 * The boundaries the code must keep, checked on the syntax tree rather than hoped for:
 * 1. only shared/crypto imports crypto primitives;
 * 2. server/ and client/ never import each other (a type-only import of the relay's app is allowed);
 * 3. shared/ runs anywhere: no Node built-ins, no DOM or Node globals.
 */
export interface Violation {
  readonly file: string
  readonly rule:
    | 'crypto-outside-shared-crypto'
    | 'server-imports-client'
    | 'client-imports-server'
    | 'shared-platform-api'
  readonly detail: string
}

const CRYPTO_MODULES =
  /^(tweetnacl|tweetnacl-util|@noble\/|@scure\/|@stablelib\/|hash-wasm|libsodium|sodium|node:crypto$|crypto$|argon2|scrypt-js|bcrypt)/
const NODE_BUILTIN =
  /^node:|^(fs|path|os|crypto|child_process|net|http|https|stream|buffer|url|util|worker_threads)(\/|$)/
const PLATFORM_GLOBALS = new Set([
  'window',
  'document',
  'navigator',
  'localStorage',
  'sessionStorage',
  'indexedDB',
  'location',
  'process',
  'Buffer',
  '__dirname',
  '__filename',
  'require',
  'global',
])

/**
 * The one file in shared/ allowed to look at the host platform: it probes for Node's native SHA-256,
 * Ed25519 and base64url, and finds nothing in a browser (see the file for why).
 */
const PLATFORM_PROBE = 'shared/crypto/native-host.ts'

const SOURCE = /\.(ts|tsx|mts)$/
const TEST = /\.(test|int\.test|e2e)\.tsx?$/

function listFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue
    const file = path.join(dir, name)
    if (statSync(file).isDirectory()) out.push(...listFiles(file))
    else if (SOURCE.test(name)) out.push(file)
  }
  return out
}

interface ImportRef {
  readonly specifier: string
  readonly typeOnly: boolean
}

function importsOf(source: ts.SourceFile): ImportRef[] {
  const refs: ImportRef[] = []
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause
      const typeOnly =
        !!clause?.isTypeOnly ||
        (!!clause?.namedBindings &&
          ts.isNamedImports(clause.namedBindings) &&
          !clause.name &&
          clause.namedBindings.elements.every((e) => e.isTypeOnly))
      refs.push({ specifier: node.moduleSpecifier.text, typeOnly })
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      refs.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly })
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require') ||
        // process.getBuiltinModule('node:crypto') is an import by another name.
        (ts.isPropertyAccessExpression(node.expression) &&
          node.expression.name.text === 'getBuiltinModule')) &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      refs.push({ specifier: node.arguments[0].text, typeOnly: false })
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      refs.push({ specifier: node.argument.literal.text, typeOnly: true })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return refs
}

/** Identifiers used as free variables (not property names, not declarations) from PLATFORM_GLOBALS. */
function platformGlobalsOf(source: ts.SourceFile): string[] {
  const found = new Set<string>()
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && PLATFORM_GLOBALS.has(node.text)) {
      const parent = node.parent
      const isPropertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        (ts.isPropertySignature(parent) && parent.name === node) ||
        ts.isBindingElement(parent) ||
        (ts.isParameter(parent) && parent.name === node) ||
        (ts.isVariableDeclaration(parent) && parent.name === node)
      if (!isPropertyName) found.add(node.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return [...found]
}

export function findViolations(root: string): Violation[] {
  const violations: Violation[] = []
  for (const top of ['client', 'server', 'shared', 'e2e', 'bench', 'scripts']) {
    const dir = path.join(root, top)
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue
    for (const file of listFiles(dir)) {
      const rel = path.relative(root, file).split(path.sep).join('/')
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
      const inSharedCrypto = rel.startsWith('shared/crypto/')
      for (const ref of importsOf(source)) {
        const target = ref.specifier.startsWith('.')
          ? path
              .relative(root, path.resolve(path.dirname(file), ref.specifier))
              .split(path.sep)
              .join('/')
          : ref.specifier
        if (!inSharedCrypto && !ref.typeOnly && CRYPTO_MODULES.test(ref.specifier) && top !== 'scripts') {
          violations.push({ file: rel, rule: 'crypto-outside-shared-crypto', detail: ref.specifier })
        }
        if (top === 'server' && target.startsWith('client/')) {
          violations.push({ file: rel, rule: 'server-imports-client', detail: ref.specifier })
        }
        if (top === 'client' && target.startsWith('server/') && !(ref.typeOnly && target === 'server/app')) {
          violations.push({ file: rel, rule: 'client-imports-server', detail: ref.specifier })
        }
        if (
          top === 'shared' &&
          !TEST.test(rel) &&
          rel !== PLATFORM_PROBE &&
          NODE_BUILTIN.test(ref.specifier)
        ) {
          violations.push({ file: rel, rule: 'shared-platform-api', detail: ref.specifier })
        }
        if (top === 'shared' && (target.startsWith('client/') || target.startsWith('server/'))) {
          violations.push({ file: rel, rule: 'shared-platform-api', detail: ref.specifier })
        }
      }
      if (top === 'shared' && !TEST.test(rel)) {
        for (const name of platformGlobalsOf(source)) {
          violations.push({ file: rel, rule: 'shared-platform-api', detail: name })
        }
      }
    }
  }
  return violations
}
