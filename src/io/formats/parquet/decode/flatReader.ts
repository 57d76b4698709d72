import { Dictionary, Field, Int32, Schema, Type, Utf8 } from 'apache-arrow';
import type { Data, RecordBatch } from 'apache-arrow';
import { makeBatch } from '../../../../columns/makeBatch.js';
import { isDictionaryEncoded } from '../../../../types/dictionaryEncoded.js';
import { SluiceError } from '../../../../types/ErrorRecord.js';
import { PhysicalType, type FooterChunk, type FooterColumn, type FooterRowGroup, type ParquetFooter } from '../parquetFooter.js';
import type { StatTest } from '../rowGroupPruning.js';
import { ArrowColumn } from './arrowColumn.js';
import type { ByteRanges } from './byteRanges.js';
import { DECODED_ENCODINGS, decodeColumnChunk, type ChunkSpec } from './columnChunk.js';
import { CorruptChunk } from './corrupt.js';
import { availableDecompressor } from './decompress.js';
import type { FlatColumns } from './footerSchema.js';
import { chunkPageIndex, pageIndexSpan, type ChunkPageIndex, type PageSpan } from './pageIndex.js';
import { pagesFor, positionIn, rowsMayMatch, type RowRanges } from './pageSelection.js';

/** One column of a flat read: where it is in the footer, the type it is produced as, how to decode its chunks. */
export interface FlatColumn {
  /** footer.columns index. */
  column: number;
  field: Field;
  physicalType: number;
  width: number;
  keepDictionary: boolean;
}

/** A read sluice decodes itself: the columns, and each codec's decompressor. */
export interface FlatRead {
  columns: FlatColumn[];
  schema: Schema;
  decompressors: Map<number, ChunkSpec['decompress']>;
}

const FIXED_WIDTH: Record<number, number> = { [PhysicalType.INT32]: 4, [PhysicalType.FLOAT]: 4, [PhysicalType.INT64]: 8, [PhysicalType.DOUBLE]: 8, [PhysicalType.INT96]: 12 };

/**
 * The flat read of the columns `names` (all in `file`), or undefined when parquet-wasm must read
 * the file: a wanted column nested or not covered (see flatColumns), a chunk with an encoding or codec the flat decoder does not know
 * (LZO, a future encoding), a codec whose package does not load, a repeated column name.
 * `wanted` are the read's fields: a string column wanted as sluice's dictionary encoding
 * (types/dictionaryEncoded.ts) is produced as Dictionary<Utf8, Int32>.
 */
export async function planFlatRead(footer: ParquetFooter, file: FlatColumns, names: string[], wanted: Field[]): Promise<FlatRead | undefined> {
  const fields = file.fields;
  const positions = new Map<string, number>();
  for (let i = 0; i < footer.topLevel.length; i++) {
    if (positions.has(footer.topLevel[i].name)) return undefined;
    positions.set(footer.topLevel[i].name, i);
  }
  const asDictionary = new Set(wanted.filter((f) => isDictionaryEncoded(f) && f.type.typeId === Type.Dictionary).map((f) => f.name));
  const columns: FlatColumn[] = [];
  for (const name of names) {
    const at = positions.get(name);
    if (at === undefined) return undefined;
    const column = file.columns[at];
    let field = fields[at];
    if (!field) return undefined;
    const leaf = footer.columns[column];
    const physicalType = leaf.physicalType!;
    const chosen = asDictionary.has(name) && field.type.typeId === Type.Utf8;
    const keepDictionary = chosen || (field.type.typeId === Type.Dictionary && physicalType === PhysicalType.BYTE_ARRAY);
    if (chosen) field = new Field(field.name, new Dictionary(new Utf8(), new Int32()), field.nullable, field.metadata);
    const width = physicalType === PhysicalType.FIXED_LEN_BYTE_ARRAY ? leaf.typeLength! : (FIXED_WIDTH[physicalType] ?? 0);
    columns.push({ column, field, physicalType, width, keepDictionary });
  }
  const decompressors = new Map<number, ChunkSpec['decompress']>();
  for (const group of footer.rowGroups) {
    for (const { column } of columns) {
      const chunk = chunkOf(footer, group.chunks, column);
      if (!chunk || chunk.encodings.some((encoding) => !DECODED_ENCODINGS.has(encoding))) return undefined;
      if (!decompressors.has(chunk.codec)) {
        const decompress = await availableDecompressor(chunk.codec);
        if (!decompress) return undefined;
        decompressors.set(chunk.codec, decompress);
      }
    }
  }
  return { columns, schema: new Schema(columns.map((c) => c.field)), decompressors };
}

