import { describe, expect, it } from 'vitest';
import { Bool, DateDay, Decimal, Field, Float32, Float64, Int32, Int64, Schema, TimestampMicrosecond, TimestampMillisecond, Utf8 } from 'apache-arrow';
import { csvReader } from '../../src/io/formats/csv/index.js';
import type { CsvOptions } from '../../src/io/formats/csv/index.js';
import { SluiceError } from '../../src/types/ErrorRecord.js';
import { collect, positionalUtf8, utf8Schema, writeCsv } from './helpers.js';
import { tempDir } from '../support/files.js';

async function readText(text: string, csv: CsvOptions, schema: Schema, name = 'data.csv', columns?: string[]) {
  const path = await writeCsv(await tempDir(), name, text);
  return collect(csvReader.read(path, csv, { schema, columns }));
}

describe('CSV options', () => {
  it('splits on ; and tab separators', async () => {
    const semi = await readText('a;b\n1;x,y\n', { separator: ';', withHeader: true }, utf8Schema(['a', 'b']));
    expect(semi.rows).toEqual([{ a: '1', b: 'x,y' }]);
    const tab = await readText('a\tb\n1\t"x\ty"\n', { separator: '\t', withHeader: true }, utf8Schema(['a', 'b']));
    expect(tab.rows).toEqual([{ a: '1', b: 'x\ty' }]);
  });

  it('reads quotes literally with quoteChar -1', async () => {
    const read = await readText('"a,b",c\n', { quoteChar: -1 }, positionalUtf8(3));
    expect(read.rows).toEqual([{ col0: '"a', col1: 'b"', col2: 'c' }]);
  });

  it('honours another quote character', async () => {
    const read = await readText("'a,b',c\n", { quoteChar: "'" }, positionalUtf8(2));
    expect(read.rows).toEqual([{ col0: 'a,b', col1: 'c' }]);
  });

  it('unescapes with an escaper inside and outside quotes, translating \\n and \\t', async () => {
    const text = '"say \\"hi\\"",a\\,b,x\\ny\\tz\\\\\n';
    const read = await readText(text, { escaper: '\\' }, positionalUtf8(3));
    expect(read.rows).toEqual([{ col0: 'say "hi"', col1: 'a,b', col2: 'x\ny\tz\\' }]);
  });

  it('names columns col0.. without a header and reads the first line as data', async () => {
    const read = await readText('id,name\n1,ann\n', {}, positionalUtf8(2));
    expect(read.rows).toEqual([{ col0: 'id', col1: 'name' }, { col0: '1', col1: 'ann' }]);
  });

  it('matches a given schema to header columns by name, not position', async () => {
    const schema = new Schema([new Field('amount', new Float64()), new Field('id', new Int32())]);
    const read = await readText('id,name,amount\n1,ann,2.5\n2,bob,\n', { withHeader: true }, schema);
    expect(read.rows).toEqual([{ amount: 2.5, id: 1 }, { amount: null, id: 2 }]);
  });

  it('fails clearly when a schema column is missing from the header', async () => {
    const schema = new Schema([new Field('missing', new Int32())]);
    await expect(readText('id,name\n1,a\n', { withHeader: true }, schema)).rejects.toThrow(
      /column missing of the schema is not in the header \(id, name\)/,
    );
  });

  it('skipFirst skips the first record, or the first after the header', async () => {
    const plain = await readText('junk line\nx\ny\n', { skipFirst: true }, positionalUtf8(1));
    expect(plain.rows).toEqual([{ col0: 'x' }, { col0: 'y' }]);
    const withHeader = await readText('h\nskipped\nkept\n', { withHeader: true, skipFirst: true }, utf8Schema(['h']));
    expect(withHeader.rows).toEqual([{ h: 'kept' }]);
  });

  it('drops a UTF-8 BOM and handles CRLF line ends, blank lines and a missing final newline', async () => {
    const read = await readText('\uFEFFa,b\r\n1,"x\r\ny"\r\n\r\n2,\r\n3,z', { withHeader: true, multiLine: true }, utf8Schema(['a', 'b']));
    expect(read.rows).toEqual([{ a: '1', b: 'x\r\ny' }, { a: '2', b: null }, { a: '3', b: 'z' }]);
  });

  it('reads an unquoted empty field as null and a quoted empty one as the empty string', async () => {
    const read = await readText('a,b,c\n,"",x\n', { withHeader: true }, utf8Schema(['a', 'b', 'c']));
    expect(read.rows).toEqual([{ a: null, b: '', c: 'x' }]);
  });

  it('reads a gzip file by its extension', async () => {
    const read = await readText('id,name\n1,é\n2,中\n', { withHeader: true }, utf8Schema(['id', 'name']), 'data.csv.gz');
    expect(read.rows).toEqual([{ id: '1', name: 'é' }, { id: '2', name: '中' }]);
  });

  it('projects columns in schema order', async () => {
    const schema = new Schema([new Field('a', new Int32()), new Field('b', new Utf8()), new Field('c', new Float64())]);
    const read = await readText('a,b,c\n1,x,2.5\n2,y,oops\n', { withHeader: true }, schema, 'p.csv', ['c', 'a']);
    expect(read.schema?.fields.map((f) => f.name)).toEqual(['a', 'c']);
    expect(read.rows[0]).toEqual({ a: 1, c: 2.5 });
    // Column b is not read, but c is: its bad value is still an error record.
    expect(read.rows).toHaveLength(1);
    expect(read.errors.map((e) => e.message)).toEqual([`${read.errors[0].file}:3: column c: cannot parse 'oops' as float64`]);
    await expect(readText('a\n1\n', { withHeader: true }, schema, 'q.csv', ['nope'])).rejects.toThrow(/projected column\(s\) nope/);
  });

  it('builds every supported type from a given schema', async () => {
    const schema = new Schema([
      new Field('i', new Int32()), new Field('l', new Int64()), new Field('f', new Float64()),
      new Field('b', new Bool()), new Field('d', new DateDay()), new Field('ts', new TimestampMicrosecond('UTC')),
      new Field('ms', new TimestampMillisecond('UTC')), new Field('dec', new Decimal(2, 10, 128)),
    ]);
    const text = 'i,l,f,b,d,ts,ms,dec\n' +
      '-7, 9007199254740993 ,1e-3,TRUE,2024-02-29,2024-03-05T10:11:12.5+02:00,1969-12-31T23:59:59.999Z,-12.345\n' +
      ',,,,,,,\n';
    const read = await readText(text, { withHeader: true }, schema);
    expect(read.errors).toEqual([]);
    const [first, second] = read.rows;
    expect(first.i).toBe(-7);
    expect(first.l).toBe(9007199254740993n);
    expect(first.f).toBe(0.001);
    expect(first.b).toBe(true);
    expect(first.d).toBe(Date.UTC(2024, 1, 29));
    expect(first.ts).toBe(Date.UTC(2024, 2, 5, 8, 11, 12, 500));
    expect(first.ms).toBe(-1);
    expect(String(first.dec)).toBe('-1235'); // rounded half-up to scale 2: -12.35 unscaled
    expect(read.rows).toHaveLength(2);
    expect(second).toEqual({ i: null, l: null, f: null, b: null, d: null, ts: null, ms: null, dec: null });
  });

  it('rejects bad options and unsupported types with SluiceError', async () => {
    await expect(readText('a\n', { separator: ';;' }, positionalUtf8(1))).rejects.toThrow(SluiceError);
    await expect(readText('a\n', { quoteChar: ',' }, positionalUtf8(1))).rejects.toThrow(/must differ from the separator/);
    const float32 = new Schema([new Field('x', new Float32())]);
    await expect(readText('1\n', {}, float32)).rejects.toThrow(/cannot produce column x of type Float32/);
  });
});
