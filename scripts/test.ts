/**
 * `npm test`: every check CI runs, in order, with one closing line `N passed, N failed`.
 * typecheck, lint, the referral-data check (resources:check) and the PWA build count as one test
 * each; vitest's unit, integration (SQLite and PostgreSQL) and e2e (Chromium) projects count test
 * by test. A skipped test counts as failed: nothing here may skip in silence. The translation
 * status (i18n:status) is printed for information and counts neither way.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name)
const results: { name: string; passed: number; failed: number; seconds: number }[] = []

function step(name: string, command: string, args: string[]): boolean {
  const started = Date.now()
  console.log(`\n── ${name}: ${path.basename(command)} ${args.join(' ')}`)
  const run = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0' },
  })
  const ok = run.status === 0
  results.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, seconds: (Date.now() - started) / 1000 })
  return ok
}

/** Printed for the reader; its outcome is not a test. */
function info(name: string, command: string, args: string[]): void {
  console.log(`\n── ${name} (for information, not counted): ${path.basename(command)} ${args.join(' ')}`)
  spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } })
}

step('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json'])
step('lint and format', bin('biome'), ['ci', '.'])
step('resources:check', bin('tsx'), ['scripts/check-resources.ts'])
step('build the PWA', bin('vite'), ['build', '--logLevel', 'warn'])
info('i18n:status', bin('tsx'), ['scripts/i18n-status.ts'])

const reportDir = path.join(root, '.test-tmp')
const report = path.join(reportDir, 'vitest.json')
mkdirSync(reportDir, { recursive: true })
rmSync(report, { force: true })
const started = Date.now()
console.log('\n── vitest: unit, integration (SQLite + PostgreSQL), e2e (Chromium)')
spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, FORCE_COLOR: '0' },
})
if (existsSync(report)) {
  const summary = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number
    numFailedTests: number
    numPendingTests: number
    numTodoTests: number
    testResults: { status: string; assertionResults: unknown[] }[]
  }
  // A file that fails to load has no assertion results: count it as a failure too.
  const brokenFiles = summary.testResults.filter(
    (f) => f.status === 'failed' && f.assertionResults.length === 0,
  ).length
  const skipped = summary.numPendingTests + summary.numTodoTests
  if (skipped > 0)
    console.log(`\n${skipped} test(s) were skipped: counted as failed, since nothing may skip in silence.`)
  results.push({
    name: 'vitest',
    passed: summary.numPassedTests,
    failed: summary.numFailedTests + skipped + brokenFiles,
    seconds: (Date.now() - started) / 1000,
  })
} else {
  console.log('\nvitest wrote no report: counted as one failure.')
  results.push({ name: 'vitest', passed: 0, failed: 1, seconds: (Date.now() - started) / 1000 })
}

console.log('\n── summary')
for (const r of results) {
  console.log(
    `${r.failed === 0 ? 'ok  ' : 'FAIL'} ${r.name.padEnd(18)} ${r.passed} passed, ${r.failed} failed (${r.seconds.toFixed(0)} s)`,
  )
}
const passed = results.reduce((n, r) => n + r.passed, 0)
const failed = results.reduce((n, r) => n + r.failed, 0)
console.log(`\n${passed} passed, ${failed} failed`)
process.exit(failed === 0 ? 0 : 1)
