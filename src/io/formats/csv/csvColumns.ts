import { Schema, type Field } from 'apache-arrow';
import { SluiceError } from '../../../types/ErrorRecord.js';
import type { CsvScanner } from './CsvScanner.js';

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
 * Column names from a header record: empty names become col<i> and repeated names get their
 * position appended (as Spark does), so every name is unique.
 */
export function headerNames(scanner: CsvScanner, record: number): string[] {
  const base = scanner.recordFieldBase[record];
  const names: string[] = [];
  for (let i = 0; i < scanner.recordFieldCount[record]; i++) {
    const name = scanner.fieldText(base + i).trim();
    names.push(name === '' ? `col${i}` : name);
  }
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return names.map((name, i) => ((counts.get(name) ?? 0) > 1 ? `${name}${i}` : name));
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
    const unknown = columns.filter((name) => !schema.fields.some((f) => f.name === name));
    if (unknown.length > 0) {
      throw new SluiceError(
        `${file}: projected column(s) ${unknown.join(', ')} not in the schema (${schema.fields.map((f) => f.name).join(', ')})`,
      );
    }
  }
  const wanted = new Set(columns ?? schema.fields.map((f) => f.name));
  const fields: Field[] = [];
  const sources: number[] = [];
  schema.fields.forEach((field, position) => {
    if (!wanted.has(field.name)) return;
    const source = header ? header.indexOf(field.name) : position;
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
