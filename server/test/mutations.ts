import fc from 'fast-check'

/**
 * Mutations of a valid JSON request body, as fast-check arbitraries producing the body text:
 * dropped fields, wrong types, huge numbers, unknown fields, unicode in strings, character flips
 * inside strings (base64 fields included), truncation, and raw bit flips of the serialized bytes.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** Every path to a value inside `value`, e.g. ['recipients', 0, 'kid']. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = prefix.length ? [prefix] : []
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...paths(v, [...prefix, i]))
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]))
  return out
}

function update(value: Json, path: (string | number)[], fn: (old: Json) => Json | undefined): Json {
  if (path.length === 0) return fn(value) ?? null
  const [head, ...rest] = path
  if (Array.isArray(value)) {
    const copy = value.slice()
    const next = update(copy[head as number] as Json, rest, fn)
    if (rest.length === 0 && fn(copy[head as number] as Json) === undefined) copy.splice(head as number, 1)
    else copy[head as number] = next
    return copy
  }
  const copy = { ...(value as Record<string, Json>) }
  if (rest.length === 0) {
    const replaced = fn(copy[head as string] as Json)
    if (replaced === undefined) delete copy[head as string]
    else copy[head as string] = replaced
    return copy
  }
  copy[head as string] = update(copy[head as string] as Json, rest, fn)
  return copy
}

const wrongValue = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(1e308, -1e308, 2 ** 53 + 2, -0, 0.5, Number.MAX_SAFE_INTEGER),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', '\u0000', '😀😀', 'ａｂｃ', '../../etc', 'DROP TABLE reports', 'A'.repeat(5000)),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
)

export function mutatedBodies(base: Json): fc.Arbitrary<string> {
  const all = paths(base)
  const text = JSON.stringify(base)
  const bytes = new TextEncoder().encode(text)
  const path = fc.constantFrom(...all)
  const stringPaths = all.filter((p) => {
    let v: Json = base
    for (const k of p) v = (v as Record<string | number, Json>)[k] as Json
    return typeof v === 'string' && v.length > 0
  })
  const get = (p: (string | number)[]): Json =>
    p.reduce<Json>((v, k) => (v as Record<string | number, Json>)[k] as Json, base)

  const drop = path.map((p) => JSON.stringify(update(base, p, () => undefined)))
  const retype = fc.tuple(path, wrongValue).map(([p, v]) => JSON.stringify(update(base, p, () => v)))
  const extra = fc
    .tuple(fc.string({ minLength: 1, maxLength: 12 }), wrongValue)
    .map(([k, v]) =>
      JSON.stringify({ ...(base as Record<string, Json>), [k in (base as object) ? `${k}_` : k]: v }),
    )
  const charFlip = fc
    .tuple(
      fc.constantFrom(...stringPaths),
      fc.nat(),
      fc.oneof(fc.constantFrom(...BASE64URL), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
    )
    .map(([p, at, ch]) =>
      JSON.stringify(
        update(base, p, (old) => {
          const s = old as string
          const i = at % s.length
          return s.slice(0, i) + ch + s.slice(i + 1)
        }),
      ),
    )
  const unicodeId = fc
    .tuple(fc.constantFrom(...stringPaths), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }))
    .map(([p, s]) => JSON.stringify(update(base, p, () => s)))
  const truncate = fc.integer({ min: 0, max: text.length - 1 }).map((n) => text.slice(0, n))
  const bitFlip = fc.integer({ min: 0, max: bytes.length * 8 - 1 }).map((bit) => {
    const copy = bytes.slice()
    copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7))
    return new TextDecoder().decode(copy)
  })
  const shuffledLength = fc
    .constantFrom(...stringPaths)
    .map((p) => JSON.stringify(update(base, p, () => `${get(p)}A`)))
  return fc
    .oneof(drop, retype, extra, charFlip, unicodeId, truncate, bitFlip, shuffledLength)
    .filter((body) => body !== text)
}

/**
 * Mutations of a valid binary body (an attachment chunk envelope): bit flips anywhere, several at
 * once, truncation, bytes appended, header bytes and whole header fields replaced, random bytes,
 * and a body just over `maxBytes`. `headerBytes` is how long the envelope's header is.
 */
export function mutatedBinaryBodies(
  base: Uint8Array,
  headerBytes: number,
  maxBytes: number,
): fc.Arbitrary<Uint8Array> {
  const flip = (bytes: Uint8Array, bit: number) => {
    bytes[bit >> 3] = (bytes[bit >> 3] as number) ^ (1 << (bit & 7))
  }
  const bit = fc.integer({ min: 0, max: base.length * 8 - 1 })
  const headerBit = fc.integer({ min: 0, max: headerBytes * 8 - 1 })
  const bitFlip = fc.oneof(bit, headerBit).map((b) => {
    const copy = base.slice()
    flip(copy, b)
    return copy
  })
  const bitFlips = fc.array(bit, { minLength: 2, maxLength: 8 }).map((bits) => {
    const copy = base.slice()
    for (const b of bits) flip(copy, b)
    return copy
  })
  const truncate = fc.integer({ min: 0, max: base.length - 1 }).map((n) => base.slice(0, n))
  const extend = fc
    .oneof(
      fc.uint8Array({ minLength: 1, maxLength: 64 }),
      fc.constantFrom(16, 4096, 8192).map((n) => new Uint8Array(n)),
    )
    .map((tail) => {
      const out = new Uint8Array(base.length + tail.length)
      out.set(base)
      out.set(tail, base.length)
      return out
    })
  const headerByte = fc
    .tuple(fc.integer({ min: 0, max: headerBytes - 1 }), fc.integer({ min: 0, max: 255 }))
    .map(([at, value]) => {
      const copy = base.slice()
      copy[at] = value
      return copy
    })
  // Whole fields: version, flags, the big-endian index, the file id.
  const field = fc
    .oneof(
      fc.tuple(fc.constant(4), fc.uint8Array({ minLength: 1, maxLength: 1 })),
      fc.tuple(fc.constant(5), fc.uint8Array({ minLength: 1, maxLength: 1 })),
      fc.tuple(fc.constant(6), fc.uint8Array({ minLength: 4, maxLength: 4 })),
      fc.tuple(fc.constant(10), fc.uint8Array({ minLength: 16, maxLength: 16 })),
    )
    .map(([at, value]) => {
      const copy = base.slice()
      copy.set(value, at)
      return copy
    })
  const random = fc.uint8Array({ maxLength: 600 })
  const oversized = fc.integer({ min: 1, max: 4096 }).map((extra) => {
    const out = new Uint8Array(maxBytes + extra)
    out.set(base)
    return out
  })
  return fc
    .oneof(bitFlip, bitFlips, truncate, extend, headerByte, field, random, oversized)
    .filter((body) => body.length !== base.length || body.some((b, i) => b !== base[i]))
}
