import { COMPRESSION_EXTENSIONS } from '../../compressionEndings.js';
import type { FormatDef } from '../FormatDef.js';
import { BATCH_SIZE, PARSE_MODE, SAMPLING_ROWS, WITH_SCHEMA_REASON } from '../commonOptions.js';
import { importSibling, lazyReader } from '../lazy.js';
import type { XmlOptions } from './xmlReader.js';

const xmlReader = lazyReader<XmlOptions>(async () => (await importSibling(() => import('./xmlReader.js'), './xmlReader.js', import.meta.url)).xmlReader);

/** XML (Glue's `format="xml"` with `rowTag`): read only, one file per split. */
export const xmlFormat = {
  name: 'xml' as const,
  aliases: [],
  extensions: { xml: {} },
  compressionExtensions: COMPRESSION_EXTENSIONS,
  read: {
    reader: xmlReader,
    options: {
      label: 'XML',
      schema: {
        type: 'object',
        additionalProperties: false,
        properties: {
          rowTag: { type: 'string', description: 'Required: the element whose occurrences are rows, e.g. `order`.' },
          attributePrefix: { type: 'string', default: '_', description: 'Prefix of the fields read from attributes.' },
          valueTag: { type: 'string', default: '_VALUE', description: 'Field holding an element\'s text when it also has attributes or children.' },
          mode: PARSE_MODE,
          samplingRows: SAMPLING_ROWS,
          batchSize: BATCH_SIZE,
        },
      },
      ignored: { encoding: 'files are read as UTF-8', withSchema: WITH_SCHEMA_REASON },
    },
    split: { kind: 'wholeFile' },
  },
} satisfies FormatDef;
