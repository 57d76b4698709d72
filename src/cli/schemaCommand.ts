import type { CsvDialect } from '../io/formats/csv/sniffCsv.js';
import { schemaToSpec } from '../types/typeNames.js';
import { INPUT_FLAGS, openInput } from './openInput.js';
import { parseVerbArgs } from './parseVerbArgs.js';
import type { CliIO } from './runCli.js';
import { VERB_USAGE } from './usage.js';

/** `sluice schema <path>`: the schema as `{"name": "type"}` JSON, read without scanning the data; `--tree`: Glue's printSchema. */
export async function schemaCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { format, 'no-header': noHeader, separator, option } = INPUT_FLAGS;
  const flags = { format, 'no-header': noHeader, separator, option, dialect: { type: 'boolean' }, tree: { type: 'boolean' } } as const;
  const { values, positionals } = parseVerbArgs('schema', argv, flags, { min: 1, max: 1, names: 'a path: sluice schema <path>' });
  if (values.help) {
    io.out(VERB_USAGE.schema);
    return 0;
  }
  const report = values.dialect ? (d: CsvDialect) => io.err(JSON.stringify({ file: positionals[0], dialect: d })) : undefined;
  const frame = await openInput(positionals[0], values, 'schema', 'format', report);
  if (values.tree) await frame.printSchema(io.out);
  else io.out(JSON.stringify(schemaToSpec(await frame.schema()), null, 2));
  return 0;
}
