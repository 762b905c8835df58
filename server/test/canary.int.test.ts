import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterEach, describe, expect, inject, it } from 'vitest'
import {
  generateBoxKeyPair,
  generateSignKeyPair,
  mailboxIdOf,
  open,
  randomBytes,
  type SignKeyPair,
  toBase64url,
} from '../../shared/crypto'
import {
  decodeReply,
  type EnvelopeV1Json,
  envelopeFromJson,
  mailboxAuthorization,
  openEnvelopeBytes,
  signCaseEvent,
  verifyCaseEvent,
} from '../../shared/protocol'
import { filesContaining, textContains } from './canary'
import { caseEventsUrl, listEvents, openCaseEvent, postCaseEvent } from './case-client'
import { createCommunityRequest, type FakeCommunity, fakeCommunity, fakeReport, json } from './fixtures'
import { mailboxUrl, postBrokerReply, postOwnerMessage, readMailbox, sealReply } from './mailbox-client'
import { allReports, brokerSession } from './relay-client'
import { type RelayProcess, startRelay, stubStaticDir, tokenOfSetupLink } from './relay-process'
import { freshPgDatabase } from './stores'

/**
 * Invariant 1: the relay never sees plaintext and never writes it down. A report, a follow-up
 * answer, a broker's reply and a case event (a note), each holding a unique canary, are sealed and
 * posted (and the canary is also sent in the clear inside bodies the relay refuses); afterwards no
 * file the relay wrote and nothing it printed contains the canary in any encoding.
 */
async function exercise(relay: RelayProcess, canary: string): Promise<string> {
  const community = fakeCommunity('canary-community', 2)
  const api = `${relay.url}/api/v1/communities/${community.id}`
  const created = await fetch(
    `${api}/manifest`,
    createCommunityRequest(community, tokenOfSetupLink(relay.setupUrl)),
  )
  expect(created.status).toBe(201)
  const envelope = await fakeReport(community, `My harasser is ${canary}; please help.`)
  expect((await fetch(`${api}/reports`, json(envelope))).status).toBe(201)
  // Refused bodies carrying the canary in the clear must not be logged or stored either.
  expect((await fetch(`${api}/reports`, json({ ...envelope, note: canary }))).status).toBe(400)
  expect((await fetch(`${api}/reports`, json(`{"v":1,"text":"${canary}`))).status).toBe(400)
  expect(
    (await fetch(`${relay.url}/api/v1/communities/${canary.toLowerCase()}/reports`, json(envelope))).status,
  ).toBe(400)
  // The broker can still read it: the canary is really inside.
  const token = await brokerSession(relay.url, community)
  const [stored] = await allReports(relay.url, community, token)
  const opened = await openEnvelopeBytes(
    new TextEncoder().encode(JSON.stringify(stored?.envelope)),
    community.brokers[1]?.box.secretKey as never,
  )
  expect(new TextDecoder().decode(opened)).toContain(canary)
  expect(envelopeFromJson(stored?.envelope as never).id).toBe(envelope.id)
  await exerciseMailbox(relay, community, canary)
  await exerciseCaseEvents(relay, community, token, envelope.id, canary)
  return envelope.id
}

