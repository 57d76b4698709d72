import type { Data } from 'apache-arrow';
import { countSet } from '../bits.js';
import { ByteSink } from './byteSink.js';
import type { Compressor } from './compress.js';
import { BytesDictionary, PieceEntryMap, WordsDictionary, dictionaryPieceIndices } from './dictionaryEncoder.js';
import type { DictionaryValues } from './dictionaryEncoder.js';
import { DictionaryTrial } from './dictionaryTrial.js';
import { gather, gatherLevels } from './gather.js';
import type { ColumnValues } from './gather.js';
import { Encoding, Physical } from './parquetTypes.js';
import type { LeafColumn } from './parquetTypes.js';
import { plainBools, plainByteArrays, plainFixed, plainWords } from './plainEncoder.js';
import { bitWidthOf, encodeHybrid, encodeValidityLevels, rleRun } from './rle.js';
import { columnIndexOf, dictionaryPageStatistics } from './pageIndex.js';
import type { ColumnIndexData, PageEntry, PageLocation } from './pageIndex.js';
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
  /** The data pages' places (OffsetIndex), relative to the chunk's first byte. */
  pageLocations: PageLocation[];
  /** The data pages' bounds (ColumnIndex); undefined when a page has values but no bounds. */
  columnIndex?: ColumnIndexData;
}

/** Uncompressed bytes a data page aims at (arrow-rs's default page size). */
const PAGE_BYTES = 1 << 20;
/**
 * Rows a data page holds at most: small enough for the page index to skip (arrow-rs's limit is
 * 20,000). A multiple of 8, so pages start on whole validity bytes.
 */
export const MAX_PAGE_ROWS = 20_480;

/** Values of a chunk's first page from which mostly distinct ones give the dictionary up (see cutPage). */
const FIRST_PAGE_CHECK = 16_384;

const PageType = { DATA_PAGE: 0, DICTIONARY_PAGE: 2 } as const;

interface Page {
  rows: number;
  uncompressed: number;
  body: Promise<Uint8Array>;
}

