import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'

/**
 * Node only. A coarse summary of a V8 CPU profile (CDP `Profiler.stop`, the `.cpuprofile` format):
 * self time by kind of work and the functions that take the most. Frames are placed in their source
 * module through the bundle's source maps when the built app has them (`npx vite build --sourcemap`),
 * else by chunk file. A built-in (JSON.parse, TextDecoder…) counts towards the script that called it.
 */

export interface CpuProfileNode {
  readonly id: number
  readonly callFrame: {
    readonly functionName: string
    readonly url: string
    /** 0-based, in the generated (bundled) file. */
    readonly lineNumber: number
    readonly columnNumber: number
  }
  readonly children?: readonly number[]
}

export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[]
  readonly startTime: number
  readonly endTime: number
  readonly samples?: readonly number[]
  /** µs between consecutive samples (the first from startTime). */
  readonly timeDeltas?: readonly number[]
}

/** Kinds of work, by source module (node_modules/<package>/… or a path in this repository). */
const KINDS: readonly (readonly [RegExp, string])[] = [
  [
    /node_modules\/(tweetnacl|@noble)\/|^shared\/crypto\//,
    'crypto: tweetnacl, SHA-256, base64url (shared/crypto)',
  ],
  [/node_modules\/valibot\/|^shared\/protocol\//, 'schemas: valibot, envelope and report parsing'],
  [/node_modules\/dexie\/|^client\/broker\/engine\/db\.ts/, 'IndexedDB: Dexie'],
  [/node_modules\/minisearch\//, 'search index: MiniSearch'],
  [
    /node_modules\/(react|react-dom|scheduler|@lingui\/[^/]+)\/|\.tsx$|^client\/report\/format-time|^client\/broker\/deadlines/,
    'rendering: React, components, Lingui, Intl',
  ],
  [/^client\/broker\/engine\//, 'broker engine: sync, cases, vault (own code)'],
  [/^client\//, 'other app code'],
]

const SPECIAL: Readonly<Record<string, string>> = {
  '(idle)': 'idle: waiting for the relay, IndexedDB, WebCrypto',
  '(program)': 'browser outside JS: style, layout, paint, IPC, IndexedDB glue',
  '(garbage collector)': 'garbage collection',
}

// --- Source maps (v3): enough to place a generated line/column in its source file. ---

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const BASE64_VALUE = new Map([...BASE64].map((c, i) => [c, i]))

/** Per generated line: [generated column, source index, source line (0-based), name index or -1], by column. */
type Segment = readonly [number, number, number, number]
type LineMap = readonly Segment[]

function parseMappings(mappings: string): LineMap[] {
  const lines: LineMap[] = []
  let source = 0
  let sourceLine = 0
  let name = 0
  for (const line of mappings.split(';')) {
    const segments: Segment[] = []
    let column = 0
    for (const segment of line.split(',')) {
      if (!segment) continue
      const fields: number[] = []
      let value = 0
      let shift = 0
      for (const char of segment) {
        const digit = BASE64_VALUE.get(char) ?? 0
        value += (digit & 31) << shift
        if (digit & 32) shift += 5
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1)
          value = 0
          shift = 0
        }
      }
      column += fields[0] ?? 0
      if (fields.length >= 4) {
        source += fields[1] ?? 0
        sourceLine += fields[2] ?? 0
        if (fields.length >= 5) name += fields[4] ?? 0
        segments.push([column, source, sourceLine, fields.length >= 5 ? name : -1])
      }
    }
    lines.push(segments)
  }
  return lines
}

interface SourceMap {
  readonly sources: readonly string[]
  readonly names: readonly string[]
  readonly lines: readonly LineMap[]
  /** The generated file's own lines, to tell a function's name from a nearby identifier's. */
  readonly code: readonly string[]
}

/** Where a frame's function starts: its source file, line (1-based) and, from the map, its own name. */
interface Place {
  readonly source: string
  readonly line: number | null
  readonly name: string | null
}

/** A stretch of the profile to sum up on its own: ms from the profile's start. */
export interface ProfilePhase {
  readonly name: string
  readonly from: number
  readonly to: number
}

/** node_modules/<package>/… or a repository path, from a map's source entry. */
function normalizeSource(source: string): string {
  const modules = source.lastIndexOf('node_modules/')
  if (modules >= 0) return source.slice(modules)
  return source.replace(/^(\.\.\/|\.\/)+/, '').replace(/^\/+/, '')
}

export function profileBreakdown(
  profile: CpuProfile,
  origin: string,
  staticDir: string,
  phases: readonly ProfilePhase[] = [],
): string[] {
  const maps = new Map<string, SourceMap | null>()
  const mapOf = (url: string): SourceMap | null => {
    if (maps.has(url)) return maps.get(url) ?? null
    let map: SourceMap | null = null
    if (url.startsWith(origin)) {
      const script = path.join(staticDir, new URL(url).pathname)
      const file = `${script}.map`
      if (existsSync(file) && existsSync(script)) {
        const json = JSON.parse(readFileSync(file, 'utf8')) as {
          sources: string[]
          names?: string[]
          mappings: string
        }
        map = {
          sources: json.sources.map(normalizeSource),
          names: json.names ?? [],
          lines: parseMappings(json.mappings),
          code: readFileSync(script, 'utf8').split('\n'),
        }
      }
    }
    maps.set(url, map)
    return map
  }
  const placeOf = (frame: CpuProfileNode['callFrame']): Place => {
    const map = mapOf(frame.url)
    if (!map) {
      const source = frame.url.startsWith(origin) ? `${new URL(frame.url).pathname}` : frame.url
      return { source, line: frame.lineNumber + 1, name: null }
    }
    const segments = map.lines[frame.lineNumber] ?? []
    let at = -1
    for (let i = 0; i < segments.length && (segments[i]?.[0] ?? 0) <= frame.columnNumber; i++) at = i
    const found = segments[at]
    if (!found) return { source: '?', line: null, name: null }
    // V8 places a function at its parameter list. Its name is the identifier the map names just
    // before that, when only `=`, `:` or nothing stands between: `f=(…`, `f:(…`, `function f(…`.
    let name: string | null = null
    const code = map.code[frame.lineNumber] ?? ''
    for (let i = at; i >= 0 && !name; i--) {
      const segment = segments[i] as Segment
      if (segment[0] >= frame.columnNumber) continue
      if (
        segment[3] >= 0 &&
        /^[\w$]+\s*[=:]?\s*(async\s*)?$/.test(code.slice(segment[0], frame.columnNumber))
      ) {
        name = map.names[segment[3]] ?? null
      }
      break
    }
    return { source: map.sources[found[1]] ?? '?', line: found[2] + 1, name }
  }

  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)

  let mapped = false
  const classified = new Map<number, { kind: string; label: string }>()
  const classify = (node: CpuProfileNode): { kind: string; label: string } => {
    const known = classified.get(node.id)
    if (known) return known
    const name = node.callFrame.functionName
    let kind = SPECIAL[name]
    let label = name
    if (!kind) {
      // A built-in has no URL: it counts towards the nearest caller that has one.
      let frame: CpuProfileNode | undefined = node
      while (frame && !frame.callFrame.url) frame = byId.get(parent.get(frame.id) ?? -1)
      const place = frame ? placeOf(frame.callFrame) : { source: '(no script)', line: null, name: null }
      if (frame && mapOf(frame.callFrame.url)) mapped = true
      kind = KINDS.find(([pattern]) => pattern.test(place.source))?.[1] ?? place.source
      const at = `${place.source}${place.line === null ? '' : `:${place.line}`}`
      label =
        frame === node
          ? `${place.name ?? (name || '(anonymous)')}  [${at}]`
          : `${name || '(anonymous)'}  [built-in, from ${at}]`
    }
    classified.set(node.id, { kind, label })
    return { kind, label }
  }

  // Self time, µs: each sample lasts until the next one. Per node, per kind, per function, per phase.
  const self = new Map<number, number>()
  const kinds = new Map<string, number>()
  const functions = new Map<string, number>()
  const byPhase = phases.map(() => new Map<string, number>())
  const samples = profile.samples ?? []
  const deltas = profile.timeDeltas ?? []
  let total = 0
  let clock = 0
  for (let i = 0; i < samples.length; i++) {
    clock += deltas[i] ?? 0
    const us = i + 1 < deltas.length ? (deltas[i + 1] as number) : 0
    const node = byId.get(samples[i] as number)
    if (!node || us === 0) continue
    total += us
    self.set(node.id, (self.get(node.id) ?? 0) + us)
    const { kind, label } = classify(node)
    kinds.set(kind, (kinds.get(kind) ?? 0) + us)
    functions.set(label, (functions.get(label) ?? 0) + us)
    const phase = phases.findIndex((p) => clock / 1000 >= p.from && clock / 1000 < p.to)
    const sums = byPhase[phase]
    if (sums) sums.set(kind, (sums.get(kind) ?? 0) + us)
  }

  const ms = (us: number) => (us / 1000).toLocaleString('en-US', { maximumFractionDigits: 0 }).padStart(6)
  const pct = (us: number) => `${((100 * us) / Math.max(1, total)).toFixed(1).padStart(5)} %`
  const lines = [
    `Main-thread time by kind of work (self time, ${ms(total).trim()} ms sampled${
      mapped ? ', placed through source maps' : '; build with `npx vite build --sourcemap` to name modules'
    }):`,
  ]
  for (const [kind, us] of [...kinds].sort((a, b) => b[1] - a[1])) {
    if (us >= total * 0.002) lines.push(`  ${ms(us)} ms ${pct(us)}  ${kind}`)
  }
  if (phases.length > 0) {
    lines.push('The same by phase (ms; columns as in the phases above):')
    const width = 14
    lines.push(`  ${phases.map((p) => p.name.slice(0, width - 1).padStart(width)).join('')}  kind of work`)
    const phaseTotals = byPhase.map((sums) => [...sums.values()].reduce((a, b) => a + b, 0))
    lines.push(`  ${phaseTotals.map((us) => ms(us).padStart(width)).join('')}  (all)`)
    for (const [kind, us] of [...kinds].sort((a, b) => b[1] - a[1])) {
      if (us < total * 0.005) continue
      lines.push(`  ${byPhase.map((sums) => ms(sums.get(kind) ?? 0).padStart(width)).join('')}  ${kind}`)
    }
  }
  lines.push('Top functions by self time:')
  for (const [label, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
    lines.push(`  ${ms(us)} ms ${pct(us)}  ${label}`)
  }
  if (mapped) {
    lines.push(
      "The app's own functions by total time (inclusive: a sample counts once for each on its stack):",
    )
    for (const [label, us] of [...inclusiveOwnTime(profile, self, byId, parent, placeOf)]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 20)) {
      lines.push(`  ${ms(us)} ms ${pct(us)}  ${label}`)
    }
  }
  return lines
}

/** Total time of each function of this repository (client/, shared/), µs, from the nodes' self times. */
function inclusiveOwnTime(
  profile: CpuProfile,
  self: ReadonlyMap<number, number>,
  byId: ReadonlyMap<number, CpuProfileNode>,
  parent: ReadonlyMap<number, number>,
  placeOf: (frame: CpuProfileNode['callFrame']) => Place,
): Map<string, number> {
  const labelOf = (node: CpuProfileNode): string | null => {
    if (!node.callFrame.url) return null
    const place = placeOf(node.callFrame)
    if (!/^(client|shared)\//.test(place.source)) return null
    return `${place.name ?? (node.callFrame.functionName || '(anonymous)')}  [${place.source}:${place.line}]`
  }
  // The distinct own functions on each node's stack, memoised from the root down.
  const stacks = new Map<number, readonly string[]>()
  const stackOf = (id: number): readonly string[] => {
    const chain: CpuProfileNode[] = []
    let at: number | undefined = id
    while (at !== undefined && !stacks.has(at)) {
      const node = byId.get(at)
      if (!node) break
      chain.push(node)
      at = parent.get(at)
    }
    let labels = at === undefined ? [] : (stacks.get(at) ?? [])
    for (const node of chain.reverse()) {
      const label = labelOf(node)
      if (label && !labels.includes(label)) labels = [...labels, label]
      stacks.set(node.id, labels)
    }
    return stacks.get(id) ?? []
  }
  const totals = new Map<string, number>()
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0
    if (us === 0) continue
    for (const label of stackOf(node.id)) totals.set(label, (totals.get(label) ?? 0) + us)
  }
  return totals
}
