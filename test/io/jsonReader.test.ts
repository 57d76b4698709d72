import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Bool, DateDay, Field, Int32, Int64, Schema, TimestampMicrosecond } from 'apache-arrow';
import type { RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { jsonReader } from '../../src/io/formats/json/jsonReader.js';
import type { JsonOptions } from '../../src/io/formats/json/jsonReader.js';
import type { ErrorRecord } from '../../src/types/ErrorRecord.js';
import { decimalColumn, rowsOf } from './helpers.js';
import { tempDir } from '../support/files.js';

async function fileWith(name: string, text: string | Buffer) {
  const path = join(await tempDir('sluice-json-'), name);
  await writeFile(path, text);
  return path;
}

async function readJson(path: string, options: JsonOptions = {}, schema?: Schema, batchSize?: number) {
  const batches: RecordBatch[] = [];
  const errors: ErrorRecord[] = [];
  const readSchema = schema ?? (await jsonReader.inferSchema(path, options));
  for await (const chunk of jsonReader.read(path, options, { schema: readSchema, batchSize })) {
    batches.push(chunk.batch);
    errors.push(...chunk.errors);
  }
  return { schema: readSchema, batches, errors, rows: rowsOf(batches) };
}

const typesOf = (schema: Schema) => Object.fromEntries(schema.fields.map((field) => [field.name, String(field.type)]));

describe('json reader', () => {
  it('reads JSON lines with inferred types, nested structs and lists', async () => {
    const path = await fileWith(
      'orders.jsonl',
      [
        '{"id": 1, "big": 5000000000, "amount": 2, "ok": true, "who": {"name": "Zoë", "age": 31}, "tags": ["a"], "mixed": 1}',
        '',
        '{"id": 2, "big": 1, "amount": 2.5, "ok": null, "who": {"name": "Bo"}, "tags": [], "mixed": "x", "late": "new"}\r',
        '{"id": 3, "amount": null, "who": null, "tags": null, "mixed": {"k": [1]}}',
      ].join('\n'),
    );
    const { schema, rows, errors } = await readJson(path);
    expect(errors).toEqual([]);
    expect(typesOf(schema)).toEqual({
      id: 'Int32',
      big: 'Int64',
      amount: 'Float64',
      ok: 'Bool',
      who: 'Struct<{name:Utf8, age:Int32}>',
      tags: 'List<Utf8>',
      mixed: 'Struct<{int:Int32, string:Utf8, struct:Struct<{k:List<Int32>}>}>', // a choice (types/choice.ts)
      late: 'Utf8',
    });
    expect(rows).toEqual([
      { id: 1, big: '5000000000', amount: 2, ok: true, who: { name: 'Zoë', age: 31 }, tags: ['a'], mixed: { int: 1, string: null, struct: null }, late: null },
      { id: 2, big: '1', amount: 2.5, ok: null, who: { name: 'Bo', age: null }, tags: [], mixed: { int: null, string: 'x', struct: null }, late: 'new' },
      { id: 3, big: null, amount: null, ok: null, who: null, tags: null, mixed: { int: null, string: null, struct: { k: [1] } }, late: null },
    ]);
  });

  it('streams lines across chunk boundaries and through gzip, in batches', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ n: i, text: `é${'x'.repeat(i % 300)}` }));
    const path = await fileWith('many.jsonl.gz', gzipSync(lines.join('\n') + '\n'));
    const { batches, rows } = await readJson(path, {}, undefined, 2048);
    expect(batches.map((b) => b.numRows)).toEqual([2048, 2048, 904]);
    expect(rows[4999]).toEqual({ n: 4999, text: `é${'x'.repeat(4999 % 300)}` });
    expect(rows.map((row) => row.n)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });

  it('reads a top-level array and a nested array chosen by jsonPath', async () => {
    const array = await fileWith('array.json', '[{"a": 1}, {"a": 2, "b": [1.5]}]');
    expect((await readJson(array, { format: 'document' })).rows).toEqual([{ a: 1, b: null }, { a: 2, b: [1.5] }]);

    const nested = await fileWith('nested.json', JSON.stringify({ data: { items: [{ id: 'x' }, { id: 'y' }] }, records: [{ r: true }] }));
    expect((await readJson(nested, { jsonPath: '$.data.items[*]' })).rows).toEqual([{ id: 'x' }, { id: 'y' }]);
    expect((await readJson(nested, { jsonPath: '$.records' })).rows).toEqual([{ r: true }]);
    expect((await readJson(nested, { jsonPath: "$['data'].items" })).rows).toEqual([{ id: 'x' }, { id: 'y' }]);
  });

  it('reads a given schema: dates, timestamps, decimals, and rows that do not fit become error records', async () => {
    const path = await fileWith(
      'typed.jsonl',
      [
        '{"d": "2024-02-29", "ts": "2024-05-17T08:30:15.123456Z", "price": 12.3, "n": 7}',
        '{"d": "2024-02-30", "ts": "2024-05-17T08:30:15Z", "price": "1.5", "n": 7}',
        '{"d": null, "ts": "2024-05-17 10:30:15.5+02:00", "price": "-0.07", "n": 2147483648}',
        '{"d": null, "ts": 1, "price": 1.234, "n": 1}',
      ].join('\n'),
    );
    const price = decimalColumn([], 6, 2).type;
    const schema = new Schema([
      new Field('d', new DateDay(), true),
      new Field('ts', new TimestampMicrosecond('UTC'), true),
      new Field('price', price, true),
      new Field('n', new Int32(), true),
    ]);
    const { batches, errors } = await readJson(path, {}, schema);
    const batch = batches[0];
    expect(batch.numRows).toBe(1);
    expect(Array.from(batch.getChild('d')!.data[0].values as Int32Array)).toEqual([19782]);
    expect(Array.from(batch.getChild('ts')!.data[0].values as BigInt64Array)).toEqual([1715934615123456n]);
    expect(Array.from(batch.getChild('price')!.data[0].values as Uint32Array)).toEqual([1230, 0, 0, 0]);
    expect(errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [2, undefined, `${path}:2: d: "2024-02-30" is not a valid Date32<DAY>`],
      [3, undefined, `${path}:3: n: 2147483648 is not a valid Int32`],
      [4, undefined, `${path}:4: price: 1.234 is not a valid Decimal[6e+2]`],
    ]);
    expect(errors[0].raw).toBe('{"d": "2024-02-30", "ts": "2024-05-17T08:30:15Z", "price": "1.5", "n": 7}');
  });

  describe('malformed lines', () => {
    const text = ['{"a": 1}', '{"a": 2,,}', '{"a": "three"}', '{"a": 4'].join('\n');

    it('permissive: keeps good rows and reports file, line, column and raw text', async () => {
      const path = await fileWith('bad.jsonl', text);
      const schema = new Schema([new Field('a', new Int64(), true)]);
      const { rows, errors } = await readJson(path, {}, schema);
      expect(rows).toEqual([{ a: '1' }]);
      expect(errors).toEqual([
        { message: `${path}:2:9: malformed JSON: Expected double-quoted property name`, file: path, line: 2, column: 9, raw: '{"a": 2,,}' },
        { message: `${path}:3: a: "three" is not a valid Int64`, file: path, line: 3, column: undefined, raw: '{"a": "three"}' },
        {
          message: `${path}:4:8: malformed JSON: Expected ',' or '}' after property value`,
          file: path,
          line: 4,
          column: 8,
          raw: '{"a": 4',
        },
      ]);
    });

    it('dropMalformed: drops them silently', async () => {
      const path = await fileWith('bad.jsonl', text);
      const { rows, errors } = await readJson(path, { mode: 'dropMalformed' }, new Schema([new Field('a', new Int64(), true)]));
      expect(rows).toEqual([{ a: '1' }]);
      expect(errors).toEqual([]);
    });

    it('failFast: throws naming file:line:column', async () => {
      const path = await fileWith('bad.jsonl', text);
      await expect(readJson(path, { mode: 'failFast' }, new Schema([new Field('a', new Int64(), true)]))).rejects.toThrow(
        `${path}:2:9: malformed JSON`,
      );
    });

    it('a malformed document is one error record with its line and column', async () => {
      const path = await fileWith('bad.json', '[\n  {"a": true},\n  {"a" false}\n]');
      const { rows, errors } = await readJson(path, { format: 'document' }, new Schema([new Field('a', new Bool(), true)]));
      expect(rows).toEqual([]);
      expect(errors.map((e) => [e.line, e.column])).toEqual([[3, 8]]); // the "f" of false, where a colon was expected
    });
  });

  it('projects columns and infers conflicting nested types as a choice', async () => {
    const path = await fileWith('p.jsonl', '{"a": 1, "b": {"x": [1, "y"]}, "c": 1.5}\n{"a": 2, "b": {"x": [2]}, "c": 2}\n');
    const schema = await jsonReader.inferSchema(path, {});
    expect(typesOf(schema)).toEqual({ a: 'Int32', b: 'Struct<{x:List<Struct<{int:Int32, string:Utf8}>>}>', c: 'Float64' });
    const batches: RecordBatch[] = [];
    for await (const chunk of jsonReader.read(path, {}, { schema, columns: ['c', 'b'] })) batches.push(chunk.batch);
    expect(rowsOf(batches)).toEqual([
      { b: { x: [{ int: 1, string: null }, { int: null, string: 'y' }] }, c: 1.5 },
      { b: { x: [{ int: 2, string: null }] }, c: 2 },
    ]);
  });
});
