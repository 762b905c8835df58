import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { launchBrowser, newContext, VIEWPORTS } from '../e2e/browser'
import { watchContext } from '../e2e/page-watch'
import { startBuiltRelay, type TestRelay } from '../e2e/relay'
import { readSignedManifest } from '../shared/protocol'
import { intEnv, sealInChildren } from './children'
import { type CpuProfile, profileBreakdown } from './cpu-profile'

/**
 * `npm run bench:broker` — the broker console's sync of BENCH_REPORTS (10,000) sealed reports, in
 * real Chromium against the real relay, next to the floor under it: opening the same bytes with raw
 * `secretbox`. The budget (issue #4): ≤ 3 s on this machine.
 *
 * What runs, in one process:
 *   1. The real relay on the built app (`startBuiltRelay`, a throwaway data directory) and Debian's
 *      Chromium (`launchBrowser`) at desktop width, as the end-to-end tests run them.
 *   2. Setup through the UI, as e2e/broker.e2e.ts does: the relay's one-time link, the wizard,
 *      "Create the community", "Go to the inbox". The broker's box key comes from the signed manifest
 *      the relay then serves.
 *   3. Seeding, not timed: BENCH_REPORTS real reports (ReportV1 through encodeReport, about
 *      BENCH_REPORT_BYTES of varied text each, see bench/seal-reports.ts) sealed to that key in one
 *      child process per core, and POSTed to the relay BENCH_CONCURRENCY (20) at a time; every POST
 *      must be answered 201.
 *   4. Timed: "Sync now" in the broker's page, from the click event until the sync status says
 *      "Up to date." and the inbox lists every report, painted (a frame after the DOM shows them),
 *      and then a search typed into the search box lists the one report holding that word, painted:
 *      synced, opened and indexed. This is the whole of what a broker waits for: paging through
 *      the relay, opening each envelope (WebCrypto X25519, tweetnacl), decoding the report, sealing
 *      it again at rest, IndexedDB writes, then reading every record back, opening it, building the
 *      MiniSearch index and rendering the list. Every run starts from a device that holds nothing
 *      synced yet (that is what a broker meets on a new device): the first right after setup, each
 *      further one after clearing what the last one kept (see forgetSynced).
 *      The phases are read from the page itself (resource timing of each relay request, long tasks,
 *      DOM changes), so they need no hooks in the app.
 *   5. The floor, in the same browser, run just before step 4 while the broker's page idles: a blank
 *      page (no CSP) with tweetnacl's browser build, timing `nacl.secretbox.open` of BENCH_REPORTS
 *      ciphertexts of exactly the seeded bodies' sizes under one key; one cold round, then
 *      BENCH_RAW_ROUNDS (5) rounds whose median is the floor.
 *   6. Diagnostic, after step 4: the same relay pages fetched from Node with the broker's session
 *      (the page's own bearer token), to tell the relay's share of the paging from the browser's.
 *
 * The timed sync runs BENCH_RUNS (5) times: on a shared two-core machine one run of the same code
 * took anywhere from 2.9 to 4.7 s, so one run says as much about the neighbours as about the code.
 * Prints every run, the phases of the median run, the floor and the ratio median ÷ floor, then
 * PASS/FAIL: the median run against the budget, and every run must list every report; exits 1 on
 * FAIL. With BENCH_CPU_PROFILE_DIR the page's main thread is profiled over the
 * first timed run (CDP Profiler, 100 µs sampling, which adds a little to the time); the .cpuprofile is
 * written there (open it in Chrome DevTools) and summed up by kind of work. Built with
 * `npx vite build --sourcemap`, the summary names source modules instead of minified chunks.
 *
 * Environment: BENCH_REPORTS (10000), BENCH_REPORT_BYTES (2048: report text, UTF-8 bytes, ±25 %),
 * BENCH_CONCURRENCY (20), BENCH_RAW_ROUNDS (5), BENCH_RUNS (5), BENCH_TIMEOUT_SECONDS (300),
 * BENCH_CPU_PROFILE_DIR.
 */

const REPORTS = intEnv('BENCH_REPORTS', 10_000)
const REPORT_BYTES = intEnv('BENCH_REPORT_BYTES', 2048)
const CONCURRENCY = intEnv('BENCH_CONCURRENCY', 20)
const RAW_ROUNDS = intEnv('BENCH_RAW_ROUNDS', 5)
const RUNS = intEnv('BENCH_RUNS', 5)
const TIMEOUT_MS = intEnv('BENCH_TIMEOUT_SECONDS', 300) * 1000
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE_DIR || undefined

