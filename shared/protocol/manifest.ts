import * as v from 'valibot'
import {
  boxPublicKey,
  fingerprintOf,
  fromUtf8,
  KEY_BYTES,
  MAX_ATTACHMENT_BYTES,
  SIGNATURE_BYTES,
  type SignPublicKey,
  type SignSecretKey,
  signDetached,
  signPublicKey,
  toBase64url,
  utf8,
  verifyDetached,
} from '../crypto'
import { ProtocolError } from './errors'
import { b64, b64Bounded, communityId, decodeField, displayText, validationError } from './fields'
import { DEFAULT_ATTACHMENT_LIMIT_BYTES } from './report-kinds'

/**
 * The community manifest: who the brokers are, signed by the community root key (Ed25519). The
 * signature covers the exact payload bytes, so no JSON canonicalisation is needed. A manifest is
 * accepted only when signed by the root of the manifest it replaces (for the first one: its own
 * root) with a higher sequence number; a manifest naming a new root is a rotation signed by the old.
 */
export const MANIFEST_SIGNING_DOMAIN = 'heard/manifest/v1' // must not change
export const MAX_MANIFEST_BYTES = 64 * 1024
export const MAX_BROKERS = 50

const BrokerEntrySchema = v.strictObject({
  name: displayText(120),
  boxKey: b64(KEY_BYTES),
  signKey: b64(KEY_BYTES),
  /** base64url of fingerprintOf(boxKey, signKey); checked, so a typo cannot pass unnoticed. */
  fingerprint: b64(32),
})

export const ManifestV1Schema = v.strictObject({
  v: v.literal(1, 'expected 1'),
  community: communityId,
  name: displayText(120),
  seq: v.pipe(
    v.number('expected a number'),
    v.safeInteger('expected an integer'),
    v.minValue(1, 'must be ≥ 1'),
  ),
  issuedAt: v.pipe(v.string('expected a string'), v.isoTimestamp('expected an ISO timestamp')),
  root: b64(KEY_BYTES),
  brokers: v.pipe(
    v.array(BrokerEntrySchema, 'expected an array'),
    v.minLength(1, 'a community needs at least one broker'),
    v.maxLength(MAX_BROKERS, 'too many brokers'),
  ),
  policy: v.pipe(v.string('expected a string'), v.maxLength(20_000, 'too long')),
  /** How to reach the community's own safety contact, shown to complainants. */
  contact: v.optional(v.pipe(v.string('expected a string'), v.maxLength(2_000, 'too long'))),
  /**
   * Days within which a report should be acknowledged and answered (the EU whistleblowing
   * directive's 7 days and 3 months are the defaults when absent).
   */
  deadlines: v.optional(
    v.strictObject({
      acknowledgeDays: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(365)),
      feedbackDays: v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(3650)),
    }),
  ),
  /**
   * The relay's transparency-log key (Ed25519, docs/protocol.md 7.10), recorded by the admin so
   * apps check signed tree heads against a key the community vouches for: a relay cannot swap it
   * later without a new manifest signed by the root. Absent from manifests made before the log.
   */
  logKey: v.optional(b64(KEY_BYTES)),
  /**
   * The most attachment bytes (padded, as stored) one report may carry; 0 turns attachments off.
   * Absent: DEFAULT_ATTACHMENT_LIMIT_BYTES. The relay enforces it; the app tells the person first.
   */
  attachmentLimitBytes: v.optional(
    v.pipe(
      v.number('expected a number'),
      v.safeInteger('expected an integer'),
      v.minValue(0, 'negative'),
      v.maxValue(MAX_ATTACHMENT_BYTES, 'too large'),
    ),
  ),
  /** Where "quick exit" goes: a neutral https page of the community's choosing. */
  exitUrl: v.optional(
    v.pipe(
      v.string('expected a string'),
      v.maxLength(500, 'too long'),
      v.regex(/^https:\/\/[^\s"'<>\\]+$/, 'not an https address'),
    ),
  ),
})
export type Manifest = v.InferOutput<typeof ManifestV1Schema>
export type BrokerEntry = Manifest['brokers'][number]

