import { spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { checkResources, checkResourceText, isDialableIn } from './check-resources'
import { RESOURCES, ROOT } from './resources-json'

const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', 'resources', name)
const problemsIn = (dir: string) => checkResources(dir).flatMap((r) => r.problems)
const entry = 'organization "example-helpline" › service "example-helpline-phone"'

const scratch = mkdtempSync(path.join(tmpdir(), 'heard-resources-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

describe('resources:check', () => {
  it('passes on the committed resources', () => {
    expect(problemsIn(RESOURCES)).toEqual([])
  })

  it('rejects an entry without source_url, naming the file and the entry', () => {
    expect(problemsIn(fixture('missing-source-url'))).toEqual([
      `scripts/fixtures/resources/missing-source-url/organizations.json: ${entry} › contact 1 (phone): organizations[0].services[0].contacts[0].source_url: missing: every entry cites a public source`,
    ])
  })

  it('rejects a phone number that does not exist where it is listed', () => {
    expect(problemsIn(fixture('invalid-phone'))).toEqual([
      `scripts/fixtures/resources/invalid-phone/organizations.json: ${entry} › contact 1 (phone): organizations[0].services[0].contacts[0].number: not a valid phone number in GB`,
    ])
  })

  it('rejects an unknown topic', () => {
    expect(problemsIn(fixture('unknown-topic'))).toEqual([
      `scripts/fixtures/resources/unknown-topic/organizations.json: ${entry}: organizations[0].services[0].topics[1]: unknown topic`,
    ])
  })

  it('fails the command (exit 1) and prints why', () => {
    const run = spawnSync(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['scripts/check-resources.ts', '--dir', fixture('unknown-topic')],
      { cwd: ROOT, encoding: 'utf8' },
    )
    expect(run.status).toBe(1)
    expect(run.stderr).toContain('unknown-topic/organizations.json')
    expect(run.stderr).toContain('unknown topic')
  })

  it('rejects a vanity number that does not spell its digits', () => {
    const file = JSON.parse(readFileSync(path.join(RESOURCES, 'organizations.json'), 'utf8'))
    const text = JSON.stringify(file).replace('"1-800-THE-LOST"', '"1-800-THE-LOSS"')
    expect(checkResourceText(text, 'organizations.json').problems).toEqual([
      expect.stringMatching(/contact 2 \(phone\): .*\.vanity: does not spell the number/),
    ])
  })

  it('rejects an emergency number libphonenumber does not know as one', () => {
    const file = JSON.parse(readFileSync(path.join(RESOURCES, 'emergency-numbers.json'), 'utf8'))
    const au = file.countries.find((c: { country: string }) => c.country === 'AU')
    au.numbers.push({ number: '123', types: ['police'] })
    expect(checkResourceText(JSON.stringify(file), 'emergency-numbers.json').problems).toEqual([
      expect.stringMatching(
        /country AU: countries\[\d+\]\.numbers\[\d+\]\.number: 123 is not an emergency number in AU/,
      ),
    ])
  })

  it('rejects a verification date in the future', () => {
    const text = readFileSync(path.join(fixture('unknown-topic'), 'organizations.json'), 'utf8')
      .replace('"cyberbullying"', '"stalking"')
      .replace('"verified_at": "2026-11-30"', '"verified_at": "2999-01-01"')
    expect(checkResourceText(text, 'x.json', '2026-12-01').problems).toEqual([
      expect.stringMatching(
        /organization "example-helpline": organizations\[0\]\.verified_at: in the future/,
      ),
    ])
  })

  it('rejects files it has no schema for, and a stale JSON Schema', () => {
    const dir = path.join(scratch, 'stale')
    cpSync(RESOURCES, dir, { recursive: true })
    writeFileSync(path.join(dir, 'notes.txt'), 'hello')
    writeFileSync(path.join(dir, 'other.json'), '{"format":"hsds"}')
    writeFileSync(path.join(dir, 'broken.json'), '{')
    const schema = path.join(dir, 'directory.schema.json')
    writeFileSync(schema, readFileSync(schema, 'utf8').replace('"stalking",', ''))
    const problems = problemsIn(dir).join('\n')
    expect(problems).toMatch(/notes\.txt: not a resource file/)
    expect(problems).toMatch(/other\.json: \(file\): format: not a known format/)
    expect(problems).toMatch(/broken\.json: not valid JSON/)
    expect(problems).toMatch(/directory\.schema\.json: stale: run `npm run resources:schema`/)
  })

  it('knows short numbers from full ones', () => {
    expect(isDialableIn('116 123', 'GB')).toBe(true)
    expect(isDialableIn('116 123', 'IE')).toBe(true)
    expect(isDialableIn('030 252 088 38', 'DE')).toBe(true)
    expect(isDialableIn('844-878-2274', 'US')).toBe(true)
    expect(isDialableIn('555 0100', 'GB')).toBe(false)
    expect(isDialableIn('116 123', 'ZZ')).toBe(false)
  })
})
