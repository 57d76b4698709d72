import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Bool, DateDay, Dictionary, Field, Float64, Int32, Int64, List, Struct, TimestampMicrosecond, TimestampMillisecond, Utf8 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { csvWriter } from '../../src/io/formats/text/csvWriter.js';
import { jsonWriter } from '../../src/io/formats/text/jsonWriter.js';
import { batchOf, column, decimalColumn, rawColumn, streamOf } from './helpers.js';
import { tempDir } from '../support/files.js';

const ms = Date.UTC(2024, 4, 17, 8, 30, 15, 123);

function sample() {
  return batchOf({
    id: column([1, null, 3], new Int32()),
    big: column([9007199254740993n, -2n, null], new Int64()),
    x: column([0.5, NaN, null], new Float64()),
    ok: column([true, false, null], new Bool()),
    text: column(['plain', 'has,comma "quoted"\nnewline', ''], new Utf8()),
    status: column(['open', null, 'open'], new Dictionary(new Utf8(), new Int32())),
    day: column([new Date(Date.UTC(2024, 0, 5)), null, new Date(Date.UTC(1969, 11, 31))], new DateDay()),
    ts: column([ms, null, 0], new TimestampMillisecond('UTC')),
    tsu: rawColumn([BigInt(ms) * 1000n + 7n, null, -1n], new TimestampMicrosecond('UTC')),
    price: decimalColumn([12345n, -5n, null], 10, 3),
    who: column([{ n: 'a', k: 1 }, null, { n: null, k: 2 }], new Struct([new Field('n', new Utf8(), true), new Field('k', new Int32(), true)])),
    tags: column([['a', null], [], null], new List(new Field('item', new Utf8(), true))),
  });
}

describe('csv writer', () => {
  it('writes a header, quotes only when needed, nulls as empty fields', async () => {
    const path = join(await tempDir(), 'out.csv');
    const result = await csvWriter.write(streamOf(sample(), sample().slice(0, 1)), path, {});
    const text = await readFile(path, 'utf8');
    expect(text).toBe(
      'id,big,x,ok,text,status,day,ts,tsu,price,who,tags\n' +
        '1,9007199254740993,0.5,true,plain,open,2024-01-05,2024-05-17T08:30:15.123Z,2024-05-17T08:30:15.123007Z,12.345,"{""n"":""a"",""k"":1}","[""a"",null]"\n' +
        ',-2,NaN,false,"has,comma ""quoted""\nnewline",,,,,-0.005,,[]\n' +
        '3,,,,"",open,1969-12-31,1970-01-01T00:00:00.000Z,1969-12-31T23:59:59.999999Z,,"{""n"":null,""k"":2}",\n' +
        '1,9007199254740993,0.5,true,plain,open,2024-01-05,2024-05-17T08:30:15.123Z,2024-05-17T08:30:15.123007Z,12.345,"{""n"":""a"",""k"":1}","[""a"",null]"\n',
    );
    expect(result).toEqual({ rows: 4, bytes: Buffer.byteLength(text), files: [path] });
  });

  it('honours separator, quoteChar, no header, and gzips .gz paths', async () => {
    const path = join(await tempDir(), 'out.csv.gz');
    const batch = batchOf({ a: column(['x;y', "it's", 'z'], new Utf8()), b: column([1, 2, null], new Int32()) });
    await csvWriter.write(streamOf(batch), path, { separator: ';', quoteChar: "'", header: false });
    expect(gunzipSync(await readFile(path)).toString('utf8')).toBe("'x;y';1\n'it''s';2\nz;\n");
  });
});

describe('json-lines writer', () => {
  it('writes proper JSON types', async () => {
    const path = join(await tempDir(), 'out.json');
    await jsonWriter.write(streamOf(sample()), path, {});
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines).toEqual([
      '{"id":1,"big":9007199254740993,"x":0.5,"ok":true,"text":"plain","status":"open","day":"2024-01-05","ts":"2024-05-17T08:30:15.123Z","tsu":"2024-05-17T08:30:15.123007Z","price":12.345,"who":{"n":"a","k":1},"tags":["a",null]}',
      '{"id":null,"big":-2,"x":null,"ok":false,"text":"has,comma \\"quoted\\"\\nnewline","status":null,"day":null,"ts":null,"tsu":null,"price":-0.005,"who":null,"tags":[]}',
      '{"id":3,"big":null,"x":null,"ok":null,"text":"","status":"open","day":"1969-12-31","ts":"1970-01-01T00:00:00.000Z","tsu":"1969-12-31T23:59:59.999999Z","price":null,"who":{"n":null,"k":2},"tags":null}',
      '',
    ]);
    for (const line of lines.slice(0, 3)) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('leaves out null fields when asked', async () => {
    const path = join(await tempDir(), 'out.json');
    await jsonWriter.write(streamOf(batchOf({ a: column([1, null], new Int32()), b: column([null, 'x'], new Utf8()) })), path, { ignoreNullFields: true });
    expect(await readFile(path, 'utf8')).toBe('{"a":1}\n{"b":"x"}\n');
  });
});
