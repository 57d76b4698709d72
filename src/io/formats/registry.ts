import { SluiceError } from '../../types/ErrorRecord.js';
import type { FormatReader } from './Format.js';
import type { FormatDef, WriteDef } from './FormatDef.js';
import { avroFormat } from './avro/avroFormat.js';
import { checkOptions } from './checkOptions.js';
import { csvFormat } from './csv/csvFormat.js';
import { grokFormat } from './grok/grokFormat.js';
import { jsonFormat } from './json/jsonFormat.js';
import { parquetFormat } from './parquet/parquetFormat.js';
import { xmlFormat } from './xml/xmlFormat.js';

/** Every format sluice reads, in the order lists and messages show them. Adding a format: one line here. */
const FORMATS = [csvFormat, jsonFormat, parquetFormat, avroFormat, xmlFormat, grokFormat] as const;

type Defined = (typeof FORMATS)[number];
/** A format name as plans and specs hold it (aliases resolved). */
export type FormatName = Defined['name'];
/** The formats sluice writes. */
export type WritableFormat = Extract<Defined, { write: WriteDef }>['name'];

/** The definitions, in registry order. */
export const formatDefs = (): readonly FormatDef[] => FORMATS;

// Keyed in lower case: names are matched in any case (Glue's `grokLog`, `JSON`).
const byName = new Map<string, FormatDef>(FORMATS.flatMap((def) => [def.name, ...def.aliases].map((name) => [name.toLowerCase(), def] as const)));

/** Every name `format` accepts, each canonical name followed by its aliases: `csv, json, parquet, glueparquet, …`. */
export const acceptedFormatNames = (): string[] => FORMATS.flatMap((def: FormatDef) => [def.name, ...def.aliases]);

/** The definition of a format name or alias (any case); throws naming the supported ones. */
export function formatDef(format: string, where?: string): FormatDef {
  const def = typeof format === 'string' ? byName.get(format.toLowerCase()) : undefined;
  if (!def) throw new SluiceError(`${where ? `${where}: ` : ''}format '${format}' is not supported; use ${acceptedFormatNames().join(', ')}`);
  return def;
}

/** The definition of a format sluice can write; a read-only format says so. */
export function writableFormatDef(format: string, where?: string): FormatDef & { write: WriteDef } {
  const def = formatDef(format, where);
  if (!def.write) {
    throw new SluiceError(`${where ? `${where}: ` : ''}format '${format}' can be read but not written; write ${formatNames('write').join(', ')}`);
  }
  return def as FormatDef & { write: WriteDef };
}

/** The reader of a format name, as job specs and Glue's `format` option name them. */
export function readerFor(format: string): FormatReader<Record<string, unknown>> {
  return formatDef(format).read.reader as FormatReader<Record<string, unknown>>;
}

/** Throws on a read option the format does not know (see checkOptions). */
export function checkReadOptions(format: string, options: Readonly<Record<string, unknown>> | undefined, where?: string): void {
  checkOptions(options, formatDef(format, where).read.options, where);
}

/** Throws on a write option the format does not know, or when the format is not written. */
export function checkWriteOptions(format: string, options: Readonly<Record<string, unknown>> | undefined, where?: string): void {
  checkOptions(options, writableFormatDef(format, where).write.options, where);
}

/** A format and the options a file name implies (`.tsv`: CSV separated by tabs). */
export interface FormatOfName {
  format: FormatName;
  formatOptions: Record<string, unknown>;
}

/** The format a file name's ending means (`.csv`, `.csv.gz`, `.tsv`, `.jsonl`, `.parquet`, `.avro`, `.xml`…). */
export function formatOfFileName(name: string): FormatOfName | undefined {
  const endings = /(?:\.([A-Za-z0-9]+))?\.([A-Za-z0-9]+)$/.exec(name);
  if (!endings) return undefined;
  const [, before, last] = endings;
  for (const def of FORMATS as readonly FormatDef[]) {
    const ext = def.compressionExtensions.includes(last.toLowerCase()) ? before : last;
    const implied = ext === undefined ? undefined : def.extensions[ext.toLowerCase()];
    if (implied) return { format: def.name as FormatName, formatOptions: { ...implied } };
  }
  return undefined;
}

/** The format a path's extension suggests (`.csv.gz` → csv), for the CLI's show/convert. */
export function formatOfPath(path: string): string | undefined {
  return formatOfFileName(path)?.format;
}

/** Every file ending the registry knows (`csv`, `tsv`, `json`, …), for messages and docs. */
export const knownExtensions = (): string[] => FORMATS.flatMap((def) => Object.keys(def.extensions));

/** The format names a read or a write accepts, for the job-spec schema and error messages. */
export function formatNames(direction: 'read' | 'write'): string[] {
  return FORMATS.filter((def: FormatDef) => direction === 'read' || def.write !== undefined).map((def) => def.name);
}
