import type { WritableFormat } from '../io/formats/registry.js';
import { SluiceError, type ErrorRecord } from '../types/ErrorRecord.js';
import { nearestName } from '../types/nearestName.js';

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

/** Every key of WriteSpec, the likelier first (nearestName prefers earlier ones). */
export const WRITE_SPEC_KEYS = [
  'mode', 'partitionKeys', 'compression', 'formatOptions', 'maxRowsPerFile', 'maxBytesPerFile', 'rowGroupSize',
  'format', 'path', 'jobRunId', 'deferCommit',
] as const;
// A key added to WriteSpec and not listed above fails to compile here.
const writeSpecKeysComplete: Exclude<keyof WriteSpec, (typeof WRITE_SPEC_KEYS)[number]> extends never ? true : never = true;
void writeSpecKeysComplete;

/**
 * Refuses a key that is not a write option (`also`: other keys the caller accepts, such as run
 * options), naming the nearest known one: a misspelt `partitionKey` must not write an unpartitioned lake.
 */
export function checkWriteSpecKeys(spec: object, also: readonly string[] = []): void {
  const known = [...WRITE_SPEC_KEYS, ...also];
  for (const key of Object.keys(spec)) {
    if (known.includes(key)) continue;
    const near = nearestName(key, known);
    throw new SluiceError(`write: unknown option '${key}'; ${near ? `did you mean '${near}'?` : `known: ${known.join(', ')}`}`);
  }
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
