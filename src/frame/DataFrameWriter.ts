import type { DataFrame, Row } from './DataFrame.js';
import { RUN_OPTION_KEYS, splitRunOptions, type RunOptions } from '../exec/parallel/settings.js';
import { writePlan } from '../exec/write.js';
import { checkWriteSpecKeys, type WriteSpec, type WriteSummary } from '../exec/WriteSpec.js';
import { SluiceError } from '../types/ErrorRecord.js';

export type { WriteSpec, WriteSummary };

/** A write's options, and how it runs (`threads`, `parallel`, `signal` to cancel it…). */
type Opts = Omit<WriteSpec, 'format' | 'path'> & RunOptions;

/**
 * `df.write`: runs the frame's plan into files (Spark: `DataFrameWriter`, Glue:
 * `writeDynamicFrame.fromOptions`). A write is atomic: part files are staged, then published
 * together, `_SUCCESS` last; a failed write leaves nothing visible. Local paths and `s3://`.
 *
 * Options (all writers, see {@link WriteSpec}): `partitionKeys` (Hive layout
 * `path/year=2024/month=5/part-….parquet`; the keys leave the data), `mode` (`'append'`, the
 * default as in Glue; `'overwrite'`; `'error'`), `maxRowsPerFile`, `maxBytesPerFile`,
 * `formatOptions` (docs/formats.md); for Parquet also `compression` and `rowGroupSize`; and the
 * run options (`threads`, `parallel`, `splitSize`, `signal`…). An unknown option fails the write
 * before anything is read. Each resolves to a {@link WriteSummary}: rows, files, bytes and the error records.
 */
export class DataFrameWriter {
  /**
   * @param settings what Spark's builder calls (`mode`, `partitionBy`, `format`, `option`) set so
   *   far; each call returns a new writer, the writes below start from them.
   */
  constructor(private readonly frame: DataFrame<Row>, private readonly settings: Partial<WriteSpec> = {}) {}

  /**
   * The save mode (Spark: `df.write.mode(...)`): `overwrite`, `append`, or `error` /
   * `errorifexists`; without it a write appends, as Glue's do. Spark's `ignore` is not supported.
   *
   * @example
   * ```ts
   * await df.write.mode('overwrite').partitionBy('year').parquet('lake/orders');
   * ```
   */
  mode(mode: string): DataFrameWriter {
    const m = mode.toLowerCase();
    const known: Record<string, WriteSpec['mode']> = { overwrite: 'overwrite', append: 'append', error: 'error', errorifexists: 'error' };
    if (!known[m]) throw new SluiceError(`write.mode: unknown mode '${mode}'; use overwrite, append, error or errorifexists`);
    return this.with({ mode: known[m] });
  }
  /** Hive partition columns (Spark: `partitionBy`, Glue: `partitionKeys`). */
  partitionBy(...columns: (string | string[])[]): DataFrameWriter {
    return this.with({ partitionKeys: columns.flat() });
  }
  /** The format `save` writes (Spark: `format`): `parquet`, `csv`, `json`, … */
  format(format: string): DataFrameWriter {
    return this.with({ format: format.toLowerCase() as WriteSpec['format'] });
  }
  /**
   * One writer option (Spark: `option(key, value)`): `compression` for Parquet; for CSV
   * `header`, `sep`/`delimiter`, `quote` (Spark's names, read as sluice's `writeHeader`,
   * `separator`, `quoteChar`); any other key goes to `formatOptions`, where an unknown one fails
   * the write naming it.
   */
  option(key: string, value: string | number | boolean): DataFrameWriter {
    if (key === 'compression') return this.with({ compression: String(value).toLowerCase() as WriteSpec['compression'] });
    const renamed: Record<string, string> = { header: 'writeHeader', sep: 'separator', delimiter: 'separator', quote: 'quoteChar' };
    const name = renamed[key] ?? key;
    const v = name === 'writeHeader' && typeof value === 'string' ? value.toLowerCase() === 'true' : value;
    return this.with({ formatOptions: { ...this.settings.formatOptions, [name]: v } });
  }
  /** `option` for each entry (Spark: `options(**kw)`). */
  options(options: Record<string, string | number | boolean>): DataFrameWriter {
    return Object.entries(options).reduce<DataFrameWriter>((w, [k, v]) => w.option(k, v), this);
  }
  /** Writes in the format set by `format(...)` (Spark: `save(path)`). */
  async save(path: string): Promise<WriteSummary> {
    if (!this.settings.format) throw new SluiceError("write.save: name the format first, e.g. df.write.format('parquet').save(path)");
    return this.to({ ...this.settings, format: this.settings.format, path });
  }

  private with(settings: Partial<WriteSpec>): DataFrameWriter {
    return new DataFrameWriter(this.frame, { ...this.settings, ...settings });
  }
  /**
   * Writes with a full spec, the format named in it.
   *
   * @example
   * ```ts
   * await df.write.to({ format: 'csv', path: 'out', formatOptions: { separator: ';' } });
   * ```
   */
  async to(options: WriteSpec & RunOptions): Promise<WriteSummary> {
    checkWriteSpecKeys(options, RUN_OPTION_KEYS);
    const { run, rest: spec } = splitRunOptions<WriteSpec>(options);
    const { format: _format, ...set } = this.settings;
    const formatOptions = set.formatOptions || spec.formatOptions ? { ...set.formatOptions, ...spec.formatOptions } : undefined;
    return writeFrame(this.frame, { ...set, ...spec, ...(formatOptions ? { formatOptions } : {}) }, run);
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
