import path from 'node:path'
import type { Plugin } from 'vite'
import { catalogFiles, readProvenance } from './provenance.ts'

/**
 * Build only. `virtual:heard/provenance`: each catalog's provenance header, read from the PO files
 * when the app is built, so the app knows which languages to show the "drafted by machine" line for
 * without fetching any catalog but the active one. A few bytes in the main chunk; always in step
 * with the headers, since there is no generated file to forget.
 */
const ID = 'virtual:heard/provenance'
const RESOLVED_ID = `\0${ID}`

export function provenancePlugin(localesDir: string): Plugin {
  return {
    name: 'heard:provenance',
    resolveId: (id) => (id === ID ? RESOLVED_ID : undefined),
    load(id) {
      if (id !== RESOLVED_ID) return undefined
      // The dev server rebuilds the module when a header changes.
      for (const file of Object.values(catalogFiles(localesDir))) this.addWatchFile(path.resolve(file))
      return `export default ${JSON.stringify(readProvenance(localesDir))}\n`
    },
  }
}