export const SignedManifestSchema = v.strictObject({
  payload: b64Bounded(MAX_MANIFEST_BYTES),
  signature: b64(SIGNATURE_BYTES),
})
export type SignedManifest = v.InferOutput<typeof SignedManifestSchema>

/** GET …/manifests: the chain after a sequence number, each with its sequence number. */
export const ManifestHistorySchema = v.object({
  manifests: v.array(v.object({ seq: v.number(), payload: v.string(), signature: v.string() })),
})

export function brokerEntry(name: string, boxKey: Uint8Array, signKey: Uint8Array): BrokerEntry {
  return {
    name,
    boxKey: toBase64url(boxKey),
    signKey: toBase64url(signKey),
    fingerprint: toBase64url(fingerprintOf(boxPublicKey(boxKey), signPublicKey(signKey))),
  }
}

export function signManifest(manifest: Manifest, rootSecretKey: SignSecretKey): SignedManifest {
  const payload = utf8(JSON.stringify(manifest))
  return {
    payload: toBase64url(payload),
    signature: toBase64url(signDetached(MANIFEST_SIGNING_DOMAIN, payload, rootSecretKey)),
  }
}

/** Validate a signed manifest's shape and read its payload, without deciding whether to trust it. */
export function readSignedManifest(input: unknown): { signed: SignedManifest; manifest: Manifest } {
  const outer = v.safeParse(SignedManifestSchema, input, { abortPipeEarly: true })
  if (!outer.success) throw validationError(outer.issues)
  let json: unknown
  try {
    json = JSON.parse(fromUtf8(decodeField(outer.output.payload)))
  } catch {
    throw new ProtocolError('manifest_invalid')
  }
  if (
    typeof json === 'object' &&
    json !== null &&
    'v' in json &&
    typeof json.v === 'number' &&
    json.v !== 1
  ) {
    throw new ProtocolError('unsupported_version')
  }
  const inner = v.safeParse(ManifestV1Schema, json, { abortPipeEarly: true })
  if (!inner.success) throw validationError(inner.issues, 'manifest_invalid')
  const manifest = inner.output
  const seen = new Set<string>()
  for (const broker of manifest.brokers) {
    const expected = toBase64url(
      fingerprintOf(boxPublicKey(decodeField(broker.boxKey)), signPublicKey(decodeField(broker.signKey))),
    )
    if (broker.fingerprint !== expected || seen.has(broker.boxKey) || seen.has(broker.signKey)) {
      throw new ProtocolError('manifest_invalid', [{ path: 'brokers', rule: 'fingerprint or duplicate key' }])
    }
    seen.add(broker.boxKey).add(broker.signKey)
  }
  return { signed: outer.output, manifest }
}

const signedBy = (signed: SignedManifest, root: string): boolean =>
  verifyDetached(
    MANIFEST_SIGNING_DOMAIN,
    decodeField(signed.payload),
    decodeField(signed.signature),
    signPublicKey(decodeField(root)) as SignPublicKey,
  )

/**
 * Decide whether `input` may replace `current` (or start a community when there is none).
 * Used by the relay on PUT and by clients against the manifest they pinned on first use.
 */
export function verifyManifestUpdate(input: unknown, current: Manifest | null, community?: string): Manifest {
  const { signed, manifest } = readSignedManifest(input)
  if (community !== undefined && manifest.community !== community)
    throw new ProtocolError('community_mismatch')
  if (current === null) {
    if (!signedBy(signed, manifest.root)) throw new ProtocolError('bad_signature')
    return manifest
  }
  if (manifest.community !== current.community) throw new ProtocolError('community_mismatch')
  if (!signedBy(signed, current.root)) {
    throw new ProtocolError(signedBy(signed, manifest.root) ? 'manifest_not_chained' : 'bad_signature')
  }
  if (manifest.seq <= current.seq) throw new ProtocolError('stale_manifest')
  return manifest
}

/** The attachment bytes (padded, as stored) one report may carry in this community. */
export const attachmentLimitOf = (manifest: Pick<Manifest, 'attachmentLimitBytes'>): number =>
  manifest.attachmentLimitBytes ?? DEFAULT_ATTACHMENT_LIMIT_BYTES
