import type { ExprNode } from '../../expr/ast.js';
import type { RecordBatch, Schema } from 'apache-arrow';
import type { ErrorRecord } from '../../types/ErrorRecord.js';

/** What every reader is asked for, besides its format's own options. */
export interface ReadOptions {
  /** The schema to produce. Readers that infer call `inferSchema` first when this is absent. */
  schema: Schema;
  /** Rows per produced batch (default 65,536). */
  batchSize?: number;
  /** Column projection: only these columns are produced, in schema order. */
  columns?: string[];
  /**
   * A condition every wanted row satisfies (filter push-down): a reader may skip units that
   * cannot hold one (Parquet row groups, by their statistics), never single rows.
   */
  predicate?: ExprNode;
  /** Told how many units (row groups) a read skipped and how many it read, for metrics. */
  onPruned?: (skipped: number, read: number) => void;
  /**
   * Columns whose type was inferred, not declared (CSV and JSON): a value there that misfits
   * raises a WidenSignal (types/WidenSignal.ts) instead of making an error record.
   */
  widenable?: string[];
}

/** One step of a read: a batch (possibly 0 rows) and the error records met on the way. */
export interface ReadChunk {
  batch: RecordBatch;
  errors: ErrorRecord[];
}

/** A file format's reader. `path` is a local path; gzip is decided by the `.gz` extension. */
export interface FormatReader<O> {
  inferSchema(path: string, options: O): Promise<Schema>;
  /** The file's column names, when the format knows them cheaper than by inferring types (a CSV header). */
  columnNames?(path: string, options: O): Promise<string[]>;
  /**
   * The string columns of `schema` whose values repeat enough (status, country) that the reader
   * should produce them as Dictionary<Utf8, Int32> when the scan's schema asks it to (CSV). 'always':
   * every string column the reader can so produce.
   */
  repeatingColumns?(path: string, options: O, schema: Schema, mode: 'auto' | 'always'): Promise<string[]>;
  read(path: string, options: O, read: ReadOptions): AsyncIterable<ReadChunk>;
}

export interface WriteResult {
  rows: number;
  bytes: number;
  files: string[];
}

/** A file format's writer: consumes batches of one schema and writes one file. */
export interface FormatWriter<O> {
  write(batches: AsyncIterable<RecordBatch>, path: string, options: O): Promise<WriteResult>;
}
