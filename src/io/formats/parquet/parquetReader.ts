import { openAsBlob } from 'node:fs';
import { Binary, Field, Float32, List, RecordBatch, Schema, Struct, Type, Utf8, tableFromIPC } from 'apache-arrow';
import type { Data, DataType, Float16 } from 'apache-arrow';
import { makeBatch } from '../../../columns/makeBatch.js';
import type * as ParquetWasm from 'parquet-wasm';
import { SluiceError } from '../../../types/ErrorRecord.js';
import type { FormatReader, ReadChunk, ReadOptions } from '../Format.js';
import { nullColumn } from '../../../columns/nullColumn.js';
import { canWiden, widenData } from '../../../expr/kernels/widen.js';
import { UUID_EXTENSION } from '../text/columnText.js';
import { readParquetFooter, undercountsRows, uuidColumns, type ParquetFooter } from './parquetFooter.js';
import { float16sToFloat32 } from './float16.js';
import { rowGroupsMatching, statisticsTests } from './rowGroupPruning.js';
import { int96AsMicros, int96Columns, withArrowSchemaHint } from './parquetInt96.js';
import { WasmGuard, freeQuietly, loadParquetWasm, wasmBatchToArrow } from './wasm.js';
import { isS3Path } from '../../store/s3Path.js';
import { openRangedBlob } from '../../store/rangedBlob.js';
import { isDictionaryEncoded } from '../../../types/dictionaryEncoded.js';
import { flatColumns, flatSchema } from './decode/footerSchema.js';
import { flatRowGroup, planFlatRead } from './decode/flatReader.js';
import { byteRanges } from './decode/byteRanges.js';
import { utf8AsIdentityDictionary } from './decode/arrowColumn.js';
import { PhysicalType } from './parquetFooter.js';

export interface ParquetOptions {
  /** Read only these row groups (0-based), e.g. one split of a large file. Default: all. */
  rowGroups?: number[];
}

export interface ParquetRowGroupInfo {
  index: number;
  rows: number;
  compressedBytes: number;
  uncompressedBytes: number;
}

const DEFAULT_BATCH_SIZE = 65_536;

/**
 * SLUICE_PARQUET_DECODER: `auto` (default) decodes flat files with sluice's own reader (decode/)
 * and leaves the others to parquet-wasm; `wasm` reads every file through parquet-wasm (to compare,
 * or as a way out).
 */
function ownDecoder(): boolean {
  const mode = process.env.SLUICE_PARQUET_DECODER ?? 'auto';
  if (mode === 'auto') return true;
  if (mode === 'wasm') return false;
  throw new SluiceError(`SLUICE_PARQUET_DECODER must be auto or wasm, got '${mode}'`);
}

// A file-backed Blob: parquet-wasm reads the footer and only the column chunks it needs
// (on S3, by ranged GETs: see rangedBlob.ts).
const openBlob = async (path: string): Promise<Blob> => (isS3Path(path) ? await openRangedBlob(path) : await openAsBlob(path));

const openError = (path: string, cause: unknown) =>
  cause instanceof SluiceError ? cause : new SluiceError(`Cannot open Parquet file ${path}: ${String(cause)}`, { file: path });

/** The file's Blob and footer (read by sluice first: an encrypted or foreign file fails with a plain message). */
async function openFooter(path: string): Promise<{ blob: Blob; footer: ParquetFooter }> {
  try {
    const blob = await openBlob(path);
    return { blob, footer: await readParquetFooter(blob, path) };
  } catch (cause) {
    throw openError(path, cause);
  }
}

/** A trap while opening or reading `path` (in row group `group`, when known) as a SluiceError. */
const trapError = (path: string, group?: () => number | undefined) => (trap: Error) => {
  const at = group?.();
  return new SluiceError(
    `${path}${at === undefined ? '' : ` row group ${at}`}: corrupt Parquet data: the reader (parquet-wasm) failed with ${trap.constructor.name}: ${trap.message}`,
    { file: path },
  );
};

/**
 * Opens the file in parquet-wasm. A file with INT96 columns is opened twice: the second time with
 * a footer whose Arrow schema hint asks for them as Timestamp(µs) (see parquetInt96.ts).
 */
