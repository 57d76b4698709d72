import type { OptionSet } from '../io/formats/FormatDef.js';

const BUNDLED = 'sluice groups small files into splits of SLUICE_SPLIT_SIZE bytes (default 64 MiB) on its own';

/** Glue's `connection_options` of an S3 (or local file) source, as `createDynamicFrame.fromOptions` takes them. */
export const SOURCE_CONNECTION_OPTIONS: OptionSet = {
  label: 'S3 connection',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      paths: { type: 'array', items: { type: 'string' }, description: 'Files, folders (read recursively; `k=v` folders become columns) or globs.' },
      maxBand: { type: 'integer', minimum: 0, default: 900_000, description: 'With job bookmarks: files modified this many milliseconds before the run starts are tracked one by one.' },
      boundedFiles: { type: 'integer', minimum: 1, description: "With job bookmarks (Glue's bounded execution): read at most this many new files per run, oldest first; the rest are left for the next runs." },
      boundedSize: { type: 'integer', minimum: 1, description: "With job bookmarks (Glue's bounded execution): read at most this many bytes of new files per run (at least one file), oldest first; the rest are left for the next runs." },
    },
  },
  ignored: {
    recurse: 'folders are always read recursively',
    groupFiles: BUNDLED,
    groupSize: BUNDLED,
    compressionType: 'compression is told by the file name (`.gz`, `.bz2`, `.zst`)',
    maxFilesInBand: 'bookmarks track every file of the band, however many',
    isFailFast: 'a failing task already stops the whole read',
    useS3ListImplementation: 'listing is paged already, never held whole in memory',
  },
  unsupported: {
    exclusions: 'reading the excluded files would change the data; list the wanted paths or globs instead',
  },
};

/** Glue's `connection_options` of an S3 (or local file) sink, as `writeDynamicFrame.fromOptions` takes them. */
export const SINK_CONNECTION_OPTIONS: OptionSet = {
  label: 'S3 connection',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      path: { type: 'string', description: 'The output folder.' },
      partitionKeys: { type: 'array', items: { type: 'string' }, description: 'Hive partition columns: `path/k=v/part-….ext`; they leave the data.' },
    },
  },
  ignored: {
    compression: 'CSV and JSON part files are written uncompressed (Parquet takes its codec in formatOptions.compression)',
  },
};

/** Sink settings GlueContext takes among a write's formatOptions, beside the format's own. */
const SINK_SETTINGS: OptionSet['schema']['properties'] = {
  maxRowsPerFile: { type: 'integer', minimum: 1, description: 'Start a new part file after this many rows.' },
  maxBytesPerFile: { type: 'integer', minimum: 1, description: 'Start a new part file before its rows pass this many bytes of in-memory Arrow data.' },
};

/** The formatOptions `writeDynamicFrame.fromOptions` accepts: the format's write options and the sink settings. */
export function glueWriteFormatOptions(format: OptionSet): OptionSet {
  return { ...format, schema: { ...format.schema, properties: { ...format.schema.properties, ...SINK_SETTINGS } } };
}
