import type { Context } from 'hono'
import { fromUtf8 } from '../../shared/crypto'
import { ProtocolError } from '../../shared/protocol'

/**
 * Read a JSON body with a hard size limit. With a Content-Length (what browsers send), the length
 * is checked first and the body read in one go — the Node adapter's fast path, which builds no
 * web stream (Node's parser delivers exactly that many bytes). A chunked body is counted as it
 * streams in and refused the moment it passes the limit.
 * Invalid UTF-8 counts as bad JSON: it is never repaired into something the client did not send.
 */
export async function readJsonBody(c: Context, maxBytes: number): Promise<unknown> {
  return parseJsonBytes(await readJsonBodyBytes(c, maxBytes))
}

/**
 * The raw bytes of a JSON body, with the same type and size checks as readJsonBody, for a route
 * that must check a signature over the exact bytes before it parses them.
 */
export async function readJsonBodyBytes(c: Context, maxBytes: number): Promise<Uint8Array> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new ProtocolError('unsupported_media_type')
  return readLimited(c, maxBytes, null)
}

/** The body, at most `maxBytes`; `empty` stands for a request without a body (null: invalid_json). */
async function readLimited(c: Context, maxBytes: number, empty: Uint8Array | null): Promise<Uint8Array> {
  const declared = c.req.header('content-length')
  if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
    if (!/^\d{1,12}$/.test(declared) || Number(declared) > maxBytes) throw new ProtocolError('body_too_large')
    return new Uint8Array(await c.req.raw.arrayBuffer())
  }
  return readCounted(c.req.raw.body, maxBytes, empty)
}

/**
 * The raw bytes of an `application/octet-stream` body (an attachment chunk), with the same size
 * checks as readJsonBodyBytes: never more than `maxBytes` is buffered. A missing body is empty.
 */
export async function readOctetBody(c: Context, maxBytes: number): Promise<Uint8Array> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/octet-stream\s*(;|$)/i.test(type))
    throw new ProtocolError('unsupported_chunk_media_type')
  return readLimited(c, maxBytes, new Uint8Array())
}

/** Strict UTF-8, then JSON; anything else is invalid_json. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(fromUtf8(bytes))
  } catch {
    throw new ProtocolError('invalid_json')
  }
}

async function readCounted(
  stream: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  empty: Uint8Array | null,
): Promise<Uint8Array> {
  if (!stream) {
    if (empty) return empty
    throw new ProtocolError('invalid_json')
  }
  const chunks: Uint8Array[] = []
  let total = 0
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel()
      throw new ProtocolError('body_too_large')
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}
