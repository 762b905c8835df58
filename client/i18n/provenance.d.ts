/** Built by scripts/vite-plugin-provenance.ts from each catalog's `X-Heard-Provenance` header. */
declare module 'virtual:heard/provenance' {
  /** Each UI locale's catalog: drafted by machine, or reviewed by a person who reads the language. */
  const provenance: Readonly<Record<string, 'machine-drafted' | 'reviewed'>>
  export default provenance
}
