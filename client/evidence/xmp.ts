import type { StrippedMetadata } from '../../shared/protocol/attachment-kinds'
import { kindsOfField } from './metadata-kinds'
import { indexOf } from './sniff'

/**
 * XMP, read as text rather than parsed as XML. ExifReader parses XMP with DOMParser, which a worker
 * does not have, and PDFs keep XMP in streams ExifReader never sees; scanning for the property
 * names works the same everywhere, needs no XML parser in the bundle, and cannot be tripped by a
 * malformed packet (a writer that leaves the XML broken still leaves the names readable).
 */

const ascii = (text: string) => Array.from(text, (c) => c.charCodeAt(0))
const OPENINGS = [ascii('<x:xmpmeta'), ascii('<x:xapmeta'), ascii('<rdf:RDF')]
const CLOSINGS = [ascii('</x:xmpmeta>'), ascii('</x:xapmeta>'), ascii('</rdf:RDF>')]

/**
 * Every XMP packet stored uncompressed in the bytes (JPEG APP1, PNG iTXt, WebP XMP chunk, HEIC
 * item, PDF metadata stream once decoded), decoded as UTF-8. A packet cut off by the end of the
 * file is returned up to the end.
 */
export function findXmpPackets(bytes: Uint8Array): string[] {
  const packets: string[] = []
  const decoder = new TextDecoder('utf-8')
  for (let from = 0; from < bytes.length; ) {
    let start = -1
    let which = 0
    OPENINGS.forEach((opening, i) => {
      const at = indexOf(bytes, opening, from)
      if (at >= 0 && (start < 0 || at < start)) {
        start = at
        which = i
      }
    })
    if (start < 0) break
    const closing = CLOSINGS[which] ?? []
    const close = indexOf(bytes, closing, start)
    const end = close < 0 ? bytes.length : close + closing.length
    packets.push(decoder.decode(bytes.subarray(start, end)))
    from = end
  }
  return packets
}

/** Namespace URIs, so a packet that picked its own prefixes reads the same as one using Adobe's. */
const NAMESPACES: Readonly<Record<string, string>> = {
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://ns.adobe.com/xap/1.0/': 'xmp',
  'http://ns.adobe.com/xap/1.0/mm/': 'xmpMM',
  'http://ns.adobe.com/xap/1.0/rights/': 'xmpRights',
  'http://ns.adobe.com/xap/1.0/sType/ResourceEvent#': 'stEvt',
  'http://ns.adobe.com/xap/1.0/sType/ResourceRef#': 'stRef',
  'http://ns.adobe.com/xap/1.0/sType/Dimensions#': 'stDim',
  'http://ns.adobe.com/xap/1.0/sType/Font#': 'stFnt',
  'http://ns.adobe.com/xap/1.0/g/': 'xmpG',
  'http://ns.adobe.com/xap/1.0/g/img/': 'xmpGImg',
  'http://ns.adobe.com/xap/1.0/t/pg/': 'xmpTPg',
  'http://ns.adobe.com/photoshop/1.0/': 'photoshop',
  'http://ns.adobe.com/exif/1.0/': 'exif',
  'http://ns.adobe.com/tiff/1.0/': 'tiff',
  'http://ns.adobe.com/exif/1.0/aux/': 'aux',
  'http://cipa.jp/exif/1.0/': 'exifEX',
  'http://ns.adobe.com/pdf/1.3/': 'pdf',
  'http://www.aiim.org/pdfa/ns/id/': 'pdfaid',
  'http://www.aiim.org/pdfua/ns/id/': 'pdfuaid',
  'http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/': 'Iptc4xmpCore',
  'http://iptc.org/std/Iptc4xmpExt/2008-02-29/': 'Iptc4xmpExt',
}

/** Syntax, not properties. */
const SYNTAX = new Set(['x', 'rdf', 'xml', 'xmlns'])

/** Parts of a larger value: counted through the property that holds them, or carrying nothing. */
const LAYOUT = new Set(['stDim', 'stFnt', 'xmpG', 'xmpGImg', 'xmpTPg', 'pdfaid', 'pdfuaid'])

/** Namespaces whose property names are Exif tag names. */
const EXIF_LIKE = new Set(['exif', 'tiff', 'aux', 'exifEX'])

/** The kinds of metadata an XMP packet holds. */
export function kindsInXmp(packet: string): Set<StrippedMetadata> {
  const prefixes = new Map<string, string>()
  for (const m of packet.matchAll(/xmlns:([A-Za-z_][\w.-]*)\s*=\s*["']([^"']*)["']/g)) {
    if (m[1] && m[2] !== undefined) prefixes.set(m[1], NAMESPACES[m[2]] ?? m[1])
  }
  const kinds = new Set<StrippedMetadata>()
  // Elements (<dc:creator>) and attributes (xmp:CreatorTool="…") name the properties.
  const names = [
    ...packet.matchAll(/<([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)(?=[\s/>])/g),
    ...packet.matchAll(/\s([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)\s*=/g),
  ]
  for (const [, prefix = '', local = ''] of names) {
    for (const kind of kindsOfXmpProperty(prefixes.get(prefix) ?? prefix, local)) kinds.add(kind)
  }
  return kinds
}

/** `ns` is the canonical prefix when the namespace is a known one. */
export function kindsOfXmpProperty(ns: string, local: string): readonly StrippedMetadata[] {
  if (SYNTAX.has(ns) || LAYOUT.has(ns)) return []
  if (EXIF_LIKE.has(ns)) return kindsOfField(local)
  switch (`${ns}:${local}`) {
    case 'dc:date':
    case 'photoshop:DateCreated':
      return ['dates']
    case 'dc:format':
    case 'dc:language':
    case 'photoshop:ColorMode':
    case 'photoshop:ICCProfile':
      return []
    case 'xmp:Thumbnails':
      return ['thumbnail']
    case 'xmpMM:History':
    case 'photoshop:History':
      return ['software', 'dates']
    case 'Iptc4xmpExt:PersonInImage':
      return ['description']
  }
  // Structure fields: their holder (History, DerivedFrom) is counted already, except these.
  if (ns === 'stEvt' || ns === 'stRef') {
    if (local === 'softwareAgent') return ['software']
    if (local === 'when') return ['dates']
    if (/id$/i.test(local)) return ['identifiers']
    return []
  }
  if (ns === 'xmpRights') return ['author']
  // A creator's contact details (address, e-mail, phone) identify the author.
  if (ns === 'Iptc4xmpCore' && (local.startsWith('Ci') || local === 'CreatorContactInfo')) return ['author']
  if (
    ns === 'Iptc4xmpExt' &&
    /^(LocationCreated|LocationShown|City|CountryName|CountryCode|ProvinceState|Sublocation|WorldRegion|GPS)/.test(
      local,
    )
  ) {
    return ['location']
  }
  const known = new Set(['dc', 'xmp', 'xmpMM', 'photoshop', 'pdf', 'Iptc4xmpCore', 'Iptc4xmpExt'])
  return known.has(ns) ? kindsOfField(local) : ['other']
}
