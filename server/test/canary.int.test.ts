import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import postgres from 'postgres'
import { afterEach, describe, expect, inject, it } from 'vitest'
import {
  fileKey,
  fromBase64url,
  generateBoxKeyPair,
  generateSignKeyPair,
  mailboxIdOf,
  open,
  openAttachment,
  randomBytes,
  type SignKeyPair,
  toBase64url,
} from '../../shared/crypto'
import {
  decodeReply,
  type EnvelopeV1Json,
  encodeChunk,
  envelopeFromJson,
  mailboxAuthorization,
  openEnvelopeBytes,
  parseChunk,
  signCaseEvent,
  verifyCaseEvent,
} from '../../shared/protocol'
import {
  chunkPut,
  chunkUrl,
  putFile,
  readFileChunks,
  sealFile,
  sealReportWithAttachments,
} from './attachment-client'
import { filesContaining, textContains } from './canary'
import { caseEventsUrl, listEvents, openCaseEvent, postCaseEvent } from './case-client'
import { createCommunityRequest, type FakeCommunity, fakeCommunity, fakeReport, json } from './fixtures'
import { mailboxUrl, postBrokerReply, postOwnerMessage, readMailbox, sealReply } from './mailbox-client'
import { allReports, brokerSession } from './relay-client'
import { type RelayProcess, startRelay, stubStaticDir, tokenOfSetupLink } from './relay-process'
import { freshPgDatabase } from './stores'

/**
 * Invariant 1: the relay never sees plaintext and never writes it down. A report, a follow-up
 * answer, a broker's reply, a case event (a note) and an attachment, each holding a unique canary,
 * are sealed and posted (and the canary is also sent in the clear inside bodies the relay refuses); afterwards no
 * file the relay wrote and nothing it printed contains the canary in any encoding.
 */
async function exercise(relay: RelayProcess, canary: string): Promise<{ id: string; file: string }> {
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
  const file = await exerciseAttachments(relay, community, token, canary)
  return { id: envelope.id, file }
}

/**
 * The same for an attachment: a report naming a file whose bytes (and name) hold the canary, the
 * file sealed into chunks (sealAttachmentChunks, encodeChunk) and PUT after the report; refused
 * chunks carry it in the clear. A broker reads the chunks back and opens the file.
 */
async function exerciseAttachments(
  relay: RelayProcess,
  community: FakeCommunity,
  token: string,
  canary: string,
): Promise<string> {
  const line = new TextEncoder().encode(`Screenshot of the DM from ${canary}.\n`)
  const bytes = new Uint8Array(300_000)
  for (let at = 0; at + line.length <= bytes.length; at += line.length) bytes.set(line, at)
  const file = sealFile(community.id, bytes, { name: `${canary}.txt` })
  expect(file.chunks.length).toBeGreaterThan(1)
  const report = await sealReportWithAttachments({
    community: community.id,
    recipients: community.brokers.map((b) => b.box.publicKey),
    text: `The screenshot shows ${canary}.`,
    attachments: [file.ref],
  })
  const api = `${relay.url}/api/v1/communities/${community.id}`
  expect((await fetch(`${api}/reports`, json(report))).status).toBe(201)
  const base = { baseUrl: relay.url, community: community.id, report: report.id }
  await putFile({ ...base, file })
  // Refused: the canary in the clear as a chunk body, inside a chunk at the wrong index, as a file id.
  const clear = new TextEncoder().encode(canary)
  expect(
    (await fetch(chunkUrl(relay.url, community.id, report.id, file.ref.id, 0), chunkPut(clear))).status,
  ).toBe(400)
  const misplaced = encodeChunk({ fileId: file.ref.id, index: 1, last: false, ciphertext: clear })
  expect(
    (await fetch(chunkUrl(relay.url, community.id, report.id, file.ref.id, 0), chunkPut(misplaced))).status,
  ).toBe(400)
  expect((await fetch(chunkUrl(relay.url, community.id, report.id, canary, 0), chunkPut(clear))).status).toBe(
    400,
  )
  // It is really inside: a broker reads the chunks back and opens the file with the key in the report.
  const chunks = await readFileChunks({ ...base, file: file.ref.id, count: file.chunks.length, token })
  const opened = await openAttachment(
    chunks.map((c) => parseChunk(c).ciphertext),
    community.id,
    {
      fileId: file.ref.id,
      key: fileKey(fromBase64url(file.ref.key) as Uint8Array),
      size: file.ref.size,
      sha256: fromBase64url(file.ref.sha256) as Uint8Array,
    },
  )
  expect(new TextDecoder().decode(opened)).toContain(canary)
  return file.ref.id
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
    const { id, file } = await exercise(relay, canary)
    expect(filesContaining(dataDir, canary)).toEqual([])
    // Control: the scan does see what the relay stores (the envelope id, the file id), so an empty
    // result means something.
    expect(filesContaining(dataDir, id).length).toBeGreaterThan(0)
    expect(filesContaining(dataDir, file).length).toBeGreaterThan(0)
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
    const { id, file } = await exercise(relay, canary)
    await relay.stop()
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
    await sql`checkpoint`
    await sql.end()
    const pgDataDir = inject('pgDataDir')
    // With TEST_DATABASE_URL the server's files are not ours to read; the output is still checked.
    if (pgDataDir) {
      expect(filesContaining(pgDataDir, canary)).toEqual([])
      expect(filesContaining(pgDataDir, id).length).toBeGreaterThan(0)
      expect(filesContaining(pgDataDir, file).length).toBeGreaterThan(0)
    }
    expect(textContains(relay.output(), canary)).toBe(false)
  })
})
