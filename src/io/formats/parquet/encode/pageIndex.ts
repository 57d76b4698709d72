import type { DictionaryValues } from './dictionaryEncoder.js';
import { Converted, Physical } from './parquetTypes.js';
import type { LeafColumn } from './parquetTypes.js';
import { compareStatistic } from './statistics.js';
import type { ColumnStatistics } from './statistics.js';
import { TType, ThriftWriter } from './thriftCompact.js';

/**
 * The Parquet page index of one column chunk (parquet.thrift ColumnIndex and OffsetIndex): per data
 * page its min, max and null count, and where it lies and which row it starts at, so that a reader
 * skips the pages a filter cannot match. Written as arrow-rs writes it: all-null pages have empty
 * bounds; a page with values but no bounds (only NaN floats) leaves the chunk without a ColumnIndex;
 * boundary_order is ASCENDING when the pages' bounds never decrease (also when all pages are null),
 * DESCENDING when they never increase; byte-array bounds past 64 bytes are truncated (a shorter min
 * is still a lower bound; the max is incremented to stay an upper bound).
 */

/** What the index records of one data page. */
export interface PageEntry {
  rows: number;
  /** Non-null values in the page. */
  values: number;
  stats: ColumnStatistics;
}

/** Where one data page lies, relative to its column chunk's first byte (its header included). */
export interface PageLocation {
  offset: number;
  size: number;
  firstRow: number;
}

export interface ColumnIndexData {
  nullPages: boolean[];
  mins: Uint8Array[];
  maxes: Uint8Array[];
  boundaryOrder: number;
  nullCounts: number[];
}

const BoundaryOrder = { UNORDERED: 0, ASCENDING: 1, DESCENDING: 2 } as const;
/** arrow-rs's column_index_truncate_length. */
const TRUNCATE_LENGTH = 64;
const EMPTY = new Uint8Array(0);

/**
 * Bounds of the byte-array dictionary entries a page's indices use (the page's values, without
 * decoding them): each entry is compared once, in place. `stamp` is scratch of at least the
 * dictionary's size, reused across pages: an entry already compared for this page has stamp `mark`.
 */
export function dictionaryPageStatistics(dictionary: Omit<DictionaryValues, 'indices'>, indices: Int32Array, count: number, stamp: Int32Array, mark: number): ColumnStatistics {
  const { bytes, offsets } = dictionary;
  let lo = indices[0];
  let hi = lo;
  stamp[lo] = mark;
  for (let i = 1; i < count; i++) {
    const entry = indices[i];
    if (stamp[entry] === mark) continue;
    stamp[entry] = mark;
    const s = offsets[entry];
    const e = offsets[entry + 1];
    if (compareIn(bytes, s, e, offsets[lo], offsets[lo + 1]) < 0) lo = entry;
    else if (compareIn(bytes, s, e, offsets[hi], offsets[hi + 1]) > 0) hi = entry;
  }
  return { nulls: 0, min: bytes.slice(offsets[lo], offsets[lo + 1]), max: bytes.slice(offsets[hi], offsets[hi + 1]) };
}

/** Unsigned lexicographic order of two runs of `b` (as the chunk statistics order byte arrays). */
function compareIn(b: Uint8Array, s1: number, e1: number, s2: number, e2: number): number {
  const n = Math.min(e1 - s1, e2 - s2);
  for (let k = 0; k < n; k++) {
    const d = b[s1 + k] - b[s2 + k];
    if (d !== 0) return d;
  }
  return e1 - s1 - (e2 - s2);
}

