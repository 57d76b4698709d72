import type { FormatDef } from '../FormatDef.js';
import { BATCH_SIZE, PARSE_MODE } from '../commonOptions.js';
import { importSibling, lazyReader } from '../lazy.js';
import type { AvroOptions } from './avroReader.js';

const avroReader = lazyReader<AvroOptions>(async () => (await importSibling(() => import('./avroReader.js'), './avroReader.js', import.meta.url)).avroReader);

/** Avro object container files (Glue's `format="avro"`): read only, one file per split. */
export const avroFormat = {
  name: 'avro' as const,
  aliases: [],
  extensions: { avro: {} },
  compressionExtensions: [],
  read: {
    reader: avroReader,
    options: {
      label: 'Avro',
      schema: { type: 'object', additionalProperties: false, properties: { mode: PARSE_MODE, batchSize: BATCH_SIZE } },
      ignored: { version: 'one reader handles every Avro version; logical types are always decoded' },
    },
    split: { kind: 'wholeFile' },
  },
} satisfies FormatDef;
