import { corrupt } from './corrupt.js';
import type { ReusedBuffer } from '../../../compress/snappyUncompress.js';
import type { Decompressor } from './decompress.js';
import { decodeBitPackedValidity, decodeValidity } from './hybrid.js';
import { PageType, readPageHeader, type PageHeader } from './pageHeader.js';
import { ValueSink, type DecodedValues, type DictionaryValues } from './valueSink.js';

/** Encoding of parquet.thrift the flat reader decodes. */
export const Encoding = {
  PLAIN: 0, PLAIN_DICTIONARY: 2, RLE: 3, BIT_PACKED: 4, DELTA_BINARY_PACKED: 5, DELTA_LENGTH_BYTE_ARRAY: 6, DELTA_BYTE_ARRAY: 7,
  RLE_DICTIONARY: 8, BYTE_STREAM_SPLIT: 9,
} as const;

/** Encodings a chunk may list for the flat reader to take it (BIT_PACKED: old writers' levels). */
export const DECODED_ENCODINGS = new Set<number>(Object.values(Encoding));

/** One column of one row group, decoded: values at row positions, and validity when some are null. */
export interface DecodedColumn {
  rows: number;
  /** Validity bits (1 = value); null when no row is null. */
  validity: Uint8Array | null;
  nullCount: number;
  values: DecodedValues;
}

/** How to decode one flat column chunk. */
export interface ChunkSpec {
  physicalType: number;
  /** Bytes per value of a fixed-width type (INT32 4, INT64 8, INT96 12, FIXED_LEN_BYTE_ARRAY its length). */
  width: number;
  optional: boolean;
  /** BYTE_ARRAY: keep dictionary pages as indices into the dictionary (for Arrow dictionary columns). */
  keepDictionary: boolean;
  decompress: Decompressor;
}

/**
 * Decodes a flat column chunk's pages (dictionary page, data pages v1 and v2) into values at row
 * positions: definition levels straight into validity bits, PLAIN and dictionary-encoded values
 * into typed arrays (see ValueSink). `bytes` is the chunk, `rows` the row group's row count.
 * A read that skips pages passes the chunk's dictionary page and some of its data pages, `rows`
 * their rows, and `pageRows` each data page's rows as the page index says (checked against the
 * page headers, so an index that points at the wrong pages fails instead of shifting rows).
 */
export async function decodeColumnChunk(bytes: Uint8Array, rows: number, spec: ChunkSpec, pageRows?: number[]): Promise<DecodedColumn> {
  const validity = spec.optional ? new Uint8Array(((rows + 7) >> 3) + 1) : null;
  const sink = new ValueSink(spec, rows);
  // Pages decompress into one buffer: each is copied into the Arrow buffers before the next.
  const pageBuffer: ReusedBuffer = { bytes: new Uint8Array(0) };
  let dictionary: DictionaryValues | undefined;
  let at = 0;
  let row = 0;
  let nonNull = 0;
  let page = 0;
  while (row < rows) {
    if (at >= bytes.length) corrupt(`the column chunk ends after ${row} of the row group's ${rows} rows`);
    const header = readPageHeader(bytes, at, bytes.length);
    const bodyAt = at + header.headerSize;
    at = bodyAt + header.compressedSize;
    if (at > bytes.length) corrupt(`a page of ${header.compressedSize} bytes runs past the end of the column chunk`);
    const raw = bytes.subarray(bodyAt, at);
    if (header.type === PageType.DICTIONARY_PAGE) {
      if (header.encoding !== Encoding.PLAIN && header.encoding !== Encoding.PLAIN_DICTIONARY) corrupt(`dictionary page encoding ${header.encoding}`);
      const body = await decompressed(spec, raw, header.uncompressedSize, pageBuffer);
      dictionary = sink.dictionaryFrom(body, header.numValues);
      continue;
    }
    if (header.type !== PageType.DATA_PAGE && header.type !== PageType.DATA_PAGE_V2) continue; // index pages
    const n = header.numValues;
    if (n > rows - row) corrupt(`a data page of ${n} values runs past the row group's ${rows} rows`);
    if (pageRows && pageRows[page] !== n) corrupt(`data page ${page} read by the page index holds ${n} values, the index says ${pageRows[page]} rows`);
    page++;
    const { body, valuesAt, present } = await dataPage(spec, header, raw, validity, row, pageBuffer);
    nonNull += present;
    sink.page(header.encoding, body, valuesAt, validity, row, n, present, dictionary);
    row += n;
  }
  if (at < bytes.length && holdsDataPage(bytes, at)) corrupt(`the column chunk holds more values than the row group's ${rows} rows`);
  const nullCount = rows - nonNull;
  return { rows, validity: nullCount > 0 ? validity : null, nullCount, values: sink.finish(dictionary) };
}

/** Whether a data page header starts at `at` (after a chunk's last row: a footer that undercounts the group). */
function holdsDataPage(bytes: Uint8Array, at: number): boolean {
  try {
    const type = readPageHeader(bytes, at, bytes.length).type;
    return type === PageType.DATA_PAGE || type === PageType.DATA_PAGE_V2;
  } catch {
    return false;
  }
}

async function decompressed(spec: ChunkSpec, raw: Uint8Array, size: number, into: ReusedBuffer): Promise<Uint8Array> {
  let body: Uint8Array;
  try {
    body = await spec.decompress(raw, size, into);
  } catch (error) {
    return corrupt(`a page does not decompress: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (body.length !== size) corrupt(`a page decompresses to ${body.length} bytes, its header says ${size}`);
  return body;
}

/** A data page's body and its definition levels decoded into `validity` at `row`; `present` = non-null values. */
async function dataPage(spec: ChunkSpec, header: PageHeader, raw: Uint8Array, validity: Uint8Array | null, row: number, into: ReusedBuffer): Promise<{ body: Uint8Array; valuesAt: number; present: number }> {
  const n = header.numValues;
  if (header.type === PageType.DATA_PAGE_V2) {
    // Levels first, never compressed; then the values, compressed unless the header says not.
    const levels = header.repetitionBytes + header.definitionBytes;
    if (levels > raw.length) corrupt('data page v2 levels run past the page');
    const values = raw.subarray(levels);
    // No value bytes at all (a page of nulls, as parquet-mr writes it) are not a compressed stream.
    const body = header.valuesCompressed && values.length > 0 ? await decompressed(spec, values, header.uncompressedSize - levels, into) : values;
    let present = n;
    if (validity) present = decodeValidity(raw, header.repetitionBytes, levels, n, validity, row);
    if (header.numNulls !== undefined && header.numNulls !== n - present) corrupt(`a data page v2 says ${header.numNulls} nulls, its levels ${n - present}`);
    return { body, valuesAt: 0, present };
  }
  const body = await decompressed(spec, raw, header.uncompressedSize, into);
  if (!validity) return { body, valuesAt: 0, present: n };
  if (header.definitionEncoding === Encoding.BIT_PACKED) {
    const present = decodeBitPackedValidity(body, 0, body.length, n, validity, row);
    return { body, valuesAt: (n + 7) >> 3, present };
  }
  if (body.length < 4) corrupt('a data page too short for its definition levels');
  const length = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(0, true);
  if (4 + length > body.length) corrupt(`definition levels of ${length} bytes run past the page`);
  const present = decodeValidity(body, 4, 4 + length, n, validity, row);
  return { body, valuesAt: 4 + length, present };
}

