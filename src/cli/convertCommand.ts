import type { WriteSpec } from '../frame/DataFrameWriter.js';
import { parseByteSize } from '../types/byteSize.js';
import { formatDef, formatNames, type WritableFormat } from '../io/formats/registry.js';
import { assertNoOverlap } from '../io/partitioning/pathOverlap.js';
import { checkPartitionKeys } from '../io/partitioning/partitionKeyNames.js';
import { FILE_FORMATS, formatOfName } from './inferFormat.js';
import { HeldSinks } from '../job/spec/errorLimit.js';
import type { ErrorRecord } from '../types/ErrorRecord.js';
import { INPUT_FLAGS, openInput } from './openInput.js';
import { choiceFlag, parseVerbArgs } from './parseVerbArgs.js';
import { formatErrorRecord, seconds } from './report.js';
import type { CliIO } from './runCli.js';
import { VERB_USAGE } from './usage.js';
import { UsageError } from './UsageError.js';

const COMPRESSIONS = ['snappy', 'zstd', 'gzip', 'none'] as const;
const MODES = ['error', 'overwrite', 'append'] as const;
const SAMPLE_ERRORS = 5;

/**
 * `sluice convert <in> <out> [--to F] [--partition-by a,b] [--compression C] [--schema JSON]
 * [--max-rows-per-file N] [--max-bytes-per-file SIZE]`.
 */
export async function convertCommand(argv: readonly string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseVerbArgs('convert', argv, {
    ...INPUT_FLAGS,
    from: { type: 'string' },
    to: { type: 'string' },
    'partition-by': { type: 'string' },
    compression: { type: 'string' },
    mode: { type: 'string' },
    'max-rows-per-file': { type: 'string' },
    'max-bytes-per-file': { type: 'string' },
    'max-errors': { type: 'string' },
  }, { min: 2, max: 2, names: 'an input and an output: sluice convert <in> <out>' });
  if (values.help) {
    io.out(VERB_USAGE.convert);
    return 0;
  }
  if (values.format !== undefined) throw new UsageError(`sluice convert takes --from (input) and --to (output), not --format`, 'convert');
  const [input, output] = positionals;
  const to = outputFormat(choiceFlag(values.to, 'to', 'convert', FILE_FORMATS) ?? formatOfName(output)?.format ?? 'parquet');
  const compression = choiceFlag(values.compression, 'compression', 'convert', COMPRESSIONS);
  if (compression && to !== 'parquet') throw new UsageError(`--compression applies to parquet output; the output is ${to}`, 'convert');
  const partitionKeys = typeof values['partition-by'] === 'string' ? values['partition-by'].split(',').map((k) => k.trim()).filter(Boolean) : [];

  // Spark's default: refuse to mix a second conversion into a folder that already holds data.
  const mode = choiceFlag(values.mode, 'mode', 'convert', MODES) ?? 'error';

  const maxRowsPerFile = rowCountFlag(values['max-rows-per-file']);
  const maxBytesPerFile = byteSizeFlag(values['max-bytes-per-file']);

  // Before the input is opened (its schema may be read): a conversion into or over its own input.
  checkPartitionKeys(partitionKeys);
  assertNoOverlap([input], output, 'sluice convert');
  const frame = await openInput(input, values, 'convert', 'from');
  const spec: WriteSpec = { format: to, path: output, mode };
  if (partitionKeys.length > 0) spec.partitionKeys = partitionKeys;
  if (compression) spec.compression = compression;
  if (maxRowsPerFile !== undefined) spec.maxRowsPerFile = maxRowsPerFile;
  if (maxBytesPerFile !== undefined) spec.maxBytesPerFile = maxBytesPerFile;
  const started = Date.now();
  const maxErrors = rowCountFlag(values['max-errors'], 'max-errors', 0);
  let summary;
  if (maxErrors === undefined) summary = await frame.write.to(spec);
  else {
    // Staged, then published only when the error records are within the limit.
    const held = new HeldSinks(maxErrors);
    try {
      summary = await held.write(frame, spec);
      if (summary.errors.length > maxErrors) reportErrors(io, summary.errors);
      await held.settle(summary.errors.length, { [`scan ${input}`]: summary.errors.length });
    } catch (e) {
      await held.discard();
      throw e;
    }
  }
  const files = summary.files.length;
  io.out(`wrote ${summary.rows.toLocaleString('en-US')} rows as ${to} to ${files} file${files === 1 ? '' : 's'} under ${output} in ${seconds(Date.now() - started)}`);
  if (summary.errors.length > 0) {
    io.out(`${summary.errors.length} error record${summary.errors.length === 1 ? '' : 's'} (rows not written):`);
    for (const e of summary.errors.slice(0, SAMPLE_ERRORS)) io.out(`  ${formatErrorRecord(e)}`);
    reportErrors(io, summary.errors);
  }
  return 0;
}

/** The output format, when sluice writes it: Avro and XML are read, not written. */
function outputFormat(format: string): WritableFormat {
  if (!formatDef(format).write) {
    throw new UsageError(`sluice reads ${format} but does not write it; convert to ${formatNames('write').join(', ')} (--to)`, 'convert');
  }
  return format as WritableFormat;
}

function rowCountFlag(text: unknown, flag = 'max-rows-per-file', min = 1): number | undefined {
  if (typeof text !== 'string') return undefined;
  const n = Number(text);
  if (!(Number.isInteger(n) && n >= min)) throw new UsageError(`--${flag} takes a whole number >= ${min}, got '${text}'`, 'convert');
  return n;
}

function byteSizeFlag(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return parseByteSize(text, '--max-bytes-per-file');
  } catch (error) {
    throw new UsageError((error as Error).message, 'convert');
  }
}

/** Error records said on stderr too, so a run that made them is never quiet. */
function reportErrors(io: CliIO, errors: readonly ErrorRecord[]): void {
  io.err(`sluice: ${errors.length} error record${errors.length === 1 ? '' : 's'} (rows not written); first:`);
  for (const e of errors.slice(0, SAMPLE_ERRORS)) io.err(`  ${formatErrorRecord(e)}`);
}
