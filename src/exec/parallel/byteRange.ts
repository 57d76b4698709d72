// The byte-range reading moved to the formats (io/formats/byteRange.ts); kept for its callers' imports.
export { countNewlinesBefore, recordAlignedRange } from '../../io/formats/byteRange.js';
