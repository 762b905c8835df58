/**
 * Browser only. The broker console's engine, loaded only on /broker and /setup: keys, sync, cases.
 */

export type { CannedSet } from './canned'
export { CannedRollback, loadCanned, saveCanned } from './canned'
export type { CaseEventView, CaseStatus, CaseView, ThreadMessage } from './cases'
export { loadCases, readThread, recordChange, searchCases, sendReply } from './cases'
export { brokerDb } from './db'
export type { GlobalDirectoryView, PublishedDirectory } from './directory'
export {
  DirectoryChanged,
  DirectoryInvalid,
  DirectoryRollback,
  directoryIssues,
  loadGlobalDirectory,
  loadPublishedDirectory,
  NotDirectoryAdmin,
  nextEntries,
  publishDirectory,
} from './directory'
export type { DirectorySummary, EntryChange, EntryChanges } from './directory-review'
export {
  communityChanges,
  communityOrganizations,
  globalChanges,
  globalOrganizations,
  hasChanges,
  summarize,
} from './directory-review'
export { grantHistory } from './grants'
export type { LogStatus } from './log-audit'
export { logStatus } from './log-audit'
export type { RecoveryKit, RestoreResult } from './recovery-kit'
export { recoveryKitOf, restoreFromKit } from './recovery-kit'
export { AUTO_LOCK_CHOICES, currentSettings, saveSettings } from './settings'
export type { CreatedCommunity } from './setup'
export { createCommunity, MIN_PASSPHRASE_LENGTH } from './setup'
export { sync } from './sync'
export type { UnlockResult } from './vault'
export { current, DEFAULT_AUTO_LOCK_MS, lock, subscribe, touch, unlock } from './vault'

import { brokerDb } from './db'

/** Communities this device holds broker keys for. */
export async function identities(): Promise<{ community: string; brokerName: string }[]> {
  return (await brokerDb().identities.toArray()).map((i) => ({
    community: i.community,
    brokerName: i.brokerName,
  }))
}
export type { AttachmentProblem } from './attachments'
export { AttachmentDamaged, openCaseAttachment } from './attachments'
export { membership } from './manifest'
export { RelayRefusal, RelayUnreachable } from './relay'
export type { JoinRequest } from './team'
export { addBroker, parseJoinRequest, removeBroker, requestToJoin, wordsOf } from './team'