async function openParquet(path: string, blob: Blob, guard: WasmGuard, footer: ParquetFooter): Promise<ParquetWasm.ParquetFile> {
  const wasm = await loadParquetWasm();
  try {
    const file = await guard.run(() => wasm.ParquetFile.fromFile(blob));
    const int96 = int96Columns(footer);
    if (int96.size === 0) return file;
    let hinted: Blob;
    try {
      hinted = withArrowSchemaHint(blob, footer, int96AsMicros(await guard.run(() => fileSchema(file)), int96));
    } finally {
      freeQuietly(file);
    }
    return await guard.run(() => wasm.ParquetFile.fromFile(hinted));
  } catch (cause) {
    throw openError(path, cause);
  }
}

function fileSchema(file: ParquetWasm.ParquetFile): Schema {
  const schema = tableFromIPC(file.schema().intoIPCStream()).schema;
  return new Schema(schema.fields.map(withoutViews), schema.metadata);
}

/**
 * Polars stores an Arrow schema hint with string/binary *view* types, which the footer schema
 * repeats but the batches that reach JS carry as plain Utf8/Binary: the schema says what they carry.
 */
function withoutViews(field: Field): Field {
  const type = field.type;
  // Float16 values reach JS as raw bits: the reader converts them (float16.ts).
  if (type.typeId === Type.Float && (type as Float16).precision === 0) return new Field(field.name, new Float32(), field.nullable, field.metadata);
  if (type.typeId === Type.Utf8View) return new Field(field.name, new Utf8(), field.nullable, field.metadata);
  if (type.typeId === Type.BinaryView) return new Field(field.name, new Binary(), field.nullable, field.metadata);
  if (type.typeId === Type.Struct) return new Field(field.name, new Struct(type.children.map(withoutViews)), field.nullable, field.metadata);
  if (type.typeId === Type.List) return new Field(field.name, new List(withoutViews(type.children[0])), field.nullable, field.metadata);
  return field;
}

/** The field with Arrow's UUID extension name where the footer says UUID (parquet-wasm drops it). */
function markUuids(field: Field, prefix: string, uuids: Set<string>): Field {
  const path = prefix ? `${prefix}.${field.name}` : field.name;
  if (field.type.typeId === Type.Struct) {
    const children = (field.type as Struct).children.map((child) => markUuids(child, path, uuids));
    return new Field(field.name, new Struct(children), field.nullable, field.metadata);
  }
  if (!uuids.has(path) || field.type.typeId !== Type.FixedSizeBinary) return field;
  const metadata = new Map(field.metadata).set('ARROW:extension:name', UUID_EXTENSION);
  return new Field(field.name, field.type, field.nullable, metadata);
}

/** Row groups of a Parquet file, for splitting one large file across workers. */
export async function parquetRowGroups(path: string): Promise<ParquetRowGroupInfo[]> {
  const { blob, footer } = await openFooter(path);
  // From the footer, as parquet-wasm gives them (compressed: the column chunks' sum).
  if (ownDecoder()) {
    return footer.rowGroups.map((group, index) => ({
      index, rows: group.numRows, compressedBytes: group.chunks.reduce((sum, chunk) => sum + chunk.totalCompressedSize, 0), uncompressedBytes: group.totalByteSize,
    }));
  }
  const guard = new WasmGuard(trapError(path));
  try {
    const file = await openParquet(path, blob, guard, footer);
    try {
      return await guard.run(() => {
        const metadata = file.metadata();
        try {
          return metadata.rowGroups().map((group, index) => {
            const info = { index, rows: group.numRows(), compressedBytes: group.compressedSize(), uncompressedBytes: group.totalByteSize() };
            group.free();
            return info;
          });
        } finally {
          metadata.free();
        }
      });
    } finally {
      freeQuietly(file);
    }
  } finally {
    guard.close();
  }
}

/** The fields a read must produce: `columns` (validated) in schema order, else the whole schema. */
function wantedFields(path: string, read: ReadOptions): Field[] {
  if (!read.columns) return read.schema.fields;
  const known = new Set(read.schema.names as string[]);
  const unknown = read.columns.filter((name) => !known.has(name));
  if (unknown.length) {
    throw new SluiceError(`Column(s) ${unknown.join(', ')} asked of ${path} are not in the schema (${[...known].join(', ')})`, { file: path });
  }
  const asked = new Set(read.columns);
  return read.schema.fields.filter((field) => asked.has(field.name));
}