/** The chunk's ColumnIndex, or undefined when a page with values has no bounds (see above). */
export function columnIndexOf(leaf: LeafColumn, pages: PageEntry[]): ColumnIndexData | undefined {
  const index: ColumnIndexData = { nullPages: [], mins: [], maxes: [], boundaryOrder: BoundaryOrder.UNORDERED, nullCounts: [] };
  let ascending = true;
  let descending = true;
  let last: ColumnStatistics | undefined;
  for (const page of pages) {
    const nullPage = page.values === 0;
    index.nullPages.push(nullPage);
    index.nullCounts.push(page.rows - page.values);
    if (nullPage) {
      index.mins.push(EMPTY);
      index.maxes.push(EMPTY);
      continue;
    }
    const { min, max } = page.stats;
    if (!min || !max) return undefined;
    if (last) {
      if (compareStatistic(leaf, last.min!, min) > 0 || compareStatistic(leaf, last.max!, max) > 0) ascending = false;
      if (compareStatistic(leaf, min, last.min!) > 0 || compareStatistic(leaf, max, last.max!) > 0) descending = false;
    }
    last = page.stats;
    const truncates = leaf.physical === Physical.BYTE_ARRAY;
    index.mins.push(truncates ? truncatedMin(leaf, min) : min);
    index.maxes.push(truncates ? truncatedMax(leaf, max) : max);
  }
  index.boundaryOrder = ascending ? BoundaryOrder.ASCENDING : descending ? BoundaryOrder.DESCENDING : BoundaryOrder.UNORDERED;
  return index;
}

const isUtf8 = (leaf: LeafColumn) => leaf.converted === Converted.UTF8;

/** Length of the longest prefix of at most `limit` bytes that ends on a UTF-8 character boundary. */
function utf8Cut(bytes: Uint8Array, limit: number): number {
  let cut = limit;
  while (cut > 0 && (bytes[cut] & 0xc0) === 0x80) cut--;
  return cut;
}

function truncatedMin(leaf: LeafColumn, min: Uint8Array): Uint8Array {
  if (min.length <= TRUNCATE_LENGTH) return min;
  return min.slice(0, isUtf8(leaf) ? utf8Cut(min, TRUNCATE_LENGTH) : TRUNCATE_LENGTH);
}

/**
 * A bound of at most 64 bytes not below `max`: a prefix whose last byte (for strings: last
 * character, kept valid UTF-8) is incremented; `max` itself when no prefix can be.
 */
function truncatedMax(leaf: LeafColumn, max: Uint8Array): Uint8Array {
  if (max.length <= TRUNCATE_LENGTH) return max;
  let text: string | undefined;
  try {
    if (isUtf8(leaf)) text = new TextDecoder('utf-8', { fatal: true }).decode(max.subarray(0, utf8Cut(max, TRUNCATE_LENGTH)));
  } catch {
    text = undefined; // not valid UTF-8: bounded as bytes
  }
  if (text === undefined) {
    for (let end = TRUNCATE_LENGTH; end > 0; end--) {
      if (max[end - 1] !== 0xff) {
        const out = max.slice(0, end);
        out[end - 1]++;
        return out;
      }
    }
    return max;
  }
  const chars = [...text];
  for (let k = chars.length - 1; k >= 0; k--) {
    let code = chars[k].codePointAt(0)! + 1;
    if (code >= 0xd800 && code <= 0xdfff) code = 0xe000;
    if (code > 0x10ffff) continue;
    const out = new TextEncoder().encode(chars.slice(0, k).join('') + String.fromCodePoint(code));
    if (out.length <= TRUNCATE_LENGTH) return out;
  }
  return max;
}

/** ColumnIndex in the Thrift compact protocol. */
export function encodeColumnIndex(index: ColumnIndexData): Uint8Array {
  const w = new ThriftWriter();
  w.list(1, TType.TRUE, index.nullPages.length);
  for (const nullPage of index.nullPages) w.elementBool(nullPage);
  w.list(2, TType.BINARY, index.mins.length);
  for (const min of index.mins) w.elementBinary(min);
  w.list(3, TType.BINARY, index.maxes.length);
  for (const max of index.maxes) w.elementBinary(max);
  w.i32(4, index.boundaryOrder);
  w.list(5, TType.I64, index.nullCounts.length);
  for (const nulls of index.nullCounts) w.elementI64(nulls);
  return w.end().bytes();
}

/** OffsetIndex in the Thrift compact protocol; `chunkOffset` makes the pages' offsets absolute. */
export function encodeOffsetIndex(locations: PageLocation[], chunkOffset: number): Uint8Array {
  const w = new ThriftWriter();
  w.list(1, TType.STRUCT, locations.length);
  for (const page of locations) w.begin().i64(1, chunkOffset + page.offset).i32(2, page.size).i64(3, page.firstRow).end();
  return w.end().bytes();
}
