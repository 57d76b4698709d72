import { DataFrame } from '../frame/DataFrame.js';
import { formatTable } from '../frame/formatTable.js';
import { describeDialect, type CsvDialect } from '../io/formats/csv/sniffCsv.js';
import { typeName } from '../types/typeNames.js';
import { INPUT_FLAGS, openInput } from './openInput.js';
import { intFlag, parseVerbArgs } from './parseVerbArgs.js';
import { formatErrorRecord } from './report.js';
import type { CliIO } from './runCli.js';
import { VERB_USAGE } from './usage.js';

const SAMPLE_ERRORS = 5;

/** `sluice show <path> [--limit N]`: the schema, then the first rows as an aligned table. */
export async function showCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseVerbArgs('show', argv, { ...INPUT_FLAGS, limit: { type: 'string' }, dialect: { type: 'boolean' } }, { min: 1, max: 1, names: 'a path: sluice show <path>' });
  if (values.help) {
    io.out(VERB_USAGE.show);
    return 0;
  }
  const limit = intFlag(values.limit, 'limit', 'show', 20);
  const report = values.dialect ? (d: CsvDialect) => io.err(`sluice: ${positionals[0]}: CSV dialect: ${describeDialect(d)}`) : undefined;
  const frame = await openInput(positionals[0], values, 'show', 'format', report);
  const { table, errors } = await frame.limit(limit).collect();
  const rows = await DataFrame.fromArrow(table).toRows();
  io.out(`schema (${table.schema.fields.length} columns):`);
  for (const f of table.schema.fields) io.out(`  ${f.name}: ${typeName(f.type)}`);
  io.out('');
  io.out(formatTable(table.schema, rows));
  if (errors.length > 0) {
    io.err(`sluice: ${errors.length} error record${errors.length === 1 ? '' : 's'} among the rows read:`);
    for (const e of errors.slice(0, SAMPLE_ERRORS)) io.err(`  ${formatErrorRecord(e)}`);
  }
  return 0;
}
