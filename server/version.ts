/** The relay's own version, reported by /api/v1/health and the OpenAPI description. */
export const RELAY_VERSION = '0.1.0'
