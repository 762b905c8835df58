import type { MessageDescriptor } from '@lingui/core'
import { msg } from '@lingui/core/macro'
import type { StrippedMetadata } from '../../shared/protocol/attachment-kinds'

/** What was taken out of a file, in the words the person sees before sending. */
export const REMOVED_LABELS: Readonly<Record<StrippedMetadata, MessageDescriptor>> = {
  location: msg`location`,
  camera: msg`camera make and model`,
  author: msg`author name`,
  software: msg`software used`,
  dates: msg`dates and times`,
  description: msg`titles, descriptions and comments`,
  thumbnail: msg`a hidden preview image`,
  identifiers: msg`device and document identifiers`,
  other: msg`other hidden details`,
}
