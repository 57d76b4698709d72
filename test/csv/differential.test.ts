import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { parseCsvBytes } from '../../src/io/formats/csv/index.js';
import { chunked, collect, positionalUtf8, seededRandom } from './helpers.js';

/** One generated file: its text and the cells it was written from (null = unquoted empty). */
interface GeneratedCsv {
  text: string;
  separator: string;
  multiLine: boolean;
  cells: (string | null)[][];
}

const PIECES = ['a', 'b', 'xyz', ' ', 'é', '中', '文', '😀', '1', '-2.5', '"', '""', 'q"uote', ',', ';', '\t', '|'];
const SEPARATORS = [',', ';', '\t', '|'];

function generateCsv(random: () => number): GeneratedCsv {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const separator = pick(SEPARATORS);
  const multiLine = random() < 0.5;
  const lineBreak = random() < 0.5 ? '\r\n' : '\n';
  const columns = 1 + Math.floor(random() * 6);
  const rowCount = Math.floor(random() * 25);
  const cells: (string | null)[][] = [];
  const lines: string[] = [];
  for (let r = 0; r < rowCount; r++) {
    const row: (string | null)[] = [];
    const written: string[] = [];
    for (let c = 0; c < columns; c++) {
      const kind = random();
      if (kind < 0.15 && columns > 1) {
        row.push(null); // unquoted empty
        written.push('');
        continue;
      }
      if (kind < 0.22) {
        row.push(''); // quoted empty
        written.push('""');
        continue;
      }
      let value = '';
      const length = 1 + Math.floor(random() * 6);
      for (let i = 0; i < length; i++) value += pick(PIECES);
      if (multiLine && random() < 0.2) value += pick(['\n', '\r\n', '\nnext line']);
      const needsQuotes = /["\r\n]/.test(value) || value.includes(separator);
      row.push(value);
      written.push(needsQuotes || random() < 0.2 ? `"${value.replaceAll('"', '""')}"` : value);
    }
    cells.push(row);
    lines.push(written.join(separator));
  }
  const trailing = random() < 0.7 ? lineBreak : '';
  return { text: lines.join(lineBreak) + (lines.length > 0 ? trailing : ''), separator, multiLine, cells };
}

describe('CSV differential test against csv-parse', () => {
  it('reads every cell of 400 random files as csv-parse does, in random chunk sizes', async () => {
    const random = seededRandom(20240501);
    for (let fileIndex = 0; fileIndex < 400; fileIndex++) {
      const csv = generateCsv(random);
      const width = csv.cells[0]?.length ?? 1;
      const expected = parse(csv.text, {
        delimiter: csv.separator,
        skip_empty_lines: true,
        relax_quotes: false,
      }) as string[][];
      const chunkSize = (): number => 1 + Math.floor(random() * 40);
      const read = await collect(parseCsvBytes(chunked(csv.text, chunkSize), {
        file: `random${fileIndex}.csv`,
        csv: { separator: csv.separator, multiLine: csv.multiLine },
        read: { schema: positionalUtf8(width), batchSize: 1 + Math.floor(random() * 10) },
      }));
      const context = `file ${fileIndex}: ${JSON.stringify(csv.text)}`;
      expect(read.errors, context).toEqual([]);
      const actual = read.rows.map((row) => Array.from({ length: width }, (_, c) => row[`col${c}`] as string | null));
      // sluice keeps what csv-parse cannot say: an unquoted empty field is null, "" is ''.
      expect(actual, context).toEqual(csv.cells);
      expect(actual.map((row) => row.map((cell) => cell ?? '')), context).toEqual(expected);
    }
  });
});
