import { COMPRESSION_EXTENSIONS } from '../../compressionEndings.js';
import type { FormatDef } from '../FormatDef.js';
import { BATCH_SIZE, OPTIMIZE_PERFORMANCE_REASON, PARSE_MODE, SAMPLING_ROWS, WITH_SCHEMA_REASON } from '../commonOptions.js';
import { importSibling, lazyReader, lazyStream, lazyWriter } from '../lazy.js';
import type { JsonWriteOptions } from '../text/jsonWriter.js';
import { isJsonDocument } from './jsonMode.js';
import type { JsonOptions } from './jsonReader.js';

const jsonReader = lazyReader<JsonOptions>(async () => (await importSibling(() => import('./jsonReader.js'), './jsonReader.js', import.meta.url)).jsonReader);
const jsonWriter = lazyWriter<JsonWriteOptions>(async () => (await importSibling(() => import('../text/jsonWriter.js'), '../text/jsonWriter.js', import.meta.url)).jsonWriter);
const readJsonLinesRange = lazyStream(async () => (await importSibling(() => import('./readJsonLinesRange.js'), './readJsonLinesRange.js', import.meta.url)).readJsonLinesRange);
import { isPlainJsonLines } from './jsonSplitter.js';
import { open } from 'node:fs/promises';

const SNIFF_BYTES = 64 * 1024;

/** Whether a (local, uncompressed) file starts as plain JSON lines: then byte ranges hold whole records. */
async function jsonLinesHead(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return isPlainJsonLines(buffer.subarray(0, bytesRead).toString('utf8'), bytesRead < SNIFF_BYTES);
  } finally {
    await handle.close();
  }
}

/** JSON (Glue's `format="json"`): JSON lines, or one document per file; JSON lines are split at line breaks. */
export const jsonFormat = {
  name: 'json' as const,
  aliases: [],
  extensions: { json: {}, jsonl: {}, ndjson: {} },
  compressionExtensions: COMPRESSION_EXTENSIONS,
  read: {
    reader: jsonReader,
    options: {
      label: 'JSON',
      schema: {
        type: 'object',
        additionalProperties: false,
        properties: {
          jsonPath: { type: 'string', description: 'Where the records are in a document, e.g. `$.data.items[*]`; implies one document per file.' },
          multiLine: { type: 'boolean', default: false, description: 'A record may span lines: each file is one JSON value, whose array elements (or the object itself) are the records.' },
          multiline: { type: 'boolean', default: false, description: "Glue's spelling of multiLine." },
          format: { type: 'string', enum: ['lines', 'document'], description: "'lines' (default): one object per line, streamed; 'document': one JSON value per file." },
          mode: PARSE_MODE,
          samplingRows: SAMPLING_ROWS,
          batchSize: BATCH_SIZE,
        },
      },
      ignored: { optimizePerformance: OPTIMIZE_PERFORMANCE_REASON, withSchema: WITH_SCHEMA_REASON },
    },
    split: {
      kind: 'byteRange',
      splittable: (options) => !isJsonDocument(options as JsonOptions),
      splittableFile: (file) => jsonLinesHead(file),
      readRange: (file, range, options, read) => readJsonLinesRange(file, range, options as JsonOptions, read),
    },
  },
  write: {
    writer: jsonWriter,
    extension: 'json',
    options: {
      label: 'JSON',
      schema: {
        type: 'object',
        additionalProperties: false,
        properties: {
          ignoreNullFields: { type: 'boolean', default: false, description: 'Leave out fields whose value is null (Spark\'s option); by default they are written as null.' },
        },
      },
      ignored: {},
    },
  },
} satisfies FormatDef;