/** Same logical type, ignoring names of list children that writers spell differently ('item'/'element'). */
const sameType = (a: DataType, b: DataType): boolean => String(a) === String(b);

/**
 * Re-shapes a batch read from the file to the wanted fields: schema order, and an all-null column
 * for a field the file lacks (files of one dataset written before a column was added).
 */
function conform(path: string, batch: RecordBatch, fields: Field[]): RecordBatch {
  // Column positions by name (the first of a repeated name, as findIndex): linear for wide files.
  const positions = new Map<string, number>();
  batch.schema.fields.forEach((candidate, i) => positions.has(candidate.name) || positions.set(candidate.name, i));
  const children: Data[] = fields.map((field) => {
    const index = positions.get(field.name) ?? -1;
    if (index < 0) return nullColumn(field.type, batch.numRows);
    const read = batch.data.children[index];
    const data = float16sToFloat32(read);
    // A string column the scan reads as a dictionary (repeatingColumns) that this file holds plainly.
    if (isDictionaryEncoded(field) && field.type.typeId === Type.Dictionary && data.type.typeId === Type.Utf8) {
      return utf8AsIdentityDictionary(field.type as never, data as never).clone(field.type);
    }
    // The declared type (its children carry field metadata such as the UUID mark).
    if (sameType(data.type, field.type)) return data.type === field.type ? data : data.clone(field.type);
    // Other engines write narrower types (DuckDB: int8, timestamp_ns without zone): widen safely.
    if (canWiden(data.type, field.type)) return widenData(data, field.type);
    throw new SluiceError(
      `Column ${field.name} of ${path} is ${String(data.type)} but the schema says ${String(field.type)}; ` +
        'that is not a safe widening: declare the file\'s type (or a wider one) and cast afterwards',
      { file: path },
    );
  });
  const schema = new Schema(fields);
  return makeBatch(schema, children, batch.numRows);
}

async function* readParquet(path: string, options: ParquetOptions, read: ReadOptions): AsyncGenerator<ReadChunk> {
  const fields = wantedFields(path, read);
  const { blob, footer } = await openFooter(path);
  const batchSize = read.batchSize ?? DEFAULT_BATCH_SIZE;
  const file = ownDecoder() ? flatColumns(footer) : undefined;
  if (file) {
    const present = new Set(footer.topLevel.map((top) => top.name));
    const columns = fields.map((field) => field.name).filter((name) => present.has(name));
    const flat = await planFlatRead(footer, file, columns, fields);
    if (flat) {
      const groups = groupsToRead(footer, options, read);
      if (columns.length === 0) {
        yield* nullOnlyBatches(footer, fields, groups, batchSize);
        return;
      }
      const ranges = byteRanges(path, blob);
      // The same tests skip the pages of a row group that cannot match (when the file has a page index).
      const tests = read.predicate ? statisticsTests(read.schema, read.predicate) : undefined;
      try {
        for (const index of groups) {
          for await (const batch of flatRowGroup(ranges, path, footer, flat, index, batchSize, tests)) yield { batch: conform(path, batch, fields), errors: [] };
        }
      } finally {
        await ranges.close();
      }
      return;
    }
  }
  yield* readThroughWasm(path, options, read, fields, blob, footer, batchSize);
}

/** The row groups a read asks for (`rowGroups`, else all), less those its predicate prunes (told to onPruned). */
function groupsToRead(footer: ParquetFooter, options: ParquetOptions, read: ReadOptions): number[] {
  const asked = options.rowGroups ?? footer.rowGroups.map((_, i) => i);
  const groups = read.predicate ? rowGroupsMatching(footer, read.schema, read.predicate, asked) : asked;
  if (read.predicate) read.onPruned?.(asked.length - groups.length, groups.length);
  return groups;
}

