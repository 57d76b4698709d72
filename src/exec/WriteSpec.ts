import type { WritableFormat } from '../io/formats/registry.js';
import type { ErrorRecord } from '../types/ErrorRecord.js';

/** Options of a write. Files are committed atomically: all part files appear, or none. */
export interface WriteSpec {
  format: WritableFormat;
  path: string;
  /** Hive partition columns: `path/year=2024/month=5/part-….parquet`; they leave the data. */
  partitionKeys?: string[];
  /** parquet: snappy (default), zstd, gzip, none. */
  compression?: 'snappy' | 'zstd' | 'gzip' | 'none';
  /** parquet: rows per row group. */
  rowGroupSize?: number;
  /** Upper bound of rows in one part file. */
  maxRowsPerFile?: number;
  /**
   * Upper bound of one part file's rows in in-memory Arrow bytes (a file holds at least one
   * row). Parquet encodes and compresses, so the files themselves come out smaller.
   */
  maxBytesPerFile?: number;
  /**
   * When the path already holds data: 'append' (the default, as Glue sinks add part files),
   * 'overwrite' (replace what is there) or 'error' (refuse, as Spark's default).
   */
  mode?: 'overwrite' | 'error' | 'append';
  /** Format options: csv separator, quoteChar, header… */
  formatOptions?: Record<string, unknown>;
  /** Names the staging folder (`.<name>.sluice-staging/<jobRunId>` beside `path`) and the part files; default a random UUID. */
  jobRunId?: string;
  /**
   * Stage the part files but do not publish them: the caller (a job's bookmark commit, a job spec's
   * one commit of all its sinks) claims the output and publishes them (io/partitioning/outputCommit.ts). `files` then lists where they will go.
   */
  deferCommit?: boolean;
}

export interface WriteSummary {
  rows: number;
  files: string[];
  bytes: number;
  errors: ErrorRecord[];
}

/** The format writer's options of a write: its format options, compression and row group size. */
export function writerOptionsOf(spec: WriteSpec): Record<string, unknown> {
  return {
    ...(spec.formatOptions ?? {}),
    ...(spec.compression ? { compression: spec.compression } : {}),
    ...(spec.rowGroupSize ? { rowGroupSize: spec.rowGroupSize } : {}),
  };
}

/** The commit protocol's save mode of a write (Glue's default: append). */
export function saveModeOf(spec: WriteSpec): 'errorIfExists' | 'append' | 'overwrite' {
  return spec.mode === 'error' ? 'errorIfExists' : spec.mode ?? 'append';
}