/** A row group's chunk of footer column `column` (in column order, as writers put them; else by path). */
function chunkOf(footer: ParquetFooter, chunks: FooterChunk[], column: number): FooterChunk | undefined {
  const path = footer.columns[column].path;
  return chunks[column]?.path === path ? chunks[column] : chunks.find((chunk) => chunk.path === path);
}

/**
 * Reads one row group's wanted columns (one ranged read per chunk) and decodes them, then yields
 * them as batches of `batchSize` rows. With `tests` (the predicate's statistics tests, see
 * rowGroupPruning.ts) and a page index in the file, only the rows of pages that may match are read:
 * for each column the pages holding those rows (and its dictionary page), row-aligned across
 * columns by the pages' first rows. Corrupt data fails with a SluiceError naming the file, row
 * group and column.
 */
export async function* flatRowGroup(ranges: ByteRanges, path: string, footer: ParquetFooter, read: FlatRead, group: number, batchSize: number, tests?: StatTest[]): AsyncGenerator<RecordBatch> {
  const rowGroup = footer.rowGroups[group];
  const rows = rowGroup.numRows;
  if (rows <= 0) return;
  const selection = tests && tests.length > 0 && pageSkipping() ? await selectPages(ranges, footer, read, rowGroup, tests) : undefined;
  const wanted = selection ? selection.rows : [0, rows];
  if (wanted.length === 0) return;
  const decoded = await Promise.all(read.columns.map(async (column) => {
    const leaf = footer.columns[column.column];
    try {
      const chunk = chunkOf(footer, rowGroup.chunks, column.column)!;
      const index = selection?.indexes.get(column.column);
      const pages = index ? pagesFor(index.pages, wanted) : [{ offset: 0, size: 0, firstRow: 0, rows }];
      const bytes = index ? await pageBytes(ranges, footer, chunk, pages) : await chunkBytes(ranges, footer, chunk);
      const spec: ChunkSpec = {
        physicalType: column.physicalType, width: column.width, optional: leaf.repetitions[0] === 1,
        keepDictionary: column.keepDictionary, decompress: read.decompressors.get(chunk.codec)!,
      };
      const pageRows = index ? pages.map((page) => page.rows) : undefined;
      const values = await decodeColumnChunk(bytes, pages.reduce((n, page) => n + page.rows, 0), spec, pageRows);
      return { column: new ArrowColumn(values, column.field.type, column.physicalType), pages };
    } catch (error) {
      if (error instanceof SluiceError) throw error;
      const why = error instanceof CorruptChunk ? error.message : `${error instanceof Error ? error.constructor.name : 'Error'}: ${error instanceof Error ? error.message : String(error)}`;
      throw new SluiceError(`${path} row group ${group}: corrupt Parquet data in column ${leaf.path}: ${why}`, { file: path });
    }
  }));
  for (let r = 0; r < wanted.length; r += 2) {
    const starts = decoded.map(({ pages }) => positionIn(pages, wanted[r]));
    for (let from = wanted[r]; from < wanted[r + 1]; from += batchSize) {
      const length = Math.min(wanted[r + 1], from + batchSize) - from;
      const at = from - wanted[r];
      const children: Data[] = decoded.map(({ column }, k) => column.slice(starts[k] + at, starts[k] + at + length));
      yield makeBatch(read.schema, children, length);
    }
  }
}

