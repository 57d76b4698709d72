import type { Data } from 'apache-arrow';
import { countSet } from './bits.js';
import { ByteSink } from './byteSink.js';
import type { Compressor } from './compress.js';
import { dictionaryOfBytes, dictionaryOfWords } from './dictionaryEncoder.js';
import type { DictionaryValues } from './dictionaryEncoder.js';
import { gather } from './gather.js';
import type { ColumnValues } from './gather.js';
import { Encoding, Physical } from './parquetTypes.js';
import type { LeafColumn } from './parquetTypes.js';
import { plainBools, plainByteArrays, plainFixed, plainWords } from './plainEncoder.js';
import { bitWidthOf, encodeHybrid, encodeValidityLevels, rleRun } from './rle.js';
import { statistics } from './statistics.js';
import type { ColumnStatistics } from './statistics.js';
import { ThriftWriter } from './thriftCompact.js';

/** One column chunk, encoded and compressed: its bytes in file order and what the footer says of it. */
export interface EncodedChunk {
  parts: Uint8Array[];
  /** Offsets relative to the chunk's first byte. */
  dictionaryPageOffset?: number;
  dataPageOffset: number;
  compressedSize: number;
  uncompressedSize: number;
  numValues: number;
  encodings: number[];
  statistics: ColumnStatistics;
}

/** Uncompressed bytes a data page aims at (arrow-rs's default page size). */
const PAGE_BYTES = 1 << 20;
/** Pages start on a row that is a multiple of 8, so their definition levels are whole validity bytes. */
const MAX_PAGE_ROWS = 1 << 17;

const PageType = { DATA_PAGE: 0, DICTIONARY_PAGE: 2 } as const;

interface Page {
  rows: number;
  uncompressed: number;
  body: Promise<Uint8Array>;
}

function tryDictionary(leaf: LeafColumn, values: ColumnValues): DictionaryValues | null {
  if (values.count === 0 || leaf.physical === Physical.BOOLEAN || leaf.gather === 'flba') return null;
  if (leaf.physical === Physical.BYTE_ARRAY) return dictionaryOfBytes(values.bytes, values.offsets, values.count);
  return dictionaryOfWords(values.words, values.count, leaf.width);
}

/** Plain bytes a value takes, on average: sizes the data pages. */
function plainBytesPerRow(leaf: LeafColumn, values: ColumnValues, dictionary: DictionaryValues | null): number {
  if (dictionary) return bitWidthOf(dictionary.size - 1) / 8;
  switch (leaf.physical) {
    case Physical.BOOLEAN:
      return 1 / 8;
    case Physical.BYTE_ARRAY:
      return values.count === 0 ? 1 : 4 + values.bytes.length / values.count;
    case Physical.FIXED_LEN_BYTE_ARRAY:
      return leaf.width;
    default:
      return leaf.width * 4;
  }
}

function plainValues(sink: ByteSink, leaf: LeafColumn, v: { words: Int32Array; bytes: Uint8Array; offsets: Int32Array }, from: number, to: number): void {
  switch (leaf.physical) {
    case Physical.BOOLEAN:
      return plainBools(sink, v.bytes, from, to);
    case Physical.BYTE_ARRAY:
      return plainByteArrays(sink, v.bytes, v.offsets, from, to);
    case Physical.FIXED_LEN_BYTE_ARRAY:
      return plainFixed(sink, v.bytes, leaf.width, from, to);
    default:
      return plainWords(sink, v.words, leaf.width, from, to);
  }
}

function pageHeader(type: number, uncompressed: number, compressed: number, rows: number, encoding: number): Uint8Array {
  const w = new ThriftWriter().i32(1, type).i32(2, uncompressed).i32(3, compressed);
  if (type === PageType.DICTIONARY_PAGE) w.struct(7).i32(1, rows).i32(2, Encoding.PLAIN).end();
  else w.struct(5).i32(1, rows).i32(2, encoding).i32(3, Encoding.RLE).i32(4, Encoding.RLE).end();
  return w.end().bytes();
}

