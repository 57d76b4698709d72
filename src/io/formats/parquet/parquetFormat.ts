import type { FormatDef } from '../FormatDef.js';
import { BATCH_SIZE } from '../commonOptions.js';
import { importSibling, lazyAsync, lazyReader, lazyWriter } from '../lazy.js';
import type { ParquetOptions } from './parquetReader.js';
import type { ParquetWriteOptions } from './parquetWriter.js';

const parquetReader = lazyReader<ParquetOptions>(async () => (await importSibling(() => import('./parquetReader.js'), './parquetReader.js', import.meta.url)).parquetReader);
const parquetRowGroups = lazyAsync(async () => (await importSibling(() => import('./parquetReader.js'), './parquetReader.js', import.meta.url)).parquetRowGroups);
const parquetWriter = lazyWriter<ParquetWriteOptions>(async () => (await importSibling(() => import('./parquetWriter.js'), './parquetWriter.js', import.meta.url)).parquetWriter);

/** Parquet (Glue's `format="parquet"` and `"glueparquet"`): split by row groups. */
export const parquetFormat = {
  name: 'parquet' as const,
  aliases: ['glueparquet'],
  extensions: { parquet: {}, pq: {} },
  compressionExtensions: [],
  read: {
    reader: parquetReader,
    options: {
      label: 'Parquet',
      schema: { type: 'object', additionalProperties: false, properties: { batchSize: BATCH_SIZE } },
      ignored: {},
    },
    split: {
      kind: 'rowGroups',
      rowGroups: parquetRowGroups,
      readRowGroups: (file, rowGroups, options, read) => parquetReader.read(file, { ...options, rowGroups }, read),
    },
  },
  write: {
    writer: parquetWriter,
    extension: 'parquet',
    options: {
      label: 'Parquet',
      schema: {
        type: 'object',
        additionalProperties: false,
        properties: {
          compression: { type: 'string', enum: ['snappy', 'zstd', 'gzip', 'none'], default: 'snappy', description: 'Codec of the column chunks (any case, as Glue\'s `SNAPPY`).' },
          rowGroupSize: { type: 'integer', minimum: 1, default: 1_048_576, description: 'Rows per row group.' },
        },
      },
      ignored: {
        useGlueParquetWriter: 'sluice has one Parquet writer; like Glue\'s, it takes the schema from the data and needs no schema pass',
        blockSize: 'row groups are cut by rows (rowGroupSize), not bytes',
        pageSize: "parquet-wasm's default page size (1 MiB) is used",
      },
    },
  },
} satisfies FormatDef;
