import { Dictionary, Field, Int32, Schema, Type, Utf8 } from 'apache-arrow';
import type { Data, RecordBatch } from 'apache-arrow';
import { makeBatch } from '../../../../columns/makeBatch.js';
import { isDictionaryEncoded } from '../../../../types/dictionaryEncoded.js';
import { SluiceError } from '../../../../types/ErrorRecord.js';
import { PhysicalType, type FooterChunk, type ParquetFooter } from '../parquetFooter.js';
import { ArrowColumn } from './arrowColumn.js';
import type { ByteRanges } from './byteRanges.js';
import { DECODED_ENCODINGS, decodeColumnChunk, type ChunkSpec } from './columnChunk.js';
import { CorruptChunk } from './corrupt.js';
import { availableDecompressor } from './decompress.js';
import type { FlatColumns } from './footerSchema.js';

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
 * them as batches of `batchSize` rows. Corrupt data fails with a SluiceError naming the file,
 * row group and column.
 */
export async function* flatRowGroup(ranges: ByteRanges, path: string, footer: ParquetFooter, read: FlatRead, group: number, batchSize: number): AsyncGenerator<RecordBatch> {
  const rowGroup = footer.rowGroups[group];
  const rows = rowGroup.numRows;
  if (rows <= 0) return;
  const decoded = await Promise.all(read.columns.map(async (column) => {
    const leaf = footer.columns[column.column];
    try {
      const chunk = chunkOf(footer, rowGroup.chunks, column.column)!;
      const bytes = await chunkBytes(ranges, footer, chunk);
      const spec: ChunkSpec = {
        physicalType: column.physicalType, width: column.width, optional: leaf.repetitions[0] === 1,
        keepDictionary: column.keepDictionary, decompress: read.decompressors.get(chunk.codec)!,
      };
      return new ArrowColumn(await decodeColumnChunk(bytes, rows, spec), column.field.type, column.physicalType);
    } catch (error) {
      if (error instanceof SluiceError) throw error;
      const why = error instanceof CorruptChunk ? error.message : `${error instanceof Error ? error.constructor.name : 'Error'}: ${error instanceof Error ? error.message : String(error)}`;
      throw new SluiceError(`${path} row group ${group}: corrupt Parquet data in column ${leaf.path}: ${why}`, { file: path });
    }
  }));
  for (let from = 0; from < rows; from += batchSize) {
    const to = Math.min(rows, from + batchSize);
    const children: Data[] = decoded.map((column) => column.slice(from, to));
    yield makeBatch(read.schema, children, to - from);
  }
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
