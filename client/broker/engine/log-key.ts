import * as v from 'valibot'
import { API_PREFIX, b64 } from '../../../shared/protocol'
import { relayJson } from './relay'

/**
 * Browser only. The relay's log key, for the admin to record in a manifest. Trusted once: after
 * that, apps take it from the signed manifest, so the relay cannot swap it.
 */
export async function relayLogKey(): Promise<string> {
  return v.parse(v.object({ key: b64(32) }), await relayJson(`${API_PREFIX}/log-key`)).key
}
