import { toJsonSchema } from '@valibot/to-json-schema'
import { DirectoryFileSchema } from './directory.schema'
import { EmergencyNumbersFileSchema } from './emergency-numbers.schema'

/**
 * JSON Schema for editors and other tools, generated from the valibot schemas so the format is
 * defined once. The committed copies under resources/ are checked against this by
 * `npm run resources:check` and rewritten by `npm run resources:schema`.
 *
 * JSON Schema cannot state every rule: unique ids, unique countries, "an unverified entry has a
 * note" and real calendar dates are enforced by the valibot schemas (and so by resources:check)
 * only.
 */
export const RESOURCE_SCHEMAS = {
  'directory.schema.json': {
    schema: DirectoryFileSchema,
    title: 'Heard referral directory',
    description:
      'Organisations and their services, aligned with Open Referral HSDS 3.0 field names, with sources and verification dates. See resources/README.md.',
  },
  'emergency-numbers.schema.json': {
    schema: EmergencyNumbersFileSchema,
    title: 'Heard emergency numbers',
    description:
      "Emergency numbers per country, generated from AOSP's eccdata and checked with libphonenumber. See resources/README.md.",
  },
} as const
export type ResourceSchemaName = keyof typeof RESOURCE_SCHEMAS

export function resourceJsonSchema(name: ResourceSchemaName): Record<string, unknown> {
  const { schema, title, description } = RESOURCE_SCHEMAS[name]
  const converted = toJsonSchema(schema, {
    target: 'draft-07',
    errorMode: 'throw',
    ignoreActions: ['check', 'raw_check'],
  })
  return {
    $schema: converted.$schema,
    $comment:
      'Generated from shared/directory by `npm run resources:schema`: edit the valibot schemas, not this.',
    title,
    description,
    ...converted,
  }
}
