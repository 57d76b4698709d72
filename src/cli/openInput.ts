import { stat } from 'node:fs/promises';
import type { DataFrame } from '../frame/DataFrame.js';
import { sniffCsvFile, type CsvDialect } from '../io/formats/csv/sniffCsv.js';
import { readFrame } from '../frame/read.js';
import { formatDef } from '../io/formats/registry.js';
import { schemaFromSpec } from '../types/typeNames.js';
import { assertExists, FILE_FORMATS, formatOfName, inferFormat, type FileFormat } from './inferFormat.js';
import { choiceFlag } from './parseVerbArgs.js';
import { UsageError } from './UsageError.js';

/** The input flags shared by show, schema and convert. */
export const INPUT_FLAGS = {
  format: { type: 'string' },
  'no-header': { type: 'boolean' },
  separator: { type: 'string' },
  schema: { type: 'string' },
  option: { type: 'string', multiple: true },
  glob: { type: 'boolean' },
} as const;

type Values = Record<string, string | boolean | string[] | undefined>;

/**
 * A lazy frame over a file, folder or glob, the way show/schema/convert read it. CSV input is
 * read with its dialect sniffed (header, separator, quote, escape, preamble, line ends, multiLine),
 * each option given by a flag winning; `report` gets the dialect a single file is read with.
 * `--no-header` names the columns col0, col1, …; `--option sniff=false` reads with a header and
 * Glue's defaults otherwise.
 */
export async function openInput(path: string, values: Values, verb: string, formatFlag = 'format', report?: (dialect: CsvDialect) => void): Promise<DataFrame> {
  const chosen = choiceFlag<FileFormat>(values[formatFlag] as string | undefined, formatFlag, verb, FILE_FORMATS);
  await assertExists(path);
  const inferred = chosen ? { format: chosen, formatOptions: formatOfName(path)?.formatOptions ?? {} } : await inferFormat(path);
  const formatOptions: Record<string, unknown> = { ...inferred.formatOptions };
  if (inferred.format === 'csv') {
    // The dialect (header included) is sniffed unless given: --no-header, --separator, --option.
    formatOptions.sniff = true;
    if (values['no-header']) formatOptions.withHeader = false;
    if (typeof values.separator === 'string') formatOptions.separator = values.separator === '\\t' ? '\t' : values.separator;
  } else if (values['no-header'] || values.separator !== undefined) {
    throw new UsageError(`--no-header and --separator apply to CSV input only; ${path} is read as ${inferred.format}`, verb);
  }
  Object.assign(formatOptions, parseOptionFlags(values.option as string[] | undefined, inferred.format, verb));
  if (inferred.format === 'csv' && formatOptions.sniff === false) formatOptions.withHeader ??= true;
  if (inferred.format === 'csv' && report) {
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) report(await sniffCsvFile(path, formatOptions));
  }
  const schema = typeof values.schema === 'string' ? parseSchemaFlag(values.schema, verb) : undefined;
  // A local path that names a file is that file, glob characters or not, unless --glob says otherwise.
  return readFrame({ format: inferred.format, paths: [path], formatOptions, ...(schema ? { schema } : {}), ...(values.glob ? { pathMode: 'glob' as const } : {}) });
}

/**
 * `--option rowTag=order --option multiLine=true`: any read option of the format, its value
 * typed as the format's definition says (booleans and numbers from their text). Unknown names
 * are refused by readFrame, with the nearest known one.
 */
export function parseOptionFlags(flags: readonly string[] | undefined, format: string, verb: string): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const properties = formatDef(format).read.options.schema.properties;
  for (const flag of flags ?? []) {
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new UsageError(`--option takes NAME=VALUE, such as --option rowTag=order; got '${flag}'`, verb);
    const name = flag.slice(0, eq);
    const text = flag.slice(eq + 1);
    const types = [properties[name]?.type ?? 'string'].flat();
    if (types.includes('boolean') && (text === 'true' || text === 'false')) options[name] = text === 'true';
    else if ((types.includes('integer') || types.includes('number')) && text.trim() !== '' && Number.isFinite(Number(text))) options[name] = Number(text);
    else options[name] = text;
  }
  return options;
}

/** `--schema '{"a":"int32"}'`: JSON of type names, each checked now. */
export function parseSchemaFlag(text: string, verb: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--schema must be JSON such as '{"id":"int32","name":"string"}', got ${text}`, verb);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || Object.values(parsed).some((t) => typeof t !== 'string')) {
    throw new UsageError(`--schema must map column names to type names, such as '{"id":"int32"}'`, verb);
  }
  const spec = parsed as Record<string, string>;
  try {
    schemaFromSpec(spec);
  } catch (e) {
    throw new UsageError(`--schema: ${(e as Error).message}`, verb);
  }
  return spec;
}
