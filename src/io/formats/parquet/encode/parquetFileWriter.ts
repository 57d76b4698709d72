import { open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { Data, RecordBatch, Schema } from 'apache-arrow';
import { SluiceError } from '../../../../types/ErrorRecord.js';
import type { WriteResult } from '../../Format.js';
import { arrowSchemaEntry } from './arrowSchema.js';
import { ColumnChunkBuilder, MAX_PAGE_ROWS } from './columnChunkWriter.js';
import type { EncodedChunk } from './columnChunkWriter.js';
import { CODEC_IDS, availableCompressor, compressorFor } from './compress.js';
import type { Codec, Compressor } from './compress.js';
import { encodeFooter } from './footer.js';
import type { ColumnChunkMeta, RowGroupMeta } from './footer.js';
import { encodeColumnIndex, encodeOffsetIndex } from './pageIndex.js';
import type { ColumnIndexData, PageLocation } from './pageIndex.js';
import { leafOf } from './parquetTypes.js';
import type { LeafColumn } from './parquetTypes.js';

export interface FileWriterOptions {
  compression?: Codec;
  rowGroupSize?: number;
  /** Rows per data page at most (a multiple of 8; default MAX_PAGE_ROWS). Not a user option: tests make small pages with it. */
  pageRows?: number;
}

const MAGIC = new TextEncoder().encode('PAR1');
export const DEFAULT_ROW_GROUP_SIZE = 1_048_576;
/** Tells our files from parquet-wasm's (which say 'sluice'), for readers working around a writer's bugs. */
export const CREATED_BY = 'sluice encoder';

/** Writes every part, in order (writev takes a bounded number of buffers, and may write less). */
async function writeAll(handle: FileHandle, parts: Uint8Array[], position: number): Promise<void> {
  for (let k = 0; k < parts.length; k += 256) {
    const group = parts.slice(k, k + 256);
    const size = group.reduce((n, p) => n + p.length, 0);
    const { bytesWritten } = await handle.writev(group, position);
    if (bytesWritten !== size) {
      const rest = Buffer.concat(group).subarray(bytesWritten);
      await handle.write(rest, 0, rest.length, position + bytesWritten);
    }
    position += size;
  }
}

/**
 * A Parquet file written from Arrow batches of one schema: rows are cut into row groups of
 * `rowGroupSize`, each column chunk encoded straight from the Arrow buffers as the batches
 * arrive (ColumnChunkBuilder: a page of Arrow data per column waits, then is encoded and
 * compressed on the thread pool). Memory holds the row group's compressed pages, and at most one
 * earlier row group waiting to be written; not a row group of Arrow batches.
 */
export class ParquetFileWriter {
  private builders: ColumnChunkBuilder[];
  private pendingRows = 0;
  private offset = MAGIC.length;
  private rows = 0;
  private readonly rowGroups: RowGroupMeta[] = [];
  /** Each written chunk's page index, by row group then column, until close writes them. */
  private readonly pageIndexes: { locations: PageLocation[]; columnIndex?: ColumnIndexData }[][] = [];
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly handle: FileHandle,
    private readonly schema: Schema,
    private readonly leaves: LeafColumn[],
    private readonly codec: Codec,
    private readonly compress: Compressor,
    private readonly rowGroupSize: number,
    private readonly pageRows: number,
  ) {
    this.builders = this.newBuilders();
  }

  private newBuilders(): ColumnChunkBuilder[] {
    return this.leaves.map((leaf) => new ColumnChunkBuilder(leaf, this.compress, this.pageRows));
  }

  static async open(path: string, schema: Schema, options: FileWriterOptions): Promise<ParquetFileWriter> {
    const codec = options.compression ?? 'snappy';
    if (!(codec in CODEC_IDS)) throw new SluiceError(`Unknown Parquet compression '${codec}': use snappy, zstd, gzip or none`);
    const rowGroupSize = options.rowGroupSize ?? DEFAULT_ROW_GROUP_SIZE;
    if (options.pageRows !== undefined && !(Number.isInteger(options.pageRows) && options.pageRows > 0 && options.pageRows % 8 === 0)) {
      throw new SluiceError(`pageRows must be a positive multiple of 8, got ${options.pageRows}`);
    }
    if (!Number.isInteger(rowGroupSize) || rowGroupSize < 1) {
      throw new SluiceError(`rowGroupSize must be a positive integer, got ${rowGroupSize}`);
    }
    const leaves = schema.fields.map((field) => {
      const leaf = leafOf(field);
      if (!leaf) throw new SluiceError(`Column ${field.name} (${String(field.type)}) is not written by the built-in Parquet encoder`);
      return leaf;
    });
    const compress = (await availableCompressor(codec)) ?? (await compressorFor(codec));
    const handle = await open(path, 'w');
    await handle.write(MAGIC, 0, MAGIC.length, 0);
    return new ParquetFileWriter(handle, schema, leaves, codec, compress, rowGroupSize, options.pageRows ?? MAX_PAGE_ROWS);
  }

  async write(batch: RecordBatch): Promise<void> {
    this.check(batch);
    const columns = batch.data.children as Data[];
    for (let at = 0; at < batch.numRows; ) {
      const take = Math.min(this.rowGroupSize - this.pendingRows, batch.numRows - at);
      const whole = at === 0 && take === batch.numRows;
      columns.forEach((data, k) => this.builders[k].append(whole ? data : data.slice(at, take)));
      this.pendingRows += take;
      this.rows += take;
      at += take;
      if (this.pendingRows === this.rowGroupSize) await this.flush();
    }
  }

  private check(batch: RecordBatch): void {
    const fields = batch.schema.fields;
    const same = fields.length === this.leaves.length && fields.every((f, k) => f.name === this.schema.fields[k].name && String(f.type) === String(this.schema.fields[k].type));
    if (!same) throw new SluiceError(`A batch's schema (${fields.map((f) => `${f.name}: ${String(f.type)}`).join(', ')}) differs from the file's`);
    fields.forEach((field, k) => {
      if (!this.leaves[k].nullable && batch.data.children[k].nullCount > 0) {
        throw new SluiceError(`Column ${field.name} is not nullable but holds nulls`);
      }
    });
  }

  /** Encodes the pending rows as one row group and queues its write behind the previous one. */
  private async flush(): Promise<void> {
    const rows = this.pendingRows;
    const chunks = this.builders.map((builder) => builder.finish());
    this.builders = this.newBuilders();
    this.pendingRows = 0;
    // One row group may compress while the caller reads on; the one before must be out first.
    await this.writing;
    const writing = this.writeRowGroup(rows, chunks);
    writing.catch(() => undefined); // awaited by the next flush or close
    this.writing = writing;
  }

  private async writeRowGroup(rows: number, pending: Promise<EncodedChunk>[]): Promise<void> {
    const chunks = await Promise.all(pending);
    const fileOffset = this.offset;
    const columns: ColumnChunkMeta[] = [];
    const parts: Uint8Array[] = [];
    let at = fileOffset;
    for (const chunk of chunks) {
      columns.push({
        fileOffset: at,
        dataPageOffset: at + chunk.dataPageOffset,
        dictionaryPageOffset: chunk.dictionaryPageOffset === undefined ? undefined : at + chunk.dictionaryPageOffset,
        codec: CODEC_IDS[this.codec],
        encodings: chunk.encodings,
        numValues: chunk.numValues,
        compressedSize: chunk.compressedSize,
        uncompressedSize: chunk.uncompressedSize,
        statistics: chunk.statistics,
      });
      parts.push(...chunk.parts);
      at += chunk.compressedSize;
    }
    await writeAll(this.handle, parts, fileOffset);
    this.offset = at;
    this.rowGroups.push({ rows, fileOffset, columns });
    this.pageIndexes.push(chunks.map((chunk) => ({ locations: chunk.pageLocations, columnIndex: chunk.columnIndex })));
  }

  /** Writes the last row group and the footer; returns rows and file bytes. */
  async close(): Promise<{ rows: number; bytes: number }> {
    if (this.pendingRows > 0) await this.flush();
    await this.writing;
    await this.writePageIndexes();
    const footer = encodeFooter(this.leaves, this.rowGroups, [arrowSchemaEntry(this.schema)], CREATED_BY);
    const tail = new Uint8Array(8);
    new DataView(tail.buffer).setUint32(0, footer.length, true);
    tail.set(MAGIC, 4);
    await writeAll(this.handle, [footer, tail], this.offset);
    this.offset += footer.length + tail.length;
    await this.handle.close();
    return { rows: this.rows, bytes: this.offset };
  }

  /**
   * The page index after the row groups, before the footer, as parquet-mr and arrow-rs place it:
   * every chunk's ColumnIndex, then every chunk's OffsetIndex; the footer's chunks point at them.
   */
  private async writePageIndexes(): Promise<void> {
    const parts: Uint8Array[] = [];
    const start = this.offset;
    let at = start;
    const place = (bytes: Uint8Array) => {
      parts.push(bytes);
      at += bytes.length;
      return { offset: at - bytes.length, length: bytes.length };
    };
    this.rowGroups.forEach((group, g) => group.columns.forEach((column, c) => {
      const index = this.pageIndexes[g][c].columnIndex;
      if (index) column.columnIndex = place(encodeColumnIndex(index));
    }));
    this.rowGroups.forEach((group, g) => group.columns.forEach((column, c) => {
      column.offsetIndex = place(encodeOffsetIndex(this.pageIndexes[g][c].locations, column.fileOffset));
    }));
    await writeAll(this.handle, parts, start);
    this.offset = at;
  }

  async abort(): Promise<void> {
    for (const builder of this.builders) builder.discard();
    await this.writing.catch(() => undefined);
    await this.handle.close().catch(() => undefined);
  }
}