/** The budget this benchmark checks (issue #4). */
const BUDGET_MS = 3000

const COMMUNITY = 'bench-wiki'
/** A word only report 0 holds (the made-up vocabulary has no q or x): a search for it lists 1 report. */
const SEARCH_MARKER = 'quixotry'
const PASSPHRASE = 'correct horse battery staple'
const root = path.resolve(import.meta.dirname, '..')
const TWEETNACL_BROWSER_BUILD = path.join(root, 'node_modules/tweetnacl/nacl-fast.min.js')

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const seconds = (ms: number) => `${fmt(ms / 1000, 1)} s`

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** Step 1 of e2e/broker.e2e.ts: the one-time setup link, the wizard, and on to the (empty) inbox. */
async function createCommunity(page: Page, setupUrl: string): Promise<void> {
  await page.goto(setupUrl)
  await page.getByLabel('Community name').fill('Bench Wiki')
  await page.getByLabel('Short id for links').fill(COMMUNITY)
  await page
    .getByLabel('What complainants should know')
    .fill('The safety team of Bench Wiki reads every report.')
  await page.getByLabel('Your name as a broker').fill('Ada')
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE)
  await page.getByLabel('Passphrase again').fill(PASSPHRASE)
  await page.getByRole('button', { name: 'Create the community' }).click()
  await page.getByTestId('recovery-kit').waitFor({ timeout: 30_000 })
  await page.getByRole('button', { name: 'Go to the inbox' }).click()
  await page.getByText('No reports here.').waitFor()
  // The console syncs once as it opens (nothing yet): wait for that to finish before seeding.
  await page.getByRole('button', { name: 'Sync now' }).waitFor({ timeout: 30_000 })
  await page.getByTestId('sync-status').getByText('Up to date.').waitFor()
}

/** The broker's box key, as complainants' devices read it: from the signed manifest the relay serves. */
async function brokerBoxKey(relay: TestRelay): Promise<string> {
  const res = await fetch(`${relay.url}/api/v1/communities/${COMMUNITY}/manifest`)
  if (res.status !== 200) throw new Error(`manifest GET answered ${res.status}: ${await res.text()}`)
  const broker = readSignedManifest(await res.json()).manifest.brokers[0]
  if (!broker) throw new Error('the manifest names no broker')
  return broker.boxKey
}

/** POST every envelope, CONCURRENCY at a time; each must be stored anew (201). */
async function postAll(relay: TestRelay, envelopes: readonly string[]): Promise<void> {
  const url = `${relay.url}/api/v1/communities/${COMMUNITY}/reports`
  const refused: string[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < envelopes.length; i = next++) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: envelopes[i] as string,
        })
        const text = await res.text()
        if (res.status !== 201) refused.push(`report ${i}: ${res.status} ${text}`)
      }
    }),
  )
  if (refused.length > 0) throw new Error(`${refused.length} POSTs refused, e.g. ${refused[0]}`)
}

/** What the page recorded about one sync, times in ms from the page's time origin. */
interface SyncRecord {
  readonly click: number | null
  /** The status first said "Fetching and opening…". */
  readonly fetching: number | null
  /** The status said "Up to date." again: sync() returned (the list is reloaded after it). */
  readonly upToDate: number | null
  /** The DOM listed every report, with the status "Up to date.". */
  readonly listed: number | null
  /** A frame later: what the broker sees. */
  readonly painted: number | null
  /** The search box was given SEARCH_MARKER (right after `painted`). */
  readonly searchTyped: number | null
  /** The list showed only the one report holding the marker, a frame later: the index answers. */
  readonly searched: number | null
  readonly failed: boolean
  readonly longTasks: readonly { start: number; duration: number }[]
  readonly requests: readonly { path: string; start: number; end: number; bytes: number }[]
}

interface BenchWindow {
  __heardBench?: Promise<SyncRecord>
}

/**
 * tsx compiles this file keeping function names, which wraps the inner functions of every function
 * handed to page.evaluate in calls to its `__name` helper; the page needs one too (it is a no-op).
 */
const defineNameHelper = (page: Page) => page.evaluate('globalThis.__name ??= (fn) => fn')

