import type { LeafColumn } from './parquetTypes.js';
import type { ColumnStatistics } from './statistics.js';
import { TType, ThriftWriter } from './thriftCompact.js';

/** A column chunk as the footer records it (absolute file offsets). */
export interface ColumnChunkMeta {
  fileOffset: number;
  dataPageOffset: number;
  dictionaryPageOffset?: number;
  codec: number;
  encodings: number[];
  numValues: number;
  compressedSize: number;
  uncompressedSize: number;
  statistics: ColumnStatistics;
  /** Where the chunk's page index lies (absolute offset and byte length), when written. */
  offsetIndex?: { offset: number; length: number };
  columnIndex?: { offset: number; length: number };
}

export interface RowGroupMeta {
  rows: number;
  fileOffset: number;
  columns: ColumnChunkMeta[];
}

function schemaElement(w: ThriftWriter, leaf: LeafColumn): void {
  w.begin().i32(1, leaf.physical);
  if (leaf.typeLength !== undefined) w.i32(2, leaf.typeLength);
  w.i32(3, leaf.nullable ? 1 : 0).string(4, leaf.name);
  if (leaf.converted !== undefined) w.i32(6, leaf.converted);
  if (leaf.scale !== undefined) w.i32(7, leaf.scale).i32(8, leaf.precision!);
  if (leaf.logical) {
    w.struct(10);
    leaf.logical(w);
    w.end();
  }
  w.end();
}

function columnChunk(w: ThriftWriter, leaf: LeafColumn, leafType: number, c: ColumnChunkMeta): void {
  w.begin().i64(2, c.fileOffset).struct(3).i32(1, leafType).list(2, TType.I32, c.encodings.length);
  for (const encoding of c.encodings) w.elementI32(encoding);
  w.list(3, TType.BINARY, 1).elementString(leaf.name);
  w.i32(4, c.codec).i64(5, c.numValues).i64(6, c.uncompressedSize).i64(7, c.compressedSize).i64(9, c.dataPageOffset);
  if (c.dictionaryPageOffset !== undefined) w.i64(11, c.dictionaryPageOffset);
  const s = c.statistics;
  w.struct(12).i64(3, s.nulls);
  if (s.max) w.binary(5, s.max);
  if (s.min) w.binary(6, s.min);
  if (s.max) w.bool(7, true);
  if (s.min) w.bool(8, true);
  w.end(); // Statistics
  w.end(); // ColumnMetaData
  if (c.offsetIndex) w.i64(4, c.offsetIndex.offset).i32(5, c.offsetIndex.length);
  if (c.columnIndex) w.i64(6, c.columnIndex.offset).i32(7, c.columnIndex.length);
  w.end(); // ColumnChunk
}

/** FileMetaData (parquet.thrift) in the Thrift compact protocol. */
export function encodeFooter(leaves: LeafColumn[], rowGroups: RowGroupMeta[], keyValues: [string, string][], createdBy: string): Uint8Array {
  const w = new ThriftWriter();
  w.i32(1, 1);
  w.list(2, TType.STRUCT, leaves.length + 1);
  w.begin().string(4, 'schema').i32(5, leaves.length).end();
  for (const leaf of leaves) schemaElement(w, leaf);
  w.i64(3, rowGroups.reduce((n, g) => n + g.rows, 0));
  w.list(4, TType.STRUCT, rowGroups.length);
  for (const group of rowGroups) {
    w.begin().list(1, TType.STRUCT, leaves.length);
    group.columns.forEach((c, k) => columnChunk(w, leaves[k], leaves[k].physical, c));
    const uncompressed = group.columns.reduce((n, c) => n + c.uncompressedSize, 0);
    const compressed = group.columns.reduce((n, c) => n + c.compressedSize, 0);
    w.i64(2, uncompressed).i64(3, group.rows).i64(5, group.fileOffset).i64(6, compressed).end();
  }
  w.list(5, TType.STRUCT, keyValues.length);
  for (const [key, value] of keyValues) w.begin().string(1, key).string(2, value).end();
  w.string(6, createdBy);
  // TypeDefinedOrder for every column: readers may then trust min_value/max_value.
  w.list(7, TType.STRUCT, leaves.length);
  for (let k = 0; k < leaves.length; k++) w.begin().struct(1).end().end();
  return w.end().bytes();
}
