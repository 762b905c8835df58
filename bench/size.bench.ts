import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'

/**
 * `npm run bench:size`: what the complainant's first screen downloads before it can show the form,
 * measured on the built app in dist/ (run `npm run build` first). Counted: the entry script, every
 * script it imports statically (modulepreload or import), and the one language catalog the entry
 * awaits before the first render. Not counted: chunks loaded after the first paint (the engine with
 * Dexie and tweetnacl). Budget from the complainant-app issue: 120 KB gzipped. Exits 1 when over.
 */
const BUDGET_BYTES = 120 * 1000
const dist = path.resolve(import.meta.dirname, '../dist')
const html = readFileSync(path.join(dist, 'index.html'), 'utf8')

const entry = /<script type="module"[^>]*\ssrc="\/([^"]+)"/.exec(html)?.[1]
if (!entry) throw new Error('dist/index.html has no module entry script: run npm run build first')

const read = (file: string) => readFileSync(path.join(dist, file))
const gz = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length

/** Static imports only: `import … from "./x.js"` and bare `import "./x.js"`, not `import("./x.js")`. */
function staticImports(file: string): string[] {
  const code = read(file).toString('utf8')
  const found = new Set<string>()
  for (const m of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']/g)) {
    if (m[1]) found.add(path.posix.join(path.posix.dirname(file), m[1]))
  }
  return [...found]
}

const initial = new Set<string>()
const queue = [entry]
for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
  if (initial.has(file)) continue
  initial.add(file)
  queue.push(...staticImports(file))
}
for (const m of html.matchAll(/<link rel="modulepreload"[^>]*href="\/([^"]+)"/g)) if (m[1]) initial.add(m[1])

// The entry awaits the active catalog before rendering; English is the default and the largest source.
const catalog = readdirSync(path.join(dist, 'assets')).find((f) => /^messages-.*\.js$/.test(f))
if (catalog) initial.add(`assets/${catalog}`)

const rows = [...initial].map((file) => ({ file, raw: read(file).length, gzip: gz(read(file)) }))
const lazy = readdirSync(path.join(dist, 'assets'))
  .filter((f) => f.endsWith('.js') && !initial.has(`assets/${f}`))
  .map((f) => ({ file: `assets/${f}`, raw: read(`assets/${f}`).length, gzip: gz(read(`assets/${f}`)) }))
const css = readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.css'))

const kb = (n: number) => `${(n / 1000).toFixed(1)} KB`
const total = rows.reduce((sum, r) => sum + r.gzip, 0)
console.log('Initial JavaScript of the complainant route (gzip -9):')
for (const r of rows)
  console.log(`  ${r.file.padEnd(40)} ${kb(r.raw).padStart(10)} raw  ${kb(r.gzip).padStart(9)} gzip`)
console.log(
  `  ${'total'.padEnd(40)} ${''.padStart(10)}      ${kb(total).padStart(9)} gzip  (budget ${kb(BUDGET_BYTES)})`,
)
console.log('Loaded after the first paint:')
for (const r of lazy)
  console.log(`  ${r.file.padEnd(40)} ${kb(r.raw).padStart(10)} raw  ${kb(r.gzip).padStart(9)} gzip`)
for (const f of css) console.log(`Stylesheet ${f}: ${kb(gz(read(`assets/${f}`)))} gzip`)
const pass = total <= BUDGET_BYTES
console.log(
  `${pass ? 'PASS' : 'FAIL'}: ${kb(total)} of ${kb(BUDGET_BYTES)} (${((total / BUDGET_BYTES) * 100).toFixed(0)}% of budget)`,
)
process.exitCode = pass ? 0 : 1
