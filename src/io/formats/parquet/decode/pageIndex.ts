import { CompactReader, type FileSpan, type FooterChunk, type FooterStatistics } from '../parquetFooter.js';

/** One data page of a chunk, as its OffsetIndex places it: absolute file offset, bytes (header included), rows. */
export interface PageSpan {
  offset: number;
  size: number;
  firstRow: number;
  rows: number;
}

/** A chunk's page index: its data pages, and each page's bounds when the writer left a ColumnIndex. */
export interface ChunkPageIndex {
  pages: PageSpan[];
  /** Per page, as FooterStatistics (an all-null page: no bounds, every row null); undefined without a usable ColumnIndex. */
  stats?: FooterStatistics[];
}

type Struct = Map<number, unknown>;

/** The spans of a row group's page index the chunks point at, merged into one read. */
export function pageIndexSpan(chunks: FooterChunk[]): FileSpan | undefined {
  let start = Infinity;
  let end = -Infinity;
  for (const chunk of chunks) {
    for (const span of [chunk.offsetIndex, chunk.columnIndex]) {
      if (!span) continue;
      start = Math.min(start, span.offset);
      end = Math.max(end, span.offset + span.length);
    }
  }
  return start < end ? { offset: start, length: end - start } : undefined;
}

/**
 * The page index of `chunk` out of `bytes` (holding the file's bytes from `at` on), or undefined
 * when the chunk has none or it does not describe the chunk exactly: pages from the chunk's first
 * data page, contiguous, ending where the chunk ends, rows from 0 rising below the row group's.
 * A page index is a hint; a read without it reads every page, so a damaged one is ignored.
 */
export function chunkPageIndex(chunk: FooterChunk, rows: number, bytes: Uint8Array, at: number): ChunkPageIndex | undefined {
  const offsetIndex = chunk.offsetIndex && structAt(bytes, chunk.offsetIndex, at);
  if (!offsetIndex) return undefined;
  const locations = offsetIndex.get(1);
  if (!Array.isArray(locations) || locations.length === 0) return undefined;
  const dictionary = chunk.dictionaryPageOffset;
  const chunkStart = dictionary !== undefined && dictionary > 0 && dictionary < chunk.dataPageOffset ? dictionary : chunk.dataPageOffset;
  const chunkEnd = chunkStart + chunk.totalCompressedSize;
  const pages: PageSpan[] = [];
  for (let k = 0; k < locations.length; k++) {
    const location = locations[k] as Struct;
    const offset = location?.get(1);
    const size = location?.get(2);
    const firstRow = location?.get(3);
    if (typeof offset !== 'number' || typeof size !== 'number' || typeof firstRow !== 'number' || size <= 0) return undefined;
    const previous = pages[k - 1];
    if (previous ? offset !== previous.offset + previous.size || firstRow <= previous.firstRow : offset !== chunk.dataPageOffset || firstRow !== 0) return undefined;
    if (firstRow >= rows) return undefined;
    if (previous) previous.rows = firstRow - previous.firstRow;
    pages.push({ offset, size, firstRow, rows: rows - firstRow });
  }
  const last = pages[pages.length - 1];
  if (last.offset + last.size !== chunkEnd) return undefined;
  return { pages, stats: chunk.columnIndex && pageStatistics(structAt(bytes, chunk.columnIndex, at), pages) };
}

/** The Thrift struct at `span` of `bytes` (which start at file offset `at`); undefined when it lies outside or does not parse. */
function structAt(bytes: Uint8Array, span: FileSpan, at: number): Struct | undefined {
  const start = span.offset - at;
  if (start < 0 || start + span.length > bytes.length) return undefined;
  try {
    const reader = new CompactReader(bytes.subarray(start, start + span.length));
    const struct = reader.struct();
    return reader.at <= span.length ? struct : undefined;
  } catch {
    return undefined;
  }
}

/** ColumnIndex (null_pages 1, min_values 2, max_values 3, null_counts 5) as per-page statistics; undefined when its lists do not fit the pages. */
function pageStatistics(index: Struct | undefined, pages: PageSpan[]): FooterStatistics[] | undefined {
  if (!index) return undefined;
  const nullPages = index.get(1);
  const mins = index.get(2);
  const maxes = index.get(3);
  const nullCounts = index.get(5);
  const n = pages.length;
  if (!Array.isArray(nullPages) || !Array.isArray(mins) || !Array.isArray(maxes) || nullPages.length !== n || mins.length !== n || maxes.length !== n) return undefined;
  const counts = Array.isArray(nullCounts) && nullCounts.length === n && nullCounts.every((c) => typeof c === 'number' && c >= 0) ? (nullCounts as number[]) : undefined;
  const stats: FooterStatistics[] = [];
  for (let k = 0; k < n; k++) {
    if (nullPages[k] === true) {
      stats.push({ nullCount: pages[k].rows });
      continue;
    }
    const min = mins[k];
    const max = maxes[k];
    if (!(min instanceof Uint8Array) || !(max instanceof Uint8Array)) return undefined;
    stats.push({ min, max, nullCount: counts?.[k] });
  }
  return stats;
}
