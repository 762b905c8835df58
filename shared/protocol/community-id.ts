/**
 * Community ids: 1 to 64 lowercase letters, digits or inner dashes. Kept in a module of its own,
 * free of crypto imports, so the app's first screen can check a URL without loading tweetnacl.
 */
export const COMMUNITY_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/
export const isCommunityId = (value: string): boolean => COMMUNITY_ID.test(value)