/** Plain bytes a value takes, on average: sizes the data pages. */
function plainBytesPerRow(leaf: LeafColumn, values: ColumnValues): number {
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
 * Encodes one column of a row group from its Arrow pieces (see ColumnChunkBuilder): a PLAIN
 * dictionary page and RLE_DICTIONARY data pages while the dictionary pays, PLAIN data pages
 * otherwise; definition levels from the validity bitmap; data page v1.
 */
export function encodeColumnChunk(leaf: LeafColumn, pieces: Data[], compress: Compressor): Promise<EncodedChunk> {
  const builder = new ColumnChunkBuilder(leaf, compress, MAX_PAGE_ROWS);
  for (const piece of pieces) builder.append(piece);
  return builder.finish();
}

/** A data page, compressed (or compressing), with its encoding and what the page index says of it. */
interface DataPage extends Page {
  encoding: number;
  entry: PageEntry;
}

/**
 * One column chunk encoded as its batches arrive: Arrow pieces wait only until a page fills
 * (PAGE_BYTES of encoded values, or MAX_PAGE_ROWS rows), then they are gathered, dictionary
 * encoded against the dictionary grown so far (each page carries its own bit width), and the
 * page's compression starts on the thread pool. So memory holds a page of Arrow data per column
 * and the compressed pages, not a row group of Arrow batches. Past the dictionary's limit the
 * remaining pages are PLAIN, after the dictionary-encoded ones (as arrow-rs and parquet-mr fall
 * back); a dictionary given up before its first page leaves the whole chunk PLAIN.
 */
export class ColumnChunkBuilder {
  private pieces: Data[] = [];
  private pieceRows = 0;
  private pieceBytes = 0;
  private dictionary: WordsDictionary | BytesDictionary | null;
  /** The dictionary as it was when it gave up after encoding pages; undefined while it grows. */
  private frozen: Omit<DictionaryValues, 'indices'> | undefined;
  private dictionaryPages = 0;
  /** Fixed-width values' pages held until their dictionary is known to pay (see dictionaryTrial.ts). */
  private trial: DictionaryTrial | null = null;
  /** Arrow dictionary pieces: their batch's entries' places in the chunk dictionary. */
  private readonly pieceEntries = new PieceEntryMap();
  private readonly pages: (DataPage | LevelsOnlyPage)[] = [];
  private nulls = 0;
  private rows = 0;
  /** Scratch for dictionaryPageStatistics: which dictionary entries the current page uses. */
  private stamp = new Int32Array(0);

  /** `pageRows`: rows per data page at most (a multiple of 8). */
  constructor(private readonly leaf: LeafColumn, private readonly compress: Compressor, private readonly pageRows: number) {
    const noDictionary = leaf.physical === Physical.BOOLEAN || leaf.gather === 'flba';
    this.dictionary = noDictionary ? null : leaf.physical === Physical.BYTE_ARRAY ? new BytesDictionary() : new WordsDictionary(leaf.width);
    if (this.dictionary && leaf.gather === 'words') this.trial = new DictionaryTrial(leaf.width);
  }

  append(data: Data): void {
    for (let at = 0; at < data.length; ) {
      const take = Math.min(this.pageRows - this.pieceRows, data.length - at);
      const piece = at === 0 && take === data.length ? data : data.slice(at, take);
      this.pieces.push(piece);
      this.pieceRows += take;
      this.pieceBytes += this.bytesOf(piece);
      at += take;
      if (this.pieceRows >= this.pageRows || this.pageBytes() >= PAGE_BYTES || this.pieceBytes >= 8 * PAGE_BYTES) this.cutPage();
    }
  }

  /** Plain bytes of a piece's values (nulls included, which costs little). */
  private bytesOf(piece: Data): number {
    const leaf = this.leaf;
    if (leaf.physical === Physical.BYTE_ARRAY) {
      const vo = piece.valueOffsets as Int32Array | undefined;
      return 4 * piece.length + (vo ? vo[piece.length] - vo[0] : 0);
    }
    if (leaf.physical === Physical.BOOLEAN) return piece.length / 8;
    if (leaf.physical === Physical.FIXED_LEN_BYTE_ARRAY) return leaf.width * piece.length;
    return leaf.width * 4 * piece.length;
  }

  /** What the waiting pieces will take as a page: dictionary indices while the dictionary lasts. */
  private pageBytes(): number {
    if (this.dictionary && !this.frozen && !this.trial) return (this.pieceRows * bitWidthOf(Math.max(1, this.dictionary.size))) / 8;
    return this.pieceBytes;
  }

  private cutPage(): void {
    const leaf = this.leaf;
    const pieces = this.pieces;
    this.pieces = [];
    this.pieceRows = 0;
    this.pieceBytes = 0;
    if (this.trial) {
      const values = gather(leaf, pieces);
      const dictionary = this.trial.count(values);
      if (dictionary === undefined) this.trial.hold(values);
      else this.settle(dictionary, values);
      return;
    }
    let values: ColumnValues | undefined;
    let indices: Int32Array | null = null;
    const dictionary = this.dictionary;
    if (dictionary && !this.frozen) {
      if (leaf.gather === 'dictionary' && dictionary instanceof BytesDictionary) {
        // Arrow dictionary pieces (CSV's repeating columns): their indices, without decoding a row.
        const levels = gatherLevels(pieces);
        indices = this.indicesOf(() => dictionaryPieceIndices(dictionary, pieces, levels.count, this.pieceEntries), levels.count);
        if (indices) values = levels;
      } else {
        const gathered = (values = gather(leaf, pieces));
        indices = this.indicesOf(() => (dictionary instanceof BytesDictionary ? dictionary.add(gathered.bytes, gathered.offsets, gathered.count) : dictionary.add(gathered.words, gathered.count)), gathered.count);
      }
      if (!indices && leaf.gather === 'dictionary') values = undefined;
    }
    // No dictionary, or it gave up: the values themselves (PLAIN).
    this.writePage(values ?? gather(leaf, pieces), indices);
  }

  /**
   * A page's dictionary indices (`add` runs it), or null when the dictionary gives up there: then
   * the pages encoded so far keep the dictionary as it was, and the rest are PLAIN.
   */
  private indicesOf(add: () => Int32Array | null, count: number): Int32Array | null {
    const dictionary = this.dictionary!;
    const before = dictionary.values();
    let indices = add();
    // The dictionary's own early check looks at 32,768 values, more than a page holds: the first
    // page decides instead whether mostly distinct values (ids, timestamps) make it not pay.
    // (Not when a trial judged the chunk's first pages: WordsDictionary.judged.)
    const judged = dictionary instanceof WordsDictionary && dictionary.judged;
    if (indices && this.dictionaryPages === 0 && !judged && count >= FIRST_PAGE_CHECK && dictionary.size > 0.9 * count) indices = null;
    if (!indices) {
      if (this.dictionaryPages > 0) this.frozen = before;
      else this.dictionary = null;
    }
    return indices;
  }

  /**
   * Ends the dictionary trial: its held pages, then `last` (the page that decided it, not held:
   * its words are gather's, read here before the next gather), are encoded, through the dictionary or PLAIN.
   */
  private settle(useDictionary: boolean, last?: ColumnValues): void {
    const held = this.trial!.release();
    if (last) held.push(last);
    this.trial = null;
    if (!useDictionary) this.dictionary = null;
    else (this.dictionary as WordsDictionary).judged = true;
    for (const values of held) {
      const dictionary = this.dictionary;
      const indices = dictionary instanceof WordsDictionary && !this.frozen ? this.indicesOf(() => dictionary.add(values.words, values.count), values.count) : null;
      this.writePage(values, indices);
    }
  }

  /** Gives up held pages (the file is aborted). */
  discard(): void {
    this.trial?.release();
    this.trial = null;
  }

  /** Encodes one data page: its definition levels, then its dictionary indices or PLAIN values. */
  private writePage(values: ColumnValues, indices: Int32Array | null): void {
    const leaf = this.leaf;
    const dictionary = this.dictionary;
    this.rows += values.rows;
    this.nulls += values.nulls;
    const rows = values.rows;
    const count = values.count;
    // Dictionary indices take their bit width per value (and a run header now and then), not a plain value's bytes.
    const valueBytes = indices ? (count * (bitWidthOf(dictionary!.size - 1) + 1)) / 8 : count * plainBytesPerRow(leaf, values);
    const sink = new ByteSink(Math.ceil(valueBytes + rows / 8 + 64));
    if (leaf.nullable) {
      const lengthAt = sink.length;
      sink.uint32le(0);
      if (values.validity) encodeValidityLevels(sink, values.validity, 0, rows);
      else if (rows > 0) rleRun(sink, 1, rows, 1);
      const length = sink.length - lengthAt - 4;
      new DataView(sink.bytes.buffer).setUint32(lengthAt, length, true);
    }
    if (indices && count === 0 && this.dictionaryPages === 0) {
      // No value and no dictionary page yet: its encoding is settled when the chunk ends.
      this.pages.push({ rows, levels: sink.view().slice() });
      return;
    }
    let encoding: number = Encoding.PLAIN;
    let stats: ColumnStatistics = { nulls: values.nulls };
    if (indices) {
      const bitWidth = bitWidthOf(dictionary!.size - 1);
      sink.byte(bitWidth);
      if (count > 0) encodeHybrid(sink, indices, 0, count, bitWidth);
      encoding = Encoding.RLE_DICTIONARY;
      this.dictionaryPages++;
      // Page bounds: fixed-width values in one pass over them; byte arrays by the entries they use.
      if (count > 0) stats = leaf.physical === Physical.BYTE_ARRAY ? this.dictionaryPageStats(indices, count) : statistics(leaf, values, values.nulls);
    } else {
      plainValues(sink, leaf, values, 0, count);
      if (count > 0) stats = statistics(leaf, values, values.nulls);
    }
    const body = sink.view();
    this.pages.push({ rows, uncompressed: body.length, body: this.compress(body), encoding, entry: { rows, values: count, stats } });
  }

  /** Bounds of the dictionary entries a page's indices use. */
  private dictionaryPageStats(indices: Int32Array, count: number): ColumnStatistics {
    const dictionary = this.dictionary!.values();
    if (this.stamp.length < dictionary.size) {
      const grown = new Int32Array(Math.max(dictionary.size, this.stamp.length * 2));
      grown.set(this.stamp);
      this.stamp = grown;
    }
    return dictionaryPageStatistics(dictionary, indices, count, this.stamp, this.dictionaryPages);
  }

  /** The last page, the dictionary page, statistics: the chunk's bytes once every page is compressed. */
  finish(): Promise<EncodedChunk> {
    if (this.pieces.length > 0) this.cutPage();
    if (this.trial) this.settle(this.trial.decide(true)!);
    if (this.pages.length === 0) this.cutPage();
    const leaf = this.leaf;
    const usesDictionary = this.dictionaryPages > 0;
    const pages: DataPage[] = this.pages.map((page) => {
      if (!('levels' in page)) return page;
      const body = usesDictionary ? Uint8Array.of(...page.levels, bitWidthOf(this.dictionary!.size - 1)) : page.levels;
      const entry = { rows: page.rows, values: 0, stats: { nulls: page.rows } };
      return { rows: page.rows, uncompressed: body.length, body: this.compress(body), encoding: usesDictionary ? Encoding.RLE_DICTIONARY : Encoding.PLAIN, entry };
    });
    // The PLAIN pages' bounds (the dictionary-encoded ones' are the dictionary's, below).
    let stats = mergeStatistics(leaf, pages.filter((page) => page.encoding === Encoding.PLAIN && page.entry.values > 0).map((page) => page.entry.stats));
    let dictionaryPage: Page | undefined;
    if (usesDictionary) {
      const dictionary = this.frozen ?? this.dictionary!.values();
      const sink = new ByteSink(Math.max(64, dictionary.words.byteLength + dictionary.bytes.length + dictionary.size * 4));
      plainValues(sink, leaf, dictionary, 0, dictionary.size);
      const body = sink.view();
      dictionaryPage = { rows: dictionary.size, uncompressed: body.length, body: this.compress(body) };
      if (dictionary.size > 0) stats = mergeStatistics(leaf, [...(stats ? [stats] : []), statistics(leaf, { ...dictionary, count: dictionary.size }, 0)]);
    }
    const all = { ...(stats ?? {}), nulls: this.nulls };
    return assemble(dictionaryPage, pages, this.rows, all, usesDictionary, columnIndexOf(leaf, pages.map((page) => page.entry)));
  }
}

/** A page of definition levels only, waiting for its encoding (see cutPage). */
interface LevelsOnlyPage {
  rows: number;
  levels: Uint8Array;
}

/**
 * Statistics of runs of values, by the statistics of their ends (min and max are PLAIN values, so
 * they read back as values of the column's type); undefined for no run.
 */
function mergeStatistics(leaf: LeafColumn, runs: ColumnStatistics[]): ColumnStatistics | undefined {
  if (runs.length <= 1) return runs[0];
  const ends = runs.flatMap((run) => [run.min, run.max]).filter((e): e is Uint8Array => e !== undefined);
  const nulls = runs.reduce((n, run) => n + run.nulls, 0);
  if (ends.length === 0) return { nulls };
  const joined = new Uint8Array(ends.reduce((n, e) => n + e.length, 0));
  const offsets = new Int32Array(ends.length + 1);
  ends.forEach((e, k) => {
    joined.set(e, offsets[k]);
    offsets[k + 1] = offsets[k] + e.length;
  });
  let bytes = joined;
  if (leaf.order === 'bool') {
    bytes = new Uint8Array((ends.length + 7) >> 3);
    ends.forEach((e, k) => (bytes[k >> 3] |= (e[0] & 1) << (k & 7)));
  }
  const words = leaf.order === 'bytes' || leaf.order === 'bool' || leaf.order === 'flba' ? new Int32Array(0) : new Int32Array(joined.buffer, 0, joined.length >> 2);
  return { ...statistics(leaf, { count: ends.length, words, bytes, offsets }, 0), nulls };
}

async function assemble(dictionaryPage: Page | undefined, pages: DataPage[], rows: number, stats: ColumnStatistics, usesDictionary: boolean, columnIndex: ColumnIndexData | undefined): Promise<EncodedChunk> {
  const all: (Page & { encoding?: number })[] = dictionaryPage ? [dictionaryPage, ...pages] : pages;
  const pageLocations: PageLocation[] = [];
  let firstRow = 0;
  const bodies = await Promise.all(all.map((page) => page.body));
  const parts: Uint8Array[] = [];
  let compressedSize = 0;
  let uncompressedSize = 0;
  let dataPageOffset = -1;
  all.forEach((page, k) => {
    const dictionaryHere = k === 0 && dictionaryPage !== undefined;
    if (!dictionaryHere && dataPageOffset < 0) dataPageOffset = compressedSize;
    const header = pageHeader(dictionaryHere ? PageType.DICTIONARY_PAGE : PageType.DATA_PAGE, page.uncompressed, bodies[k].length, page.rows, page.encoding ?? Encoding.PLAIN);
    parts.push(header, bodies[k]);
    if (!dictionaryHere) {
      pageLocations.push({ offset: compressedSize, size: header.length + bodies[k].length, firstRow });
      firstRow += page.rows;
    }
    compressedSize += header.length + bodies[k].length;
    uncompressedSize += header.length + page.uncompressed;
  });
  const encodings = usesDictionary ? [Encoding.PLAIN, Encoding.RLE, Encoding.RLE_DICTIONARY] : [Encoding.PLAIN, Encoding.RLE];
  return {
    parts,
    dictionaryPageOffset: dictionaryPage ? 0 : undefined,
    dataPageOffset,
    compressedSize,
    uncompressedSize,
    numValues: rows,
    encodings,
    statistics: stats,
    pageLocations,
    columnIndex,
  };
}
