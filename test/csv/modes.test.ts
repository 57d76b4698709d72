import { describe, expect, it } from 'vitest';
import { Field, Float64, Int32, Schema, Utf8 } from 'apache-arrow';
import { csvReader, type CsvMode } from '../../src/io/formats/csv/index.js';
import { SluiceError } from '../../src/types/ErrorRecord.js';
import { collect, writeCsv } from './helpers.js';
import { tempDir } from '../support/files.js';

const schema = new Schema([
  new Field('id', new Int32()),
  new Field('amount', new Float64()),
  new Field('note', new Utf8()),
]);

// Line 1 header; 2 good; 3 bad float; 4 too few fields; 5 good (quoted multi-line? no: one line);
// 6 unclosed quote; 7 good; 8 text after a closing quote; 9 bad int; blank line 10; 11 good.
const text = [
  'id,amount,note',
  '1,1.5,first',
  '2,abc,bad amount',
  '3,2.5',
  '4,,"quoted, fine"',
  '5,3.5,"never closed',
  '6,4.5,ok',
  '7,5.5,"closed"trailing',
  'x8,6.5,bad id',
  '',
  '9,7.5,last',
].join('\n') + '\n';

async function readIn(mode: CsvMode, batchSize?: number) {
  const dir = await tempDir();
  const path = await writeCsv(dir, 'orders.csv', text);
  return { path, read: await collect(csvReader.read(path, { withHeader: true, mode }, { schema, batchSize })) };
}

describe('CSV malformed rows', () => {
  it('permissive: error records with file, line, column and raw text; the rows are left out', async () => {
    const { path, read } = await readIn('permissive');
    expect(read.rows).toEqual([
      { id: 1, amount: 1.5, note: 'first' },
      { id: 4, amount: null, note: 'quoted, fine' },
      { id: 6, amount: 4.5, note: 'ok' },
      { id: 9, amount: 7.5, note: 'last' },
    ]);
    expect(read.errors).toEqual([
      { file: path, line: 3, column: 2, raw: '2,abc,bad amount', message: `${path}:3: column amount: cannot parse 'abc' as float64` },
      { file: path, line: 4, raw: '3,2.5', message: `${path}:4: expected 3 fields, found 2` },
      {
        file: path, line: 6, raw: '5,3.5,"never closed',
        message: `${path}:6: unclosed quote: the line ended inside a quoted field (set multiLine: true if quoted fields contain line breaks)`,
      },
      { file: path, line: 8, column: 3, raw: '7,5.5,"closed"trailing', message: `${path}:8: field 3: unexpected text after a closing quote` },
      { file: path, line: 9, column: 1, raw: 'x8,6.5,bad id', message: `${path}:9: column id: cannot parse 'x8' as int32` },
    ]);
    expect(read.dropped).toBe(0);
  });

  it('permissive gives the same rows and errors whatever the batch size', async () => {
    const whole = (await readIn('permissive')).read;
    const small = (await readIn('permissive', 1)).read;
    expect(small.rows).toEqual(whole.rows);
    const where = (e: { line?: number; column?: number; raw?: string }) => [e.line, e.column, e.raw];
    expect(small.errors.map(where)).toEqual(whole.errors.map(where));
    expect(small.errors).toHaveLength(5);
    expect(small.batchSizes.filter((n) => n > 0)).toEqual(whole.rows.map(() => 1));
  });

  it('dropMalformed: drops the rows silently but counts them', async () => {
    const { read } = await readIn('dropMalformed');
    expect(read.rows.map((r) => r.id)).toEqual([1, 4, 6, 9]);
    expect(read.errors).toEqual([]);
    expect(read.dropped).toBe(5);
  });

  it('failFast: throws a SluiceError naming the first bad line', async () => {
    const dir = await tempDir();
    const file = await writeCsv(dir, 'orders.csv', text);
    const failure = await collect(csvReader.read(file, { withHeader: true, mode: 'failFast' }, { schema })).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SluiceError);
    expect((failure as SluiceError).message).toBe(`${file}:3: column amount: cannot parse 'abc' as float64 (mode failFast)`);
    expect((failure as SluiceError).details).toMatchObject({ file, line: 3, column: 2, raw: '2,abc,bad amount' });
  });

  it('numbers lines physically across multi-line records', async () => {
    const dir = await tempDir();
    const file = await writeCsv(dir, 'm.csv', 'a,b\n1,"two\nlines"\n\n2,"x"y\n3,"open\n');
    const read = await collect(csvReader.read(file, { withHeader: true, multiLine: true }, {
      schema: new Schema([new Field('a', new Int32()), new Field('b', new Utf8())]),
    }));
    expect(read.rows).toEqual([{ a: 1, b: 'two\nlines' }]);
    expect(read.errors.map((e) => [e.line, e.raw])).toEqual([[5, '2,"x"y'], [6, '3,"open\n']]);
    expect(read.errors[1].message).toBe(`${file}:6: unclosed quote: the input ended inside a quoted field`);
  });
});
