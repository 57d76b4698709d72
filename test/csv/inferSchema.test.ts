import { describe, expect, it } from 'vitest';
import { csvReader, inferCsvSchema } from '../../src/io/formats/csv/index.js';
import { chunked, collect, writeCsv } from './helpers.js';
import { tempDir } from '../support/files.js';

const typesOf = async (text: string, withHeader = true) => {
  const path = await writeCsv(await tempDir(), 'infer.csv', text);
  const schema = await csvReader.inferSchema(path, { withHeader });
  return Object.fromEntries(schema.fields.map((f) => [f.name, String(f.type)]));
};

describe('CSV schema inference', () => {
  it('infers each type; empty values do not vote', async () => {
    const text = [
      'i,big,f,b,d,ts,s,empty,mixed_num,mixed_time',
      '1,1,1.5,true,2024-01-02,2024-03-05T10:11:12Z,x,,1,2024-01-01',
      ',3000000000,,FALSE,,2024-03-05 10:11:12.123+01:00,,,2.5,2024-01-01T00:00:00Z',
      '-3,-2,1e3,,2000-02-29,,2,,,',
    ].join('\n');
    expect(await typesOf(text)).toEqual({
      i: 'Int32', big: 'Int64', f: 'Float64', b: 'Bool', d: 'Date32<DAY>', ts: 'Timestamp<MICROSECOND, UTC>',
      // `x` beside `2`: Glue's choice of int and string (types/choice.ts), a Struct per alternative.
      s: 'Struct<{int:Int32, string:Utf8}>', empty: 'Utf8', mixed_num: 'Float64', mixed_time: 'Timestamp<MICROSECOND, UTC>',
    });
  });

  it('impossible dates and text beside typed values make a choice; huge integers a float', async () => {
    expect(await typesOf('a,b,c\n2024-02-30,99999999999999999999999,1\n2024-01-01,1,yes\n')).toEqual({
      a: 'Struct<{date:Date32<DAY>, string:Utf8}>', b: 'Float64', c: 'Struct<{int:Int32, string:Utf8}>',
    });
    expect(await typesOf('a,b\ntrue,x\n1,y\n')).toEqual({ a: 'Utf8', b: 'Utf8' });
  });

  it('names columns col0.. without a header and dedupes header names', async () => {
    expect(await typesOf('1,x\n2,y\n', false)).toEqual({ col0: 'Int32', col1: 'Utf8' });
    expect(await typesOf('a,a,,b\n1,2,3,4\n')).toEqual({ a0: 'Int32', a1: 'Int32', _c2: 'Int32', b: 'Int32' });
  });

  it('samples only the first rows and ignores a record cut by the byte limit', async () => {
    const text = 'n\n' + '1\n'.repeat(50) + 'text\n';
    const sampled = await inferCsvSchema(chunked(text, 10), { file: 'x.csv', csv: { withHeader: true }, sampleRows: 50 });
    expect(String(sampled.fields[0].type)).toBe('Int32');
    const cut = await inferCsvSchema(chunked('n\n1\n12345678901', 4), { file: 'x.csv', csv: { withHeader: true }, sampleBytes: 4 });
    expect(String(cut.fields[0].type)).toBe('Int32');
    const all = await inferCsvSchema(chunked(text, 10), { file: 'x.csv', csv: { withHeader: true } });
    expect(String(all.fields[0].type)).toBe('Struct<{int:Int32, string:Utf8}>');
  });

  it('reads a file with the inferred schema', async () => {
    const path = await writeCsv(await tempDir(), 'r.csv', 'id,when,ok\n1,2024-03-05T10:11:12.000001Z,true\n2,,false\n');
    const schema = await csvReader.inferSchema(path, { withHeader: true });
    const read = await collect(csvReader.read(path, { withHeader: true }, { schema }));
    expect(read.rows).toEqual([
      { id: 1, when: Date.UTC(2024, 2, 5, 10, 11, 12) + 0.001, ok: true },
      { id: 2, when: null, ok: false },
    ]);
  });
});
