import { SluiceError } from '../../src/types/ErrorRecord.js';

/** How Unbox reads a string: Glue's `format` and its options. */
export interface UnboxFormat {
  format: 'json' | 'csv';
  /** CSV: the field separator (default `,`). */
  separator?: string;
  /** CSV: each value is a header line, then the record line; without it fields are col0, col1, … */
  withHeader?: boolean;
}

/** One value parsed, or why it could not be. */
export type Parsed = { value: unknown } | { error: string };

/** Parses one string value as Glue's unbox would. */
export function parseBoxed(text: string, options: UnboxFormat): Parsed {
  if (options.format === 'json') {
    try {
      return { value: JSON.parse(text) };
    } catch (e) {
      return { error: `not valid JSON: ${(e as Error).message}` };
    }
  }
  return parseCsvValue(text, options.separator ?? ',', options.withHeader === true);
}

function parseCsvValue(text: string, separator: string, withHeader: boolean): Parsed {
  const lines = text.split(/\r?\n/).filter((l) => l !== '');
  if (lines.length !== (withHeader ? 2 : 1)) {
    return { error: withHeader ? `expected a header line and one record line, got ${lines.length} line(s)` : `expected one CSV line, got ${lines.length}` };
  }
  const record = splitCsvLine(lines[lines.length - 1], separator);
  if (typeof record === 'string') return { error: record };
  const names = withHeader ? splitCsvLine(lines[0], separator) : record.map((_v, i) => `col${i}`);
  if (typeof names === 'string') return { error: `header: ${names}` };
  if (names.length !== record.length) return { error: `the header has ${names.length} fields and the record ${record.length}` };
  const value: Record<string, unknown> = {};
  names.forEach((name, i) => Object.defineProperty(value, name, { value: csvScalar(record[i]), enumerable: true }));
  return { value };
}

/** Fields of one CSV line; `"` quotes a field, `""` inside quotes is a quote. A string is an error. */
function splitCsvLine(line: string, separator: string): string[] | string {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return 'unclosed quote';
        if (line[i] === '"' && line[i + 1] === '"') (field += '"'), (i += 2);
        else if (line[i] === '"') break;
        else field += line[i++];
      }
      i++;
      if (i < line.length && !line.startsWith(separator, i)) return `text after a closing quote at character ${i + 1}`;
    } else {
      const end = line.indexOf(separator, i);
      field = line.slice(i, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i += separator.length;
  }
}

/** A CSV field as the JSON inference sees it: empty is null, numbers and booleans are typed. */
function csvScalar(text: string): unknown {
  if (text === '') return null;
  if (/^-?\d+$/.test(text)) {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : text;
  }
  if (/^-?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

export function checkUnboxFormat(options: UnboxFormat): void {
  if (options.format !== 'json' && options.format !== 'csv') {
    throw new SluiceError(`Unbox format must be 'json' or 'csv', got ${JSON.stringify(options.format)}`);
  }
  if (options.format === 'json' && (options.separator !== undefined || options.withHeader !== undefined)) {
    throw new SluiceError(`Unbox options separator and withHeader apply to format 'csv', not 'json'`);
  }
  if (options.separator !== undefined && (typeof options.separator !== 'string' || options.separator === '' || options.separator.includes('"'))) {
    throw new SluiceError(`Unbox separator must be a non-empty string without '"', got ${JSON.stringify(options.separator)}`);
  }
}
