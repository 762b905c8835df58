import { type BoxPublicKey, type BoxSecretKey, open, seal } from '../../shared/crypto'
import {
  API_PREFIX,
  type CaseEventReceipt,
  type CaseEventsPage,
  decodeSignedCaseEvent,
  EnvelopeKind,
  type EnvelopeV1Json,
  encodeSignedCaseEvent,
  envelopeFromJson,
  envelopeToJson,
  type SignedCaseEvent,
} from '../../shared/protocol'
import type { RelayFetch } from './mailbox-client'

/**
 * Case events driven over HTTP the way the broker console does it: for integration tests (pass the
 * relay app's `request` as `fetch`) and e2e tests (a running relay, the global fetch), including
 * tests that slip in a forged event. `baseUrl` is the relay's origin, without `/api/v1`. Every
 * helper throws on an answer other than the one it expects.
 */

interface Relay {
  readonly baseUrl: string
  readonly fetch?: RelayFetch
}

/** POST here to append an event to one case (a report id). */
export const caseEventsUrl = (baseUrl: string, community: string, caseId: string): string =>
  `${baseUrl}${API_PREFIX}/communities/${community}/cases/${caseId}/events`

/** GET here for every case event of the community. */
export const communityEventsUrl = (baseUrl: string, community: string): string =>
  `${baseUrl}${API_PREFIX}/communities/${community}/events`

/** A `case-event` envelope whose plaintext is encodeSignedCaseEvent(signed), sealed to `recipients`. */
export async function sealCaseEvent(input: {
  community: string
  recipients: readonly BoxPublicKey[]
  signed: SignedCaseEvent
}): Promise<EnvelopeV1Json> {
  const sealed = await seal(encodeSignedCaseEvent(input.signed), input.recipients, {
    version: 1,
    kind: EnvelopeKind.caseEvent,
    community: input.community,
  })
  return envelopeToJson(sealed)
}

/**
 * Post a case event with a broker's bearer `token`: either `signed` (sealed here to `recipients`,
 * usually the community's brokers) or an `envelope` sealed already (to retry one exactly). Expects
 * 201 (stored) or 200 (the same envelope was stored before).
 */
export async function postCaseEvent(
  input: Relay & { community: string; token: string; caseId: string } & (
      | { recipients: readonly BoxPublicKey[]; signed: SignedCaseEvent }
      | { envelope: EnvelopeV1Json }
    ),
): Promise<{ status: 200 | 201; receipt: CaseEventReceipt; envelope: EnvelopeV1Json }> {
  const fetcher = input.fetch ?? fetch
  const envelope =
    'envelope' in input
      ? input.envelope
      : await sealCaseEvent({
          community: input.community,
          recipients: input.recipients,
          signed: input.signed,
        })
  const res = await fetcher(caseEventsUrl(input.baseUrl, input.community, input.caseId), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${input.token}` },
    body: JSON.stringify(envelope),
  })
  if (res.status !== 200 && res.status !== 201) {
    throw new Error(`case event refused: ${res.status} ${await res.text()}`)
  }
  const { receipt } = (await res.json()) as { receipt: CaseEventReceipt }
  return { status: res.status as 200 | 201, receipt, envelope }
}

/** One page of the community's case events after `after` (default 0), with a broker's bearer `token`. */
export async function listEvents(
  input: Relay & { community: string; token: string; after?: string; limit?: number },
): Promise<CaseEventsPage> {
  const fetcher = input.fetch ?? fetch
  const query = new URLSearchParams({ after: input.after ?? '0' })
  if (input.limit !== undefined) query.set('limit', String(input.limit))
  const res = await fetcher(`${communityEventsUrl(input.baseUrl, input.community)}?${query}`, {
    headers: { authorization: `Bearer ${input.token}` },
  })
  if (res.status !== 200) throw new Error(`case events refused: ${res.status} ${await res.text()}`)
  return (await res.json()) as CaseEventsPage
}

/** Open a listed case event with a broker's box secret key: the signed event inside (not yet verified). */
export async function openCaseEvent(envelope: unknown, secretKey: BoxSecretKey): Promise<SignedCaseEvent> {
  return decodeSignedCaseEvent(await open(envelopeFromJson(envelope as EnvelopeV1Json), secretKey))
}
