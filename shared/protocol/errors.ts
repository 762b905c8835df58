import { MAX_RECIPIENTS } from '../crypto'

/**
 * Every error the relay can answer with: a stable machine code, its HTTP status, and a human
 * message. Messages never include the received value. The client maps codes to translated text;
 * these English messages are what API users and logs see. Codes are wire constants: never reuse one.
 */
/** Most reports one page of GET …/reports returns. */
export const MAX_PAGE_SIZE = 500

export const ERRORS = {
  invalid_json: { status: 400, message: 'The request body is not valid JSON.' },
  invalid_body: { status: 400, message: 'The request body does not match the expected shape.' },
  unsupported_version: { status: 400, message: 'This protocol version is not supported by the relay.' },
  invalid_encoding: {
    status: 400,
    message: 'A field is not canonical unpadded base64url.',
  },
  too_many_recipients: {
    status: 400,
    message: `An envelope may be sealed to at most ${MAX_RECIPIENTS} recipients.`,
  },
  duplicate_recipient: { status: 400, message: 'An envelope lists the same recipient twice.' },
  wrong_kind: { status: 400, message: 'This route does not accept envelopes of that kind.' },
  community_mismatch: {
    status: 400,
    message: 'The body belongs to another community than the URL names.',
  },
  id_mismatch: { status: 400, message: 'The envelope id does not belong to its ephemeral key.' },
  unpadded_ciphertext: { status: 400, message: 'The ciphertext length is not one of the padding buckets.' },
  invalid_community: {
    status: 400,
    message: 'A community id is 1 to 64 lowercase letters, digits or inner dashes.',
  },
  invalid_mailbox: {
    status: 400,
    message: 'A mailbox id is 16 bytes as canonical unpadded base64url (22 characters).',
  },
  invalid_case: {
    status: 400,
    message: 'A case id is a report id: 16 bytes as canonical unpadded base64url (22 characters).',
  },
  invalid_cursor: { status: 400, message: 'The cursor must be a non-negative integer.' },
  invalid_limit: { status: 400, message: `The limit must be an integer from 1 to ${MAX_PAGE_SIZE}.` },
  unsupported_media_type: { status: 415, message: 'Send the body as application/json.' },
  body_too_large: { status: 413, message: 'The request body is larger than this route accepts.' },
  unauthorized: { status: 401, message: 'This route needs a broker session: sign a relay challenge first.' },
  session_expired: {
    status: 401,
    message: 'The broker session has expired or is unknown; sign a new challenge.',
  },
  invalid_challenge: {
    status: 401,
    message: 'The challenge was not issued by this relay for this community.',
  },
  challenge_expired: { status: 401, message: 'The challenge has expired; ask for a new one.' },
  challenge_used: { status: 409, message: 'This challenge has already been used; ask for a new one.' },
  bad_signature: { status: 401, message: 'The signature does not verify.' },
  mailbox_auth_required: {
    status: 401,
    message:
      'This route needs a broker session (Bearer) or a signed HeardMailbox authorization from the mailbox owner.',
  },
  request_time_skew: {
    status: 401,
    message:
      "The signed request time is more than five minutes from the relay's clock; check the clock and sign again.",
  },
  mailbox_key_mismatch: { status: 403, message: 'This signing key does not own this mailbox.' },
  setup_token_required: {
    status: 401,
    message:
      'Creating a community on this relay needs its one-time setup link (Authorization: HeardSetup <token>).',
  },
  setup_token_invalid: {
    status: 403,
    message: 'This setup token is unknown or has already been used; ask the relay operator for a new link.',
  },
  not_a_broker: {
    status: 403,
    message: 'This signing key is not a broker in the current community manifest.',
  },
  manifest_not_chained: {
    status: 403,
    message:
      'The manifest is not signed by the community key the relay holds; a new root must be signed by the old one.',
  },
  stale_manifest: {
    status: 409,
    message: 'The manifest sequence number must be higher than the current one.',
  },
  manifest_changed: {
    status: 409,
    message: 'The community manifest changed while this one was being stored; fetch it and sign again.',
  },
  manifest_invalid: { status: 400, message: 'The manifest payload is not a valid community manifest.' },
  canned_responses_changed: {
    status: 409,
    message:
      'The sequence number is not the one after the current canned responses (another broker may have saved first); fetch them and sign again.',
  },
  invalid_directory: {
    status: 400,
    message: 'A directory entry or head does not match the referral directory format (see issues).',
  },
  directory_digest_mismatch: {
    status: 400,
    message: 'The directory entries do not match the digest their signed head commits to.',
  },
  directory_changed: {
    status: 409,
    message:
      'The directory version is not the one after the current one (another admin may have published first); fetch it and sign again.',
  },
  directory_not_published: {
    status: 404,
    message: 'This community has not published a referral directory yet.',
  },
  unknown_community: { status: 404, message: 'No community with that id is set up on this relay.' },
  unknown_case: { status: 404, message: 'No report with that id is stored in this community.' },
  invalid_log_size: {
    status: 400,
    message:
      'A log size is an integer from 0 (or 1) to the current size of the log, and "from" is at most "to".',
  },
  invalid_leaf: {
    status: 400,
    message: 'A leaf is a 32-byte hash as canonical unpadded base64url (43 characters).',
  },
  unknown_leaf: { status: 404, message: "No leaf with that hash is in this community's log." },
  no_current_recipient: {
    status: 409,
    message:
      "The envelope is not sealed to any of the community's current brokers; fetch the manifest and seal again.",
  },
  id_conflict: { status: 409, message: 'An envelope with this id but different contents is already stored.' },
  invalid_file: {
    status: 400,
    message: 'A file id is 16 bytes as canonical unpadded base64url (22 characters).',
  },
  invalid_chunk_index: {
    status: 400,
    message: 'A chunk index is a non-negative integer within the file size limit.',
  },
  invalid_chunk: {
    status: 400,
    message: 'The body is not an attachment chunk envelope (v1): see docs/protocol.md 7.12.',
  },
  chunk_mismatch: {
    status: 400,
    message: 'The chunk envelope names another file or index than the URL.',
  },
  chunk_out_of_range: {
    status: 409,
    message: 'This file already has a last chunk before this index, or chunks after this one marked last.',
  },
  chunk_conflict: { status: 409, message: 'A different chunk is already stored at this place in this file.' },
  file_in_other_report: { status: 409, message: 'This file id already belongs to another report.' },
  attachment_limit_exceeded: {
    status: 413,
    message: "This chunk would take the report's attachments past the community's limit per report.",
  },
  storage_full: {
    status: 507,
    message: "The community's attachment storage is full; nothing was stored. Keep the file and retry later.",
  },
  unknown_chunk: {
    status: 404,
    message: 'No chunk with that file id and index is stored for this report.',
  },
  unsupported_chunk_media_type: {
    status: 415,
    message: 'Send an attachment chunk as application/octet-stream.',
  },
  not_found: { status: 404, message: 'There is no such API route.' },
  method_not_allowed: { status: 405, message: 'This API route does not accept that method.' },
  internal: { status: 500, message: 'The relay failed; nothing was stored. Retry later.' },
  unavailable: {
    status: 503,
    message: 'The relay cannot reach its storage right now; nothing was stored. Retry later.',
  },
} as const satisfies Record<string, { status: number; message: string }>

export type ErrorCode = keyof typeof ERRORS

export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode
    readonly message: string
    /** Where the body failed validation: a dotted path and the rule it broke; never the value. */
    readonly issues?: readonly { readonly path: string; readonly rule: string }[]
  }
}

export const errorBody = (code: ErrorCode, issues?: ErrorBody['error']['issues']): ErrorBody => ({
  error: { code, message: ERRORS[code].message, ...(issues?.length ? { issues } : {}) },
})

/** A protocol-level refusal with a code from ERRORS; the relay turns it into its HTTP answer. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError'
  constructor(
    readonly code: ErrorCode,
    readonly issues?: ErrorBody['error']['issues'],
  ) {
    super(ERRORS[code].message)
  }
}
