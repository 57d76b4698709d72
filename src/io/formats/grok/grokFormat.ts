import { COMPRESSION_EXTENSIONS } from '../../compressionEndings.js';
import type { FormatDef } from '../FormatDef.js';
import { BATCH_SIZE, PARSE_MODE } from '../commonOptions.js';
import { importSibling, lazyReader, lazyStream } from '../lazy.js';
import type { GrokOptions } from './grokReader.js';

const grokReader = lazyReader<GrokOptions>(async () => (await importSibling(() => import('./grokReader.js'), './grokReader.js', import.meta.url)).grokReader);
const readGrokRange = lazyStream(async () => (await importSibling(() => import('./grokReader.js'), './grokReader.js', import.meta.url)).readGrokRange);

/** Log lines read with a grok pattern (Glue's `format="grokLog"`): read only; large files split at line breaks; no file ending implies it. */
export const grokFormat = {
  name: 'grokLog' as const,
  aliases: ['grok'],
  extensions: {},
  compressionExtensions: COMPRESSION_EXTENSIONS,
  read: {
    reader: grokReader,
    options: {
      label: 'grokLog',
      schema: {
        type: 'object',
        additionalProperties: false,
        properties: {
          logFormat: { type: 'string', description: 'Required: the grok pattern of a line, e.g. `%{COMBINEDAPACHELOG}` or `%{IP:client} %{NUMBER:bytes:long}`; fields cast to byte, short, int, long, float, double, boolean (default string).' },
          customPatterns: { type: 'string', description: 'More patterns `logFormat` may name: `NAME regex`, one per line.' },
          MISSING: { type: 'string', default: '-', description: 'The text that means a missing value: read as null.' },
          LineCount: { type: ['integer', 'string'], default: 1, description: 'Lines per record: only 1 (single-line records), as in Glue.' },
          StrictMode: { type: ['boolean', 'string'], default: false, description: 'A line that does not match, or a value that does not convert, stops the read instead of becoming an error record.' },
          mode: PARSE_MODE,
          batchSize: BATCH_SIZE,
        },
      },
      ignored: {},
    },
    split: {
      kind: 'byteRange',
      splittable: () => true, // one record per line, always (LineCount 1)
      readRange: (file, range, options, read) => readGrokRange(file, range, options as unknown as GrokOptions, read),
    },
  },
} satisfies FormatDef;
