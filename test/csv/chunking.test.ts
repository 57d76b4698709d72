import { describe, expect, it } from 'vitest';
import { Field, Float64, Int32, Schema, TimestampMicrosecond, Utf8 } from 'apache-arrow';
import { parseCsvBytes, type CsvOptions } from '../../src/io/formats/csv/index.js';
import { chunked, collect } from './helpers.js';

const schema = new Schema([
  new Field('id', new Int32()),
  new Field('ts', new TimestampMicrosecond('UTC')),
  new Field('amount', new Float64()),
  new Field('note', new Utf8()),
]);

const text =
  '\uFEFFid,ts,amount,note\r\n' +
  '1,2024-03-05T10:11:12Z,1.25,"a, ""quoted"" note"\r\n' +
  '2,2024-03-05T10:11:12.5Z,,中文 😀 é\r\n' +
  '\r\n' +
  '3,,-7,"multi\r\nline"\r\n' +
  '4,bad,1,x\r\n' +
  '5,2024-01-01T00:00:00+05:30,2.5,\r\n' +
  '6,2024-01-01,3,"unclosed\r\n';

async function readWith(chunkSize: number, csv: CsvOptions) {
  return collect(parseCsvBytes(chunked(text, chunkSize), { file: 'c.csv', csv, read: { schema, batchSize: 2 } }));
}

describe('CSV records across chunk boundaries', () => {
  for (const multiLine of [false, true]) {
    it(`gives identical rows and errors for 1-, 7-byte and whole chunks (multiLine ${multiLine})`, async () => {
      const csv = { withHeader: true, multiLine };
      const whole = await readWith(1 << 20, csv);
      const oneByte = await readWith(1, csv);
      const sevenBytes = await readWith(7, csv);
      expect(oneByte.rows).toEqual(whole.rows);
      expect(oneByte.errors).toEqual(whole.errors);
      expect(sevenBytes.rows).toEqual(whole.rows);
      expect(sevenBytes.errors).toEqual(whole.errors);
      expect(whole.rows[0]).toEqual({ id: 1, ts: Date.UTC(2024, 2, 5, 10, 11, 12), amount: 1.25, note: 'a, "quoted" note' });
      expect(whole.rows[1].note).toBe('中文 😀 é');
      if (multiLine) {
        expect(whole.rows.map((r) => r.id)).toEqual([1, 2, 3, 5]);
        expect(whole.rows[2].note).toBe('multi\r\nline');
        expect(whole.errors.map((e) => e.line)).toEqual([7, 9]);
      } else {
        expect(whole.rows.map((r) => r.id)).toEqual([1, 2, 5]);
        expect(whole.errors.map((e) => [e.line, e.raw])).toEqual([
          [5, '3,,-7,"multi'], [6, 'line"'], [7, '4,bad,1,x'], [9, '6,2024-01-01,3,"unclosed'],
        ]);
      }
    });
  }
});

describe('CSV byte ranges (parallel splits)', () => {
  it('reads a range that starts mid-file with the header names and line number given', async () => {
    const file = 'id,note\n1,a\n2,b\n3,"x"y\n4,d\n';
    const start = file.indexOf('2,b');
    const split = await collect(parseCsvBytes(chunked(file.slice(start), 3), {
      file: 's.csv',
      csv: { withHeader: true, skipFirst: true },
      read: { schema: new Schema([new Field('note', new Utf8()), new Field('id', new Int32())]) },
      atFileStart: false,
      header: ['id', 'note'],
      firstLine: 3,
    }));
    expect(split.rows).toEqual([{ note: 'b', id: 2 }, { note: 'd', id: 4 }]);
    expect(split.errors.map((e) => [e.line, e.raw])).toEqual([[4, '3,"x"y']]);
  });

  it('asks for the header names when a mid-file range has withHeader', async () => {
    const read = collect(parseCsvBytes(chunked('1,a\n', 4), {
      file: 's.csv', csv: { withHeader: true }, read: { schema }, atFileStart: false,
    }));
    await expect(read).rejects.toThrow(/needs the header names/);
  });
});
