import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { toBase64url } from '../../shared/crypto'
import { parseDirectoryFile, parseEmergencyNumbersFile } from '../../shared/directory'
import { directoryDigest, globalEntries } from '../../shared/protocol'

/** The repository's resources/ folder: Heard's global directory as this relay was built with it. */
export const DEFAULT_RESOURCES_DIR = fileURLToPath(new URL('../../resources', import.meta.url))

/** The answer to GET /directory/global, made once: it only changes with the relay's own files. */
export interface GlobalDirectoryAnswer {
  /** base64url directoryDigest of the entries: what an admin's signed head names as `global`. */
  readonly digest: string
  /** The serialized `{digest, entries}` body, sent as is. */
  readonly body: string
}

/**
 * Read and check resources/organizations.json and resources/emergency-numbers.json, and turn them
 * into the global layer's entries. A file that does not parse stops start-up (DirectoryError, which
 * names the entry and the field): a relay must not offer admins a directory it cannot vouch for.
 */
export async function loadGlobalDirectory(resourcesDir: string): Promise<GlobalDirectoryAnswer> {
  const read = async (name: string): Promise<unknown> =>
    JSON.parse(await readFile(path.join(resourcesDir, name), 'utf8'))
  const organizations = parseDirectoryFile(await read('organizations.json')).organizations
  const emergency = parseEmergencyNumbersFile(await read('emergency-numbers.json')).countries
  const entries = globalEntries(organizations, emergency)
  const digest = toBase64url(directoryDigest(entries))
  return { digest, body: JSON.stringify({ digest, entries: Object.fromEntries(entries) }) }
}