/**
 * Arm the page: a capture-phase click listener stamps the click on "Sync now"; a MutationObserver
 * follows the status line and counts the inbox's items; long tasks and resource timings are kept.
 * Once every report is listed and painted, it types SEARCH_MARKER into the search box (as a person
 * would: the input event React listens to) and waits for the one report that holds it, so the
 * search index is part of what is timed wherever and whenever the app builds it.
 */
async function armSyncWatch(page: Page, expected: number, marker: string): Promise<void> {
  await defineNameHelper(page)
  await page.evaluate(
    ({ expected, marker }) => {
      const status = () => document.querySelector('[data-testid="sync-status"]')?.textContent ?? ''
      // The inbox draws a screenful of rows and says on the list how many it holds.
      const items = () =>
        Number(document.querySelector('[data-testid="inbox"]')?.getAttribute('data-count') ?? 0)
      const longTasks: { start: number; duration: number }[] = []
      const tasks = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration })
      })
      tasks.observe({ type: 'longtask' })
      performance.clearResourceTimings()
      performance.setResourceTimingBufferSize(10_000)
      const t = {
        click: null as number | null,
        fetching: null as number | null,
        upToDate: null as number | null,
        listed: null as number | null,
        painted: null as number | null,
        searchTyped: null as number | null,
        searched: null as number | null,
      }
      // One frame: rAF runs before the next paint, the timeout after it.
      const afterPaint = (then: () => void) => requestAnimationFrame(() => setTimeout(then, 0))
      let found = false
      ;(window as BenchWindow).__heardBench = new Promise<SyncRecord>((resolve) => {
        const finish = (failed: boolean) => {
          dom.disconnect()
          for (const e of tasks.takeRecords()) longTasks.push({ start: e.startTime, duration: e.duration })
          tasks.disconnect()
          const requests = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
            .filter((e) => e.name.includes('/api/'))
            .map((e) => ({
              path: new URL(e.name).pathname + new URL(e.name).search,
              start: e.startTime,
              end: e.responseEnd,
              bytes: e.encodedBodySize,
            }))
          resolve({ ...t, failed, longTasks, requests })
        }
        const search = () => {
          const input = document.querySelector<HTMLInputElement>('input[type="search"]')
          if (!input) return finish(true)
          // React tracks the value it set; the native setter makes this a change it sees.
          Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, marker)
          t.searchTyped = performance.now()
          input.dispatchEvent(new Event('input', { bubbles: true }))
        }
        document.addEventListener(
          'click',
          (event) => {
            const button = (event.target as Element | null)?.closest('button')
            if (t.click === null && button?.textContent?.includes('Sync now')) t.click = performance.now()
          },
          { capture: true },
        )
        const dom = new MutationObserver(() => {
          if (t.click === null) return
          const now = performance.now()
          const text = status()
          if (t.fetching === null) {
            if (!text.includes('Fetching')) return
            t.fetching = now
          }
          if (text.includes('could not be reached')) return finish(true)
          if (t.upToDate === null && text.includes('Up to date')) t.upToDate = now
          if (t.listed === null && t.upToDate !== null && items() === expected) {
            t.listed = now
            afterPaint(() => {
              t.painted = performance.now()
              search()
            })
          } else if (t.searchTyped !== null && !found && items() === 1) {
            found = true
            afterPaint(() => {
              t.searched = performance.now()
              finish(false)
            })
          }
        })
        dom.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true })
      })
    },
    { expected, marker },
  )
}

interface TimedSync {
  readonly record: SyncRecord
  readonly wallMs: number
  readonly profile: CpuProfile | null
  readonly profileStart: number
}

/** One timed sync, with what the budget reads from it. */
interface TimedRun extends TimedSync {
  readonly syncMs: number
  readonly listedMs: number
  readonly status: string
}

