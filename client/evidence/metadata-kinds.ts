import { STRIPPED_METADATA, type StrippedMetadata } from '../../shared/protocol/attachment-kinds'

/**
 * Which kind of metadata a field is, in the words the person is shown ("location, camera model,
 * author name"). Pure tables: the same names appear in Exif, in XMP (exif:, tiff:, aux:), in IPTC
 * and in PNG text chunks, so one classifier serves every format.
 *
 * A field that only describes how to draw the pixels (size, resolution, colour space, orientation)
 * is not listed: re-encoding drops it too, but telling the person "image width was removed" would
 * bury what matters. Anything not recognised counts as 'other' rather than being left out, so the
 * list never claims less was removed than was.
 */

/** Order the person reads them in, the same as the protocol's list. */
export function sortKinds(kinds: Iterable<StrippedMetadata>): StrippedMetadata[] {
  const found = new Set(kinds)
  return STRIPPED_METADATA.filter((kind) => found.has(kind))
}

const key = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '')

const set = (...names: string[]) => new Set(names.map(key))

/** Layout and colour fields, and the pointers that hold a structure together. */
const STRUCTURAL = set(
  'ImageWidth',
  'ImageLength',
  'ImageHeight',
  'BitsPerSample',
  'BitDepth',
  'ColorType',
  'Compression',
  'Filter',
  'Interlace',
  'PhotometricInterpretation',
  'Orientation',
  'SamplesPerPixel',
  'PlanarConfiguration',
  'YCbCrSubSampling',
  'YCbCrPositioning',
  'YCbCrCoefficients',
  'XResolution',
  'YResolution',
  'ResolutionUnit',
  'StripOffsets',
  'RowsPerStrip',
  'StripByteCounts',
  'TileWidth',
  'TileLength',
  'TileOffsets',
  'TileByteCounts',
  'JPEGInterchangeFormat',
  'JPEGInterchangeFormatLength',
  'TransferFunction',
  'WhitePoint',
  'PrimaryChromaticities',
  'ReferenceBlackWhite',
  'Exif IFD Pointer',
  'GPS Info IFD Pointer',
  'Interoperability IFD Pointer',
  'ExifVersion',
  'FlashpixVersion',
  'ColorSpace',
  'ComponentsConfiguration',
  'CompressedBitsPerPixel',
  'PixelXDimension',
  'PixelYDimension',
  'InteroperabilityIndex',
  'InteroperabilityVersion',
  'RelatedImageWidth',
  'RelatedImageHeight',
  'RelatedImageFileFormat',
  'Gamma',
  'NewSubfileType',
  'SubfileType',
  'ICC_Profile',
  'ICCProfile',
  'ColorMode',
  'Coded Character Set',
  'Record Version',
  'Application Record Version',
  'Envelope Record Version',
  'Format',
  'Language',
  'PDFVersion',
  'Trapped',
  'LegacyIPTCDigest',
  'NativeDigest',
  'Pixels Per Unit X',
  'Pixels Per Unit Y',
  'Pixel Units',
  'Alpha',
  'Animation',
)

const LOCATION = set(
  'City',
  'Sub-location',
  'Province/State',
  'State',
  'Country',
  'CountryCode',
  'Country/Primary Location Name',
  'Country/Primary Location Code',
  'Content Location Code',
  'Content Location Name',
  'Location',
  'LocationCreated',
  'LocationShown',
)

const IDENTIFIERS = set(
  'ImageUniqueID',
  'DocumentID',
  'InstanceID',
  'OriginalDocumentID',
  'DerivedFrom',
  'DocumentAncestors',
  'Identifier',
  'VersionID',
  'Original Transmission Reference',
  'Unique Document Identifier',
  'documentID',
)

/** Serial numbers identify the device as well as the photo. */
const SERIALS = /serialnumber$|^serial$/

const CAMERA = set(
  'Make',
  'Model',
  'LensMake',
  'LensModel',
  'LensSpecification',
  'LensInfo',
  'LensID',
  'Lens',
  'MakerNote',
  'HostComputer',
  'UniqueCameraModel',
  'LocalizedCameraModel',
  'FileSource',
  'Source', // PNG: "the device used to create the image"
)

/** Exposure and optics settings: together with the make they point at one camera. */
const CAMERA_SETTINGS =
  /^(exposure|fnumber|iso|photographicsensitivity|shutterspeed|aperture|brightness|maxaperture|subjectdistance|metering|lightsource|flash|focallength|focalplane|sensing|scenetype|scenecapturetype|whitebalance|digitalzoom|gaincontrol|contrast|saturation|sharpness|customrendered|subjectarea|subjectlocation|sensitivitytype|recommendedexposureindex|standardoutputsensitivity|cfapattern|spatialfrequency|devicesettingdescription|compositeimage|sourceimagenumberofcompositeimage|sourceexposuretimesofcompositeimage)/

const AUTHOR = set(
  'Artist',
  'Copyright',
  'XPAuthor',
  'CameraOwnerName',
  'OwnerName',
  'By-line',
  'By-line Title',
  'Copyright Notice',
  'Credit',
  'Writer/Editor',
  'Contact',
  'Author',
  'Creator',
  'Contributor',
  'Publisher',
  'Rights',
  'AuthorsPosition',
  'CaptionWriter',
  'CreatorContactInfo',
  'Owner',
  'UsageTerms',
  'WebStatement',
  'Marked',
  'Disclaimer',
)

const SOFTWARE = set(
  'Software',
  'ProcessingSoftware',
  'Originating Program',
  'Program Version',
  'CreatorTool',
  'Producer',
  'History',
  'softwareAgent',
)

const DESCRIPTION = set(
  'ImageDescription',
  'UserComment',
  'XPComment',
  'XPTitle',
  'XPSubject',
  'XPKeywords',
  'DocumentName',
  'PageName',
  'Caption/Abstract',
  'Headline',
  'Keywords',
  'Object Name',
  'Special Instructions',
  'Instructions',
  'Category',
  'Supplemental Category',
  'SupplementalCategories',
  'Title',
  'Description',
  'Comment',
  'Subject',
  'TextLayers',
  'PersonInImage',
  'Warning',
)

const THUMBNAIL = set('Thumbnail', 'Thumbnails', 'JFIF Thumbnail', 'PreviewImage')

/** Dates and times, once exposure times have been taken as camera settings above. */
const DATES = /(date|time|when|offsettime|subsec)/

/**
 * The kinds a named field belongs to ([] for layout fields). Case, spaces and punctuation are
 * ignored, so "By-line", "DateTimeOriginal" and PNG's "Creation Time" all match.
 */
export function kindsOfField(name: string): readonly StrippedMetadata[] {
  const k = key(name)
  if (k === '' || STRUCTURAL.has(k)) return []
  if (k.startsWith('gps') || LOCATION.has(k)) return ['location']
  if (SERIALS.test(k)) return ['camera', 'identifiers']
  if (IDENTIFIERS.has(k)) return ['identifiers']
  if (CAMERA.has(k) || CAMERA_SETTINGS.test(k)) return ['camera']
  if (AUTHOR.has(k)) return ['author']
  if (SOFTWARE.has(k)) return k === 'history' ? ['software', 'dates'] : ['software']
  if (DESCRIPTION.has(k)) return ['description']
  if (THUMBNAIL.has(k)) return ['thumbnail']
  if (DATES.test(k)) return ['dates']
  return ['other']
}
