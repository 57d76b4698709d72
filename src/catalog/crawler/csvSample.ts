/**
 * The records of a CSV sample, parsed as a crawler reads them: one delimiter and quote, records
 * end at a line break outside quotes, at most `maxRecords`. A sample cut mid-file loses its last
 * (possibly partial) record. Small on purpose: a crawler reads at most 1,000 records of a file.
 * `consumed`: the characters of `text` the records span.
 */
export function sampleRecords(text: string, delimiter: string, quote: string, complete: boolean, maxRecords: number): { records: string[][]; consumed: number } {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let i = 0;
  const n = text.length;
  let recordOpen = false;
  let consumed = 0;
  while (i < n && records.length < maxRecords) {
    const c = text[i];
    if (inQuotes) {
      if (c === quote) {
        if (text[i + 1] === quote) {
          field += quote;
          i += 2;
          continue;
        }
        inQuotes = false;
      } else field += c;
      i++;
      continue;
    }
    if (c === quote && field === '') {
      inQuotes = true;
      recordOpen = true;
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
      recordOpen = true;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (recordOpen || field !== '') {
        fields.push(field);
        records.push(fields);
      }
      consumed = i + 1;
      fields = [];
      field = '';
      recordOpen = false;
    } else {
      field += c;
      recordOpen = true;
    }
    i++;
  }
  // The last record counts only when the file really ends there.
  if (records.length < maxRecords && complete && !inQuotes && (recordOpen || field !== '')) {
    fields.push(field);
    records.push(fields);
    consumed = n;
  }
  return { records, consumed };
}

/** The Hive type of one CSV value as Glue's CSV classifier types it; undefined for an empty value (no vote). */
export function csvValueType(value: string): 'bigint' | 'double' | 'boolean' | 'string' | undefined {
  if (value === '') return undefined;
  if (/^[+-]?\d+$/.test(value)) {
    const n = BigInt(value);
    return n >= -(2n ** 63n) && n < 2n ** 63n ? 'bigint' : 'double';
  }
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value)) return 'double';
  if (/^(true|false)$/i.test(value)) return 'boolean';
  return 'string';
}

/** The type of a column from its values' types: bigint ⊂ double, boolean alone, anything else string; no values: string. */
export function mergeCsvTypes(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined || a === b) return a;
  if ((a === 'bigint' && b === 'double') || (a === 'double' && b === 'bigint')) return 'double';
  return 'string';
}
