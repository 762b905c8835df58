import type { Context } from 'hono'
import { fromUtf8 } from '../../shared/crypto'
import { ProtocolError } from '../../shared/protocol'

/**
 * Read a JSON body as text with a hard size limit, whether or not the client sent Content-Length.
 * Invalid UTF-8 counts as bad JSON: it is never repaired into something the client did not send.
 */
export async function readJsonBody(c: Context, maxBytes: number): Promise<unknown> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/json\s*(;|$)/i.test(type)) throw new ProtocolError('unsupported_media_type')
  const declared = Number(c.req.header('content-length') ?? Number.NaN)
  if (declared > maxBytes) throw new ProtocolError('body_too_large')
  const stream = c.req.raw.body
  if (!stream) throw new ProtocolError('invalid_json')
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
  try {
    return JSON.parse(fromUtf8(bytes))
  } catch {
    throw new ProtocolError('invalid_json')
  }
}