/**
 * Encodes one column of a row group from its Arrow pieces: a PLAIN dictionary page and
 * RLE_DICTIONARY data pages when the dictionary pays, PLAIN data pages otherwise; definition
 * levels from the validity bitmap; data page v1. The pages' compression is started here and runs
 * on the thread pool while the caller encodes the next column.
 */
export function encodeColumnChunk(leaf: LeafColumn, pieces: Data[], compress: Compressor): Promise<EncodedChunk> {
  const values = gather(leaf, pieces);
  const dictionary = tryDictionary(leaf, values);
  const stats = statistics(leaf, dictionary ? { ...dictionary, count: dictionary.size } : values, values.nulls);

  let dictionaryPage: Page | undefined;
  if (dictionary) {
    const sink = new ByteSink(Math.max(64, dictionary.words.byteLength + dictionary.bytes.length + dictionary.size * 4));
    plainValues(sink, leaf, dictionary, 0, dictionary.size);
    const body = sink.view();
    dictionaryPage = { rows: dictionary.size, uncompressed: body.length, body: compress(body) };
  }

  const bitWidth = dictionary ? bitWidthOf(dictionary.size - 1) : 0;
  let pageRows = Math.floor(PAGE_BYTES / plainBytesPerRow(leaf, values, dictionary));
  pageRows = Math.max(8, Math.min(MAX_PAGE_ROWS, pageRows & ~7));
  const pages: Page[] = [];
  let valueAt = 0;
  for (let row = 0; row < values.rows || (row === 0 && pages.length === 0); row += pageRows) {
    const rows = Math.min(pageRows, values.rows - row);
    const count = values.validity ? countSet(values.validity, row, rows) : rows;
    const sink = new ByteSink(Math.ceil(rows * plainBytesPerRow(leaf, values, dictionary)) + rows / 8 + 64);
    if (leaf.nullable) {
      const lengthAt = sink.length;
      sink.uint32le(0);
      if (values.validity) encodeValidityLevels(sink, values.validity, row, rows);
      else if (rows > 0) rleRun(sink, 1, rows, 1);
      const length = sink.length - lengthAt - 4;
      new DataView(sink.bytes.buffer).setUint32(lengthAt, length, true);
    }
    if (dictionary) {
      sink.byte(bitWidth);
      if (count > 0) encodeHybrid(sink, dictionary.indices, valueAt, valueAt + count, bitWidth);
    } else plainValues(sink, leaf, values, valueAt, valueAt + count);
    valueAt += count;
    const body = sink.view();
    pages.push({ rows, uncompressed: body.length, body: compress(body) });
    if (rows === 0) break;
  }

  return assemble(dictionaryPage, pages, dictionary ? Encoding.RLE_DICTIONARY : Encoding.PLAIN, values.rows, stats);
}

async function assemble(dictionaryPage: Page | undefined, pages: Page[], encoding: number, rows: number, stats: ColumnStatistics): Promise<EncodedChunk> {
  const all = dictionaryPage ? [dictionaryPage, ...pages] : pages;
  const bodies = await Promise.all(all.map((page) => page.body));
  const parts: Uint8Array[] = [];
  let compressedSize = 0;
  let uncompressedSize = 0;
  let dataPageOffset = -1;
  all.forEach((page, k) => {
    const dictionaryHere = k === 0 && dictionaryPage !== undefined;
    if (!dictionaryHere && dataPageOffset < 0) dataPageOffset = compressedSize;
    const header = pageHeader(dictionaryHere ? PageType.DICTIONARY_PAGE : PageType.DATA_PAGE, page.uncompressed, bodies[k].length, page.rows, encoding);
    parts.push(header, bodies[k]);
    compressedSize += header.length + bodies[k].length;
    uncompressedSize += header.length + page.uncompressed;
  });
  const encodings = encoding === Encoding.RLE_DICTIONARY ? [Encoding.PLAIN, Encoding.RLE, Encoding.RLE_DICTIONARY] : [Encoding.PLAIN, Encoding.RLE];
  return {
    parts,
    dictionaryPageOffset: dictionaryPage ? 0 : undefined,
    dataPageOffset,
    compressedSize,
    uncompressedSize,
    numValues: rows,
    encodings,
    statistics: stats,
  };
}
