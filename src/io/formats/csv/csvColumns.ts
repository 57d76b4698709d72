import { Schema, type Field } from 'apache-arrow';
import { SluiceError } from '../../../types/ErrorRecord.js';
import { RECORD_TEXT_AFTER_QUOTE, RECORD_UNCLOSED_QUOTE, type CsvScanner } from './CsvScanner.js';

/** How the fields of a CSV record map onto the produced columns. */
export interface CsvColumnPlan {
  /** Fields every record must have. */
  expectedFields: number;
  /** The produced schema: the read schema, projected. */
  schema: Schema;
  /** For each produced column, the index of its field in a record. */
  sources: number[];
}

/**
 * Column names from a header record, as Spark names them: an empty name becomes `_c<i>` (its
 * 0-based position) and names that repeat (case-insensitively, Spark's default) get their
 * position appended (`id,name,ID` → `id0,name,ID2`). A name still repeated after that
 * (`a,a,a1`) is an error that names the columns.
 */
export function headerNames(scanner: CsvScanner, record: number, file?: string): string[] {
  const base = scanner.recordFieldBase[record];
  const names: string[] = [];
  for (let i = 0; i < scanner.recordFieldCount[record]; i++) {
    const name = scanner.fieldText(base + i).trim();
    names.push(name === '' ? `_c${i}` : name);
  }
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name.toLowerCase(), (counts.get(name.toLowerCase()) ?? 0) + 1);
  const renamed = names.map((name, i) => ((counts.get(name.toLowerCase()) ?? 0) > 1 ? `${name}${i}` : name));
  const seen = new Map<string, number>();
  renamed.forEach((name, i) => {
    const first = seen.get(name.toLowerCase());
    if (first !== undefined) {
      throw new SluiceError(
        `${file === undefined ? 'line ' : `${file}:`}${scanner.recordLine[record]}: the header names columns ${first + 1} and ${i + 1} both '${name}' ` +
          'once repeated names get their position appended; rename them, or read with withHeader: false',
        file === undefined ? {} : { file },
      );
    }
    seen.set(name.toLowerCase(), i);
  });
  return renamed;
}

/** What is wrong with a header record's syntax, or undefined when it is well-formed. */
export function csvHeaderProblem(scanner: CsvScanner, record: number, multiLine: boolean): string | undefined {
  const status = scanner.recordStatus[record];
  if (status === RECORD_UNCLOSED_QUOTE) {
    return multiLine ? 'a quote opens and the input ends inside it' : 'a quote opens and the line ends inside it';
  }
  if (status === RECORD_TEXT_AFTER_QUOTE) {
    return `field ${scanner.recordFieldCount[record]} has text after its closing quote`;
  }
  return undefined;
}

/** Glue's names for the columns of a file without a header. */
export const positionalNames = (count: number): string[] => Array.from({ length: count }, (_, i) => `col${i}`);

/**
 * Matches the read schema to the file: by name against the header when there is one, else by
 * position. `columns` projects the schema (kept in schema order).
 */
export function planCsvColumns(
  file: string,
  schema: Schema,
  columns: string[] | undefined,
  header: string[] | undefined,
): CsvColumnPlan {
  if (columns) {
    const names = new Set(schema.fields.map((f) => f.name));
    const unknown = columns.filter((name) => !names.has(name));
    if (unknown.length > 0) {
      throw new SluiceError(
        `${file}: projected column(s) ${unknown.join(', ')} not in the schema (${schema.fields.map((f) => f.name).join(', ')})`,
      );
    }
  }
  const wanted = new Set(columns ?? schema.fields.map((f) => f.name));
  const fields: Field[] = [];
  const sources: number[] = [];
  // Header positions by name (the first of a repeated name, as indexOf): linear for wide files.
  const inHeader = new Map<string, number>();
  header?.forEach((name, i) => inHeader.has(name) || inHeader.set(name, i));
  schema.fields.forEach((field, position) => {
    if (!wanted.has(field.name)) return;
    const source = header ? inHeader.get(field.name) ?? -1 : position;
    if (source < 0) {
      throw new SluiceError(
        `${file}: column ${field.name} of the schema is not in the header (${header?.join(', ')}); ` +
          'fix the schema or read with withHeader: false to match columns by position',
        { file },
      );
    }
    fields.push(field);
    sources.push(source);
  });
  return {
    expectedFields: header ? header.length : schema.fields.length,
    schema: new Schema(fields, schema.metadata),
    sources,
  };
}