/**
 * Streams batches into one Parquet file with the built-in encoder (the schema must pass
 * `canEncode`). Input errors pass through as they are; the writer's own are SluiceErrors naming
 * the file, as parquet-wasm's path reports them. Either way no partial file is left.
 */
export async function writeParquetFile(batches: AsyncIterable<RecordBatch>, path: string, schema: Schema, options: FileWriterOptions): Promise<WriteResult> {
  let writer: ParquetFileWriter | undefined;
  let inputFailed = false;
  const iterator = batches[Symbol.asyncIterator]();
  try {
    writer = await ParquetFileWriter.open(path, schema, options);
    for (;;) {
      let next: IteratorResult<RecordBatch>;
      try {
        next = await iterator.next();
      } catch (error) {
        inputFailed = true;
        throw error;
      }
      if (next.done) break;
      await writer.write(next.value);
    }
    const { rows, bytes } = await writer.close();
    return { rows, bytes, files: [path] };
  } catch (error) {
    if (!inputFailed) await iterator.return?.();
    await writer?.abort();
    await rm(path, { force: true });
    if (inputFailed || error instanceof SluiceError) throw error;
    throw new SluiceError(`Writing Parquet file ${path} failed: ${error instanceof Error ? error.message : String(error)}`, { file: path });
  }
}