async function timedSync(page: Page, context: BrowserContext, profiled: boolean): Promise<TimedSync> {
  await armSyncWatch(page, REPORTS, SEARCH_MARKER)
  const cdp = profiled ? await context.newCDPSession(page) : null
  if (cdp) {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 })
    await cdp.send('Profiler.start')
  }
  // The page's clock just after the profiler started (a few ms late): places the phases in the profile.
  const profileStart = await page.evaluate(() => performance.now())
  const started = performance.now()
  await page.getByRole('button', { name: 'Sync now' }).click()
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), TIMEOUT_MS)
  })
  const record = await Promise.race([
    page.evaluate(() => (window as BenchWindow).__heardBench as Promise<SyncRecord>),
    timeout,
  ])
  clearTimeout(timer)
  const wallMs = performance.now() - started
  const profile = cdp ? ((await cdp.send('Profiler.stop')).profile as unknown as CpuProfile) : null
  if (!record) {
    const shown = Number((await page.getByTestId('inbox').getAttribute('data-count')) ?? 0)
    const status = await page.getByTestId('sync-status').textContent()
    throw new Error(
      `no full inbox after ${seconds(TIMEOUT_MS)}: ${shown} of ${REPORTS} reports listed, status "${status}"`,
    )
  }
  return { record, wallMs, profile, profileStart }
}

/** How page-watch words one request forgetSynced refuses. */
const REFUSED_ON_PURPOSE = 'console error: Failed to load resource: net::ERR_FAILED'

/**
 * Bring the broker's device back to holding nothing synced, keys kept: clear what a sync writes
 * (pages of records, cursors, the log audit's state) straight in IndexedDB, reload, and unlock. The
 * console syncs by itself on unlock; that sync is refused at the network so the next timed one
 * starts from nothing, like the first.
 */
async function forgetSynced(page: Page): Promise<void> {
  const refuse = '**/api/v1/communities/*/reports?*'
  await page.route(refuse, (route) => route.abort())
  await page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const opening = indexedDB.open('heard-broker')
        opening.onerror = () => reject(opening.error)
        opening.onsuccess = () => {
          const db = opening.result
          const tx = db.transaction(['pages', 'cursors', 'logs'], 'readwrite')
          for (const name of ['pages', 'cursors', 'logs']) tx.objectStore(name).clear()
          tx.oncomplete = () => {
            db.close()
            resolve()
          }
          tx.onerror = () => reject(tx.error)
        }
      }),
  )
  await page.reload()
  await page.getByLabel('Passphrase').fill(PASSPHRASE)
  await page.getByRole('button', { name: 'Unlock' }).click()
  await page.getByTestId('sync-status').getByText('could not be reached').waitFor({ timeout: 60_000 })
  await page.unroute(refuse)
  // The empty inbox: nothing synced is left on the device.
  await page.getByText('No reports here.').waitFor({ timeout: 5_000 })
}

/** The phases of a sync on the page's clock, as printPhases shows them and the profile is cut. */
function phasesOf(record: SyncRecord) {
  const listed = record.listed ?? 0
  const render = [...record.longTasks]
    .filter((task) => task.start <= listed && task.start + task.duration >= listed - 1)
    .sort((a, b) => b.duration - a.duration)[0]
  const events = record.requests.find((r) => r.path.includes('/events?'))
  // loadCases() starts with the manifest; its request leaves before React shows "Up to date.".
  const reload = record.requests.find((r) => r.path.endsWith('/manifest') && events && r.start >= events.end)
  const click = record.click ?? 0
  const synced = reload?.start ?? record.upToDate ?? click
  const renderStart = render?.start ?? listed
  return {
    render,
    events,
    reload,
    list: [
      { name: 'sync', from: click, to: synced },
      { name: 'load cases', from: synced, to: renderStart },
      { name: 'index+render', from: renderStart, to: listed },
      { name: 'layout+paint', from: listed, to: record.painted ?? listed },
      { name: 'search', from: record.painted ?? listed, to: record.searched ?? listed },
    ],
  }
}