/** SLUICE_PARQUET_PAGE_INDEX=off reads every page (to compare, or as a way out). */
function pageSkipping(): boolean {
  const mode = process.env.SLUICE_PARQUET_PAGE_INDEX ?? 'on';
  if (mode === 'on') return true;
  if (mode === 'off') return false;
  throw new SluiceError(`SLUICE_PARQUET_PAGE_INDEX must be on or off, got '${mode}'`);
}

/** The rows the tests may match and the wanted columns' page indexes; undefined when every row is read (no usable index, or every page may match). */
async function selectPages(ranges: ByteRanges, footer: ParquetFooter, read: FlatRead, rowGroup: FooterRowGroup, tests: StatTest[]): Promise<{ rows: RowRanges; indexes: Map<number, ChunkPageIndex> } | undefined> {
  const chunks = read.columns.map((column) => chunkOf(footer, rowGroup.chunks, column.column)!);
  const span = pageIndexSpan(chunks);
  // A page index past the data, before the footer, and small (a few bytes per page); else it is not one.
  if (!span || span.offset < 4 || span.offset + span.length > footer.offset || span.length > 64 << 20) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = await ranges.read(span.offset, span.offset + span.length);
  } catch {
    return undefined; // a hint: the chunks' own reads report what is wrong with the file
  }
  const indexes = new Map<number, ChunkPageIndex>();
  const byName = new Map<string, ChunkPageIndex>();
  const columns = new Map<string, FooterColumn>();
  read.columns.forEach((column, k) => {
    const index = chunkPageIndex(chunks[k], rowGroup.numRows, bytes, span.offset);
    if (!index) return;
    indexes.set(column.column, index);
    byName.set(column.field.name, index);
    columns.set(column.field.name, footer.columns[column.column]);
  });
  const rows = rowsMayMatch(tests, columns, byName, rowGroup.numRows);
  if (rows.length === 2 && rows[0] === 0 && rows[1] === rowGroup.numRows) return undefined;
  return { rows, indexes };
}

/**
 * The bytes of a chunk's dictionary page (when it has one) and of `pages`, one after the other as
 * the decoder walks them: adjacent pages are read as one range.
 */
async function pageBytes(ranges: ByteRanges, footer: ParquetFooter, chunk: FooterChunk, pages: PageSpan[]): Promise<Uint8Array> {
  const runs: number[] = [];
  const dictionary = chunk.dictionaryPageOffset;
  if (dictionary !== undefined && dictionary > 0 && dictionary < chunk.dataPageOffset) runs.push(dictionary, chunk.dataPageOffset);
  for (const page of pages) {
    if (runs.length > 0 && runs[runs.length - 1] === page.offset) runs[runs.length - 1] = page.offset + page.size;
    else runs.push(page.offset, page.offset + page.size);
  }
  if (runs.length === 0) return new Uint8Array(0);
  if (runs[0] < 4 || runs[runs.length - 1] > footer.offset) throw new CorruptChunk(`the pages' bytes ${runs[0]}–${runs[runs.length - 1]} lie outside the file's data (4–${footer.offset})`);
  const parts = await ranges.readAll(runs);
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The chunk's bytes: from its dictionary page (when it has one) to the end of its last page. */
async function chunkBytes(ranges: ByteRanges, footer: ParquetFooter, chunk: FooterChunk): Promise<Uint8Array> {
  const dictionary = chunk.dictionaryPageOffset;
  // Offset 0 is the file's magic, never a page: some writers leave 0 for "no dictionary page".
  const start = dictionary !== undefined && dictionary > 0 && dictionary < chunk.dataPageOffset ? dictionary : chunk.dataPageOffset;
  const end = start + chunk.totalCompressedSize;
  if (start < 4 || chunk.totalCompressedSize < 0 || end > footer.offset) {
    throw new CorruptChunk(`the chunk's bytes ${start}–${end} lie outside the file's data (4–${footer.offset})`);
  }
  return ranges.read(start, end);
}
