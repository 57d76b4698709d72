import type { DataFrame, Row } from './DataFrame.js';
import type { RunOptions } from '../exec/parallel/settings.js';
import { writePlan } from '../exec/write.js';
import type { WriteSpec, WriteSummary } from '../exec/WriteSpec.js';

export type { WriteSpec, WriteSummary };

type Opts = Omit<WriteSpec, 'format' | 'path'>;

/**
 * `df.write`: runs the frame's plan into files (Spark: `DataFrameWriter`, Glue:
 * `writeDynamicFrame.fromOptions`). A write is atomic: part files are staged, then published
 * together, `_SUCCESS` last; a failed write leaves nothing visible. Local paths and `s3://`.
 *
 * Options (all writers, see {@link WriteSpec}): `partitionKeys` (Hive layout
 * `path/year=2024/month=5/part-….parquet`; the keys leave the data), `mode` (`'append'`, the
 * default as in Glue; `'overwrite'`; `'error'`), `maxRowsPerFile`, `maxBytesPerFile`,
 * `formatOptions` (docs/formats.md); for Parquet also `compression` and `rowGroupSize`.
 * Each resolves to a {@link WriteSummary}: rows, files, bytes and the error records.
 */
export class DataFrameWriter {
  constructor(private readonly frame: DataFrame<Row>) {}
  /**
   * Writes with a full spec, the format named in it.
   *
   * @example
   * ```ts
   * await df.write.to({ format: 'csv', path: 'out', formatOptions: { separator: ';' } });
   * ```
   */
  to(spec: WriteSpec): Promise<WriteSummary> {
    return writeFrame(this.frame, spec);
  }
  /**
   * Writes Parquet part files (Spark: `df.write.parquet`), snappy-compressed by default.
   *
   * @param options `partitionKeys`, `mode`, `compression` (`snappy`, `zstd`, `gzip`, `none`),
   *   `rowGroupSize`, `maxRowsPerFile`, `maxBytesPerFile`.
   * @example
   * ```ts
   * const { rows, files } = await df.write.parquet('lake/orders', { partitionKeys: ['year', 'month'], mode: 'overwrite' });
   * ```
   */
  parquet(path: string, options: Opts = {}): Promise<WriteSummary> {
    return this.to({ ...options, format: 'parquet', path });
  }
  /**
   * Writes CSV part files with a header line (Spark: `df.write.csv`).
   *
   * @param options `partitionKeys`, `mode`, `maxRowsPerFile`, `maxBytesPerFile`, and
   *   `formatOptions`: `writeHeader`, `separator`, `quoteChar`, `lineSeparator`.
   * @example
   * ```ts
   * await df.write.csv('out/report', { formatOptions: { separator: ';' } });
   * ```
   */
  csv(path: string, options: Opts = {}): Promise<WriteSummary> {
    return this.to({ ...options, format: 'csv', path });
  }
  /**
   * Writes JSON-lines part files, one object per row (Spark: `df.write.json`).
   *
   * @param options `partitionKeys`, `mode`, `maxRowsPerFile`, `maxBytesPerFile`, and
   *   `formatOptions`: `ignoreNullFields`.
   */
  json(path: string, options: Opts = {}): Promise<WriteSummary> {
    return this.to({ ...options, format: 'json', path });
  }
}

/** Runs a frame's plan into files, with run options (threads, split size, signal). */
export function writeFrame(frame: DataFrame<Row>, spec: WriteSpec, run: RunOptions = {}): Promise<WriteSummary> {
  return writePlan(frame.plan, spec, frame.execOptions(run));
}