/** Where the sync's time went, from the page's own record (ms since the click). */
function printPhases(record: SyncRecord): void {
  const t0 = record.click ?? 0
  const at = (t: number | null) => (t === null ? '—' : `${fmt(t - t0)} ms`)
  const pages = record.requests.filter((r) => r.path.includes('/reports?'))
  const { events, reload, render } = phasesOf(record)
  const network = pages.reduce((sum, r) => sum + (r.end - r.start), 0)
  // Between one page's arrival and the next request: opening, sealing at rest and writing that page.
  const work = pages.map((r, i) => (pages[i + 1]?.start ?? events?.start ?? r.end) - r.end)
  const opened = work.reduce((sum, ms) => sum + ms, 0)
  console.log('\nPhases of the timed sync (ms after the click; from the page, no hooks in the app):')
  console.log(`  status "Fetching…" shown                          ${at(record.fetching)}`)
  if (pages.length > 0) {
    console.log(
      `  ${pages.length} × GET /reports (${fmt(median(pages.map((r) => r.bytes)) / 1024 / 1024, 1)} MB each): ` +
        `first sent at ${at(pages[0]?.start ?? null)}, waiting on the relay ${fmt(network)} ms in all`,
    )
    console.log(
      `  open + decode + seal at rest + IndexedDB write, between pages: ${fmt(opened)} ms in all, ` +
        `${fmt((opened / Math.max(1, REPORTS)) * 1000)} µs a report (median page ${fmt(median(work))} ms)`,
    )
  }
  if (events)
    console.log(`  GET /events                                       ${at(events.start)} → ${at(events.end)}`)
  console.log(`  sync() done: status "Up to date." (list not yet reloaded) ${at(record.upToDate)}`)
  if (reload) console.log(`  reload starts: GET /manifest                      ${at(reload.start)}`)
  if (render) {
    const from = reload?.start ?? record.upToDate ?? render.start
    console.log(
      `  load cases (IndexedDB read + open ${fmt(REPORTS)} records)   ${at(from)} → ${at(render.start)}` +
        `  (${fmt(render.start - from)} ms)`,
    )
    console.log(
      `  one task: search index + render of the list         ${at(render.start)} → ${at(render.start + render.duration)}` +
        `  (${fmt(render.duration)} ms)`,
    )
  }
  console.log(`  every report in the DOM                            ${at(record.listed)}`)
  console.log(`  painted                                            ${at(record.painted)}`)
  console.log(
    `  search typed                                       ${at(record.searchTyped)}; ` +
      `the one report holding the word listed and painted ${at(record.searched)}`,
  )
  const long = record.longTasks.filter((task) => task.start >= t0)
  console.log(
    `  long tasks (> 50 ms) on the main thread: ${long.length}, ${fmt(long.reduce((s, x) => s + x.duration, 0))} ms in all; ` +
      `longest ${fmt(Math.max(0, ...long.map((x) => x.duration)))} ms`,
  )
}

/**
 * Diagnostic: the same pages fetched from Node with the broker's session, one after another as the
 * app does, with nothing else running: what the relay alone takes to serve them.
 */
async function printRelayAlone(relay: TestRelay, authorization: string): Promise<void> {
  const started = performance.now()
  let parseMs = 0
  let pages = 0
  let after = '0'
  for (;;) {
    const res = await fetch(`${relay.url}/api/v1/communities/${COMMUNITY}/reports?after=${after}&limit=500`, {
      headers: { authorization },
    })
    const text = await res.text()
    if (res.status !== 200) return console.log(`  (relay-alone diagnostic skipped: ${res.status} ${text})`)
    const parseStarted = performance.now()
    const page = JSON.parse(text) as { reports: unknown[]; next: string }
    parseMs += performance.now() - parseStarted
    pages++
    if (page.reports.length === 0) break
    after = page.next
  }
  const ms = performance.now() - started - parseMs
  console.log(
    `  diagnostic: the relay alone serves the same ${pages} pages in ${fmt(ms)} ms (from Node, ` +
      `${fmt(ms / pages)} ms a page; JSON.parse of them in Node ${fmt(parseMs)} ms)`,
  )
}