async function* readThroughWasm(path: string, options: ParquetOptions, read: ReadOptions, fields: Field[], blob: Blob, footer: ParquetFooter, batchSize: number): AsyncGenerator<ReadChunk> {
  let group: number | undefined;
  // Open for the whole read: parquet-wasm may work ahead while this generator is suspended.
  const guard = new WasmGuard(trapError(path, () => group));
  try {
    const file = await openParquet(path, blob, guard, footer);
    try {
      const present = new Set(fileSchema(file).names as string[]);
      const columns = fields.map((field) => field.name).filter((name) => present.has(name));
      const groups = groupsToRead(footer, options, read);
      if (columns.length === 0) {
        yield* nullOnlyBatches(footer, fields, groups, batchSize);
        return;
      }
      // parquet-rs caps batchSize at the footer's num_rows: a footer claiming fewer rows than its
      // row groups hold (0) would read nothing. Without batchSize its default (1024) is not capped.
      const batching = undercountsRows(footer) ? {} : { batchSize };
      // One row group at a time, so an error names the row group it is in.
      for (const index of groups) {
        group = index;
        const stream = await guard.run(() => file.stream({ columns, ...batching, rowGroups: [index] }));
        const reader = stream.getReader();
        try {
          for (;;) {
            const next = await guard.run(() => reader.read());
            if (next.done) break;
            for (const batch of wasmBatchToArrow(next.value as ParquetWasm.RecordBatch)) {
              yield { batch: conform(path, batch, fields), errors: [] };
            }
          }
        } finally {
          await guard.run(() => reader.cancel()).catch(() => undefined);
          try {
            reader.releaseLock();
          } catch {
            // a trapped stream may still hold a pending read
          }
        }
      }
    } finally {
      freeQuietly(file);
    }
  } finally {
    guard.close();
  }
}

/** When none of the wanted columns is in the file, the row counts still come from the footer. */
function* nullOnlyBatches(footer: ParquetFooter, fields: Field[], groups: number[], batchSize: number): Generator<ReadChunk> {
  const schema = new Schema(fields);
  for (const index of groups) {
    for (let left = footer.rowGroups[index]?.numRows ?? 0; left > 0; left -= batchSize) {
      const length = Math.min(left, batchSize);
      const children = fields.map((field) => nullColumn(field.type, length));
      yield { batch: makeBatch(schema, children, length), errors: [] };
    }
  }
}

/** Reads Parquet through parquet-wasm: footer schema, column projection, row-group streaming. */
export const parquetReader: FormatReader<ParquetOptions> = {
  async inferSchema(path) {
    const { blob, footer } = await openFooter(path);
    const flat = ownDecoder() ? flatSchema(footer) : undefined;
    if (flat) return flat.schema;
    const guard = new WasmGuard(trapError(path));
    try {
      const file = await openParquet(path, blob, guard, footer);
      try {
        const uuids = uuidColumns(footer);
        const schema = await guard.run(() => fileSchema(file));
        return uuids.size ? new Schema(schema.fields.map((field) => markUuids(field, '', uuids)), schema.metadata) : schema;
      } finally {
        freeQuietly(file);
      }
    } finally {
      guard.close();
    }
  },
  repeatingColumns,
  read: readParquet,
};

/**
 * The string columns of `schema` the flat reader can produce as Dictionary<Utf8, Int32> straight
 * from the file's dictionary pages: those whose first chunk is dictionary-encoded ('always': every
 * flat string column). None through parquet-wasm (SLUICE_PARQUET_DECODER=wasm).
 */
async function repeatingColumns(path: string, _options: ParquetOptions, schema: Schema, mode: 'auto' | 'always'): Promise<string[]> {
  if (!ownDecoder()) return [];
  const { footer } = await openFooter(path);
  const flat = flatSchema(footer);
  if (!flat) return [];
  const names: string[] = [];
  for (const field of schema.fields) {
    if (field.type.typeId !== Type.Utf8) continue;
    const at = flat.schema.fields.findIndex((f) => f.name === field.name);
    if (at < 0 || flat.schema.fields[at].type.typeId !== Type.Utf8) continue;
    const column = flat.columns[at];
    if (footer.columns[column].physicalType !== PhysicalType.BYTE_ARRAY) continue;
    const first = footer.rowGroups[0]?.chunks.find((chunk) => chunk.path === footer.columns[column].path);
    if (mode === 'always' || first?.encodings.some((encoding) => encoding === 2 || encoding === 8)) names.push(field.name);
  }
  return names;
}