/** The same for a case event: a broker's note holding the canary, signed, sealed, and read back. */
async function exerciseCaseEvents(
  relay: RelayProcess,
  community: FakeCommunity,
  token: string,
  caseId: string,
  canary: string,
) {
  const author = community.brokers[0]?.sign as SignKeyPair
  const signed = signCaseEvent(
    {
      v: 1,
      case: caseId,
      at: new Date().toISOString(),
      author: toBase64url(author.publicKey),
      change: { type: 'note', text: `Called ${canary}; no answer.` },
    },
    author,
  )
  const base = { baseUrl: relay.url, community: community.id, token, caseId }
  const recipients = community.brokers.map((b) => b.box.publicKey)
  const { envelope } = await postCaseEvent({ ...base, recipients, signed })
  // Refused: the canary in the clear in a body, and in place of a case id.
  const clear = await fetch(caseEventsUrl(relay.url, community.id, caseId), {
    ...json({ ...envelope, note: canary }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  })
  expect(clear.status).toBe(400)
  const badCase = await fetch(caseEventsUrl(relay.url, community.id, canary), {
    ...json(envelope),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
  })
  expect(badCase.status).toBe(400)
  // It is really inside: a broker opens the listed event and verifies it.
  const page = await listEvents({ baseUrl: relay.url, community: community.id, token })
  expect(page.events.map((e) => e.case)).toEqual([caseId])
  const opened = await openCaseEvent(page.events[0]?.envelope, community.brokers[1]?.box.secretKey as never)
  const verdict = verifyCaseEvent(opened, community.manifest)
  expect(verdict.ok && verdict.event.change.type === 'note' && verdict.event.change.text).toContain(canary)
}

/** The same for a follow-up mailbox: an answer and a reply, both holding the canary, both ways. */
async function exerciseMailbox(relay: RelayProcess, community: FakeCommunity, canary: string) {
  const owner = generateSignKeyPair()
  const replyBox = generateBoxKeyPair()
  const mailbox = mailboxIdOf(owner.publicKey)
  const answer = await sealReply({
    community: community.id,
    recipients: community.brokers.map((b) => b.box.publicKey),
    text: `The account is ${canary}.`,
  })
  const base = { baseUrl: relay.url, community: community.id }
  expect((await postOwnerMessage({ ...base, ownerSignKeyPair: owner, envelope: answer })).status).toBe(201)
  // A refused, correctly signed body carrying the canary in the clear.
  const clear = JSON.stringify({ ...answer, note: canary })
  const refused = await fetch(mailboxUrl(relay.url, community.id, mailbox), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: mailboxAuthorization({
        ...base,
        mailbox,
        method: 'POST',
        body: clear,
        signKeyPair: owner,
      }),
    },
    body: clear,
  })
  expect(refused.status).toBe(400)
  await postBrokerReply({
    ...base,
    mailbox,
    brokerSignKeyPair: community.brokers[0]?.sign as SignKeyPair,
    replyBoxKey: replyBox.publicKey,
    text: `We have blocked ${canary}.`,
  })
  // Both are really inside: the brokers open the answer, the complainant the reply.
  const page = await readMailbox({ ...base, ownerSignKeyPair: owner })
  expect(page.messages.map((m) => m.sender)).toEqual(['complainant', 'broker'])
  const [mine, theirs] = page.messages.map((m) => envelopeFromJson(m.envelope as EnvelopeV1Json))
  const brokerKey = community.brokers[1]?.box.secretKey as never
  expect(decodeReply(await open(mine as never, brokerKey)).text).toContain(canary)
  expect(decodeReply(await open(theirs as never, replyBox.secretKey)).text).toContain(canary)
}

describe('canary: no plaintext at rest or in logs', () => {
  let relay: RelayProcess | undefined
  afterEach(async () => relay?.stop())

  it('SQLite: the data directory (database, WAL, journal) and the relay output hold no canary', async () => {
    const canary = `CANARY-${toBase64url(randomBytes(12))}`
    const dataDir = mkdtempSync(path.join(tmpdir(), 'heard-canary-'))
    relay = await startRelay({ DATA_DIR: dataDir, STATIC_DIR: stubStaticDir() })
    const id = await exercise(relay, canary)
    expect(filesContaining(dataDir, canary)).toEqual([])
    // Control: the scan does see what the relay stores (the envelope id), so an empty result means something.
    expect(filesContaining(dataDir, id).length).toBeGreaterThan(0)
    await relay.stop('SIGKILL') // leave the WAL as it is, unmerged
    expect(filesContaining(dataDir, canary)).toEqual([])
    expect(relay.output()).toMatch(/listening on/)
    expect(textContains(relay.output(), canary)).toBe(false)
    expect(relay.output()).not.toMatch(/127\.0\.0\.1"|::1|user-agent|node-fetch|undici/i)
  })

  it('PostgreSQL: the server’s data files and the relay output hold no canary', async () => {
    const canary = `CANARY-${toBase64url(randomBytes(12))}`
    const databaseUrl = await freshPgDatabase()
    relay = await startRelay({ DATABASE_URL: databaseUrl, STATIC_DIR: stubStaticDir() })
    const id = await exercise(relay, canary)
    await relay.stop()
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
    await sql`checkpoint`
    await sql.end()
    const pgDataDir = inject('pgDataDir')
    // With TEST_DATABASE_URL the server's files are not ours to read; the output is still checked.
    if (pgDataDir) {
      expect(filesContaining(pgDataDir, canary)).toEqual([])
      expect(filesContaining(pgDataDir, id).length).toBeGreaterThan(0)
    }
    expect(textContains(relay.output(), canary)).toBe(false)
  })
})