/** tweetnacl's browser build, as the app's own bundle uses it (nacl-fast). */
interface NaclInPage {
  randomBytes(n: number): Uint8Array
  secretbox: ((msg: Uint8Array, nonce: Uint8Array, key: Uint8Array) => Uint8Array) & {
    open(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array | null
  }
}

/**
 * The floor: `nacl.secretbox.open` of ciphertexts of the given sizes (bytes, tag included) under one
 * key, on a blank page of the same browser. Returns the cold round and the warm rounds, in ms.
 */
async function rawSecretboxOpen(
  context: BrowserContext,
  sizes: readonly number[],
): Promise<{ cold: number; rounds: number[] }> {
  const page = await context.newPage()
  try {
    await page.goto('about:blank')
    await page.addScriptTag({ content: readFileSync(TWEETNACL_BROWSER_BUILD, 'utf8') })
    await defineNameHelper(page)
    return await page.evaluate(
      ({ sizes, rounds }) => {
        const nacl = (window as unknown as { nacl: NaclInPage }).nacl
        const key = nacl.randomBytes(32)
        const boxes = sizes.map((size) => {
          const nonce = nacl.randomBytes(24)
          return { nonce, box: nacl.secretbox(nacl.randomBytes(size - 16), nonce, key) }
        })
        const openAll = () => {
          const start = performance.now()
          for (const { box, nonce } of boxes) {
            if (!nacl.secretbox.open(box, nonce, key)) throw new Error('a box failed to open')
          }
          return performance.now() - start
        }
        const cold = openAll()
        return { cold, rounds: Array.from({ length: rounds }, openAll) }
      },
      { sizes: [...sizes], rounds: RAW_ROUNDS },
    )
  } finally {
    await page.close()
  }
}

/** Bytes of a canonical envelope's body ciphertext (`ct`, unpadded base64url). */
const ciphertextBytes = (envelopeText: string): number =>
  Math.floor(((JSON.parse(envelopeText) as { ct: string }).ct.length * 3) / 4)

async function main(): Promise<void> {
  const started = performance.now()
  if (!existsSync(TWEETNACL_BROWSER_BUILD))
    throw new Error(`${TWEETNACL_BROWSER_BUILD} is missing: npm install`)
  const [relay, browser] = await Promise.all([startBuiltRelay(), launchBrowser()])
  try {
    console.log(
      `Heard broker sync benchmark: ${fmt(REPORTS)} reports of ~${fmt(REPORT_BYTES)} bytes of text; ` +
        `Chromium ${browser.version()}, node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ` +
        `load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}`,
    )
    const context = await newContext(browser, { viewport: VIEWPORTS[1280] })
    const watch = await watchContext(context, relay.origin)
    const page = await context.newPage()
    await createCommunity(page, relay.setupUrl)
    const boxKey = await brokerBoxKey(relay)
    console.log(
      `Community "${COMMUNITY}" created through the setup wizard (${seconds(performance.now() - started)})`,
    )

    const sealStarted = performance.now()
    const envelopes = await sealInChildren('seal-reports.ts', REPORTS, (first, count, file) => [
      COMMUNITY,
      boxKey,
      String(REPORT_BYTES),
      String(first),
      String(count),
      file,
      SEARCH_MARKER,
    ])
    if (envelopes.length !== REPORTS) throw new Error(`sealed ${envelopes.length} of ${REPORTS} reports`)
    const sizes = envelopes.map(ciphertextBytes)
    const buckets = new Map<number, number>()
    for (const size of sizes) buckets.set(size, (buckets.get(size) ?? 0) + 1)
    const sealMs = performance.now() - sealStarted
    const postStarted = performance.now()
    await postAll(relay, envelopes)
    const envelopeBytes = envelopes.reduce((sum, e) => sum + e.length, 0)
    console.log(
      `Seeded ${fmt(REPORTS)} reports: sealed in ${seconds(sealMs)}, POSTed in ${seconds(performance.now() - postStarted)} ` +
        `(${fmt(envelopeBytes / 1024 / 1024, 1)} MB of envelopes; body ciphertexts ${[...buckets]
          .sort((a, b) => a[0] - b[0])
          .map(([size, n]) => `${fmt(n)} × ${fmt(size)} B`)
          .join(', ')})`,
    )

    // The floor first, while the broker's page is idle, so neither run shares the cores with the other.
    const raw = await rawSecretboxOpen(context, sizes)
    const rawMs = median(raw.rounds)

    // The broker's bearer token, as the page sends it, for the relay-alone diagnostic below.
    let bearer: Promise<string | null> | null = null
    page.on('request', (request) => {
      if (!bearer && request.url().includes('/reports?')) bearer = request.headerValue('authorization')
    })
    const runs: TimedRun[] = []
    const refusedOnPurpose = new Set<number>()
    for (let run = 0; run < RUNS; run++) {
      if (run > 0) {
        const before = watch.problems().length
        await forgetSynced(page)
        // The requests refused on purpose show as console errors: those, and only those, are set aside.
        watch.problems().forEach((problem, i) => {
          if (i >= before && problem === REFUSED_ON_PURPOSE) refusedOnPurpose.add(i)
        })
      }
      const timed = await timedSync(page, context, run === 0 && PROFILE_DIR !== undefined)
      const click = timed.record.click ?? Number.NaN
      // The budget's time: synced, opened, listed and searchable, as the broker sees it.
      const syncMs = (timed.record.searched ?? Number.NaN) - click
      const listedMs = (timed.record.painted ?? Number.NaN) - click
      const status = (await page.getByTestId('sync-status').textContent()) ?? ''
      runs.push({ ...timed, syncMs, listedMs, status })
      console.log(`  run ${run + 1} of ${RUNS}: ${fmt(syncMs)} ms`)
    }
    const byTime = [...runs].sort((a, b) => a.syncMs - b.syncMs)
    // The median run (the lower middle one of an even count): its phases are the ones shown.
    const middle = byTime[Math.floor((byTime.length - 1) / 2)] as TimedRun
    const { record, wallMs, syncMs, listedMs } = middle
    const { profile, profileStart } = runs[0] as TimedRun
    console.log(`\nThe median run: run ${runs.indexOf(middle) + 1}.`)
    printPhases(record)
    const token = await (bearer as Promise<string | null> | null)
    if (token) await printRelayAlone(relay, token)
    if (profile && PROFILE_DIR) {
      mkdirSync(PROFILE_DIR, { recursive: true })
      const file = path.join(
        PROFILE_DIR,
        `broker-sync-${REPORTS}-${new Date().toISOString().replace(/[:.]/g, '-')}.cpuprofile`,
      )
      writeFileSync(file, JSON.stringify(profile))
      console.log(`\nCPU profile of the page's main thread: ${file}`)
      console.log('(the profile is of run 1)')
      const phases = phasesOf((runs[0] as TimedRun).record).list.map((p) => ({
        name: p.name,
        from: p.from - profileStart,
        to: p.to - profileStart,
      }))
      for (const line of profileBreakdown(profile, relay.origin, relay.staticDir, phases)) console.log(line)
    }
    const ratio = syncMs / rawMs
    console.log(
      `\nResults (${fmt(REPORTS)} reports; the median of ${RUNS} run${RUNS === 1 ? '' : 's'}: ` +
        `${runs.map((r) => fmt(r.syncMs)).join(' / ')} ms):`,
    )
    console.log(`  sync, click → every report listed and painted    ${fmt(listedMs).padStart(7)} ms`)
    console.log(
      `  … and a search answered from the index           ${fmt(syncMs).padStart(7)} ms   (budget ≤ ${fmt(BUDGET_MS)} ms)`,
    )
    console.log(`  the same, as the driver saw it (click() → done)  ${fmt(wallMs).padStart(7)} ms`)
    console.log(
      `  raw secretbox.open of the same-size bodies       ${fmt(rawMs, 1).padStart(7)} ms   ` +
        `(median of ${RAW_ROUNDS} warm rounds: ${raw.rounds.map((r) => fmt(r, 1)).join(' / ')}; cold ${fmt(raw.cold, 1)})`,
    )
    console.log(`  ratio sync ÷ raw                                 ${fmt(ratio, 1).padStart(7)} ×`)
    console.log(
      `  per report: sync ${fmt((syncMs / REPORTS) * 1000)} µs, raw ${fmt((rawMs / REPORTS) * 1000, 1)} µs`,
    )

    const problems = watch.problems().filter((_, i) => !refusedOnPurpose.has(i))
    const checks = [
      {
        what: `sync ≤ ${fmt(BUDGET_MS)} ms (click → every report listed and searchable; the median run)`,
        pass: syncMs <= BUDGET_MS,
      },
      {
        what: `every run: all ${fmt(REPORTS)} reports listed, status "Up to date.", the search found report 0 alone`,
        pass: runs.every(
          (r) =>
            !r.record.failed &&
            r.record.listed !== null &&
            r.record.searched !== null &&
            r.status.includes('Up to date.'),
        ),
      },
      { what: 'no page errors, CSP violations or requests elsewhere', pass: problems.length === 0 },
    ]
    for (const problem of problems) console.log(`  page: ${problem}`)
    console.log('\nBudget:')
    for (const check of checks) console.log(`  ${check.pass ? 'PASS' : 'FAIL'}  ${check.what}`)
    const pass = checks.every((c) => c.pass)
    console.log(`\n${pass ? 'PASS' : 'FAIL'} (run took ${seconds(performance.now() - started)})`)
    if (!pass) process.exitCode = 1
  } finally {
    await browser.close()
    await relay.stop()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
