import autocannon from 'autocannon'
import { percentile } from './common'

/** One autocannon run against a relay-shaped server, counted the way every relay bench reports it. */

export interface LoadResult {
  /** 2xx answers a second over the measured time. */
  readonly rps: number
  /** Latency percentiles of the 2xx answers, ms. */
  readonly p50: number
  readonly p99: number
  readonly ok: number
  readonly created: number
  readonly other: number
  readonly errors: number
}

/** A POST whose body rotates through `pool` from `cursor.next`, so no envelope is sent twice. */
export function rotatingPost(
  path: string,
  pool: readonly Buffer[],
  cursor: { next: number },
): autocannon.Request {
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => {
      const body = pool[cursor.next % pool.length]
      cursor.next++
      return { ...req, body }
    },
  }
}

export function load(
  url: string,
  options: { readonly request: autocannon.Request; readonly connections: number; readonly seconds: number },
): Promise<LoadResult> {
  const latencies: number[] = []
  let ok = 0
  let created = 0
  let other = 0
  let errors = 0
  return new Promise((resolve, reject) => {
    let started = 0
    const instance = autocannon(
      { url, connections: options.connections, duration: options.seconds, requests: [options.request] },
      (error) => {
        if (error) return reject(error)
        const elapsed = (performance.now() - started) / 1000
        const sorted = Float64Array.from(latencies).sort()
        resolve({
          rps: (ok + created) / elapsed,
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          ok,
          created,
          other,
          errors,
        })
      },
    )
    instance.on('start', () => {
      started = performance.now()
    })
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status === 201) created++
      else if (status === 200) ok++
      else other++
      if (status >= 200 && status < 300) latencies.push(ms)
    })
    instance.on('reqError', () => {
      errors++
    })
  })
}
