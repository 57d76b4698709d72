import type { FormatReader, FormatWriter, ReadChunk, ReadOptions } from './Format.js';
import type { ByteRange } from './byteRange.js';

/** One option as JSON Schema, with the description the docs and the job-spec schema show. */
export interface OptionSchema {
  type?: 'string' | 'boolean' | 'integer' | 'number' | 'array' | 'object' | readonly ('string' | 'integer' | 'number' | 'boolean')[];
  description: string;
  enum?: readonly unknown[];
  default?: unknown;
  minimum?: number;
  items?: { type: string };
}

/** A format's options (Glue's `format_options` names) as a JSON Schema object. */
export interface OptionsSchema {
  type: 'object';
  properties: Readonly<Record<string, OptionSchema>>;
  additionalProperties: false;
}

/**
 * The options one place accepts: those acted on (`schema`), and Glue options accepted without
 * effect, each with the reason (shown in docs/formats.md, never dropped in silence).
 */
export interface OptionSet {
  /** Names the options in messages: `CSV`, `S3 connection`. */
  label: string;
  schema: OptionsSchema;
  ignored: Readonly<Record<string, string>>;
  /** Glue options refused because ignoring them would change the data read, each with the reason. */
  unsupported?: Readonly<Record<string, string>>;
}

/**
 * How a scan's large files are cut for parallel reads: at record-aligned byte ranges (records end
 * at '\n'), by row groups, or not at all. Compressed streams are always read whole.
 */
export type SplitStrategy =
  | { kind: 'wholeFile' }
  | {
    kind: 'byteRange';
    /** Whether these options keep every record on one line (CSV without multiLine, JSON lines). */
    splittable(options: Record<string, unknown>): boolean;
    /** Whether this file's bytes hold one record per line (e.g. JSON lines, not concatenated objects); default yes. */
    splittableFile?(file: string, options: Record<string, unknown>): Promise<boolean>;
    /**
     * The options one file is read with, decided once by the split planner (CSV: its sniffed
     * dialect): they travel with the file's ranges, which then do not each decide again.
     */
    resolveFile?(file: string, options: Record<string, unknown>): Promise<Record<string, unknown>>;
    /** The records that start in (start, end], or at 0 for the first range (see SplitPart). */
    readRange(file: string, range: ByteRange, options: Record<string, unknown>, read: ReadOptions): AsyncIterable<ReadChunk>;
  }
  | {
    kind: 'rowGroups';
    rowGroups(file: string): Promise<{ index: number; compressedBytes: number }[]>;
    readRowGroups(file: string, rowGroups: number[], options: Record<string, unknown>, read: ReadOptions): AsyncIterable<ReadChunk>;
  };

export interface ReadDef {
  /** Reads a file and infers its schema. */
  reader: FormatReader<never>;
  options: OptionSet;
  split: SplitStrategy;
  /** A read of no columns (`columns: []`) yields the rows' count without decoding any column (Parquet: from the footer). */
  countsWithoutColumns?: true;
}

export interface WriteDef {
  writer: FormatWriter<never>;
  /** Of the part files: `part-00000-<id>.csv`. */
  extension: string;
  options: OptionSet;
}

/**
 * Everything sluice knows about one file format, in one place: the CLI, GlueContext, job specs,
 * `read.*`/`write.*`, the partitioned writer, the parallel split planner and docs/formats.md all
 * read it from the registry, so adding a format is one definition and one registry line.
 */
export interface FormatDef {
  /** As `format` names it in specs, Glue calls and plans. */
  name: string;
  /** Other names `format` accepts: Glue's `glueparquet` is parquet. */
  aliases: readonly string[];
  /** File name endings (no dot) that mean this format, with the options they imply (`.tsv`: tab-separated). */
  extensions: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Endings of compressed files the reader opens (`orders.csv.gz`); none when the format compresses inside. */
  compressionExtensions: readonly string[];
  read: ReadDef;
  /** Absent for read-only formats. */
  write?: WriteDef;
}
