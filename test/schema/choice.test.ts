import { readFile, readdir, writeFile } from 'node:fs/promises';
import { duck } from '../support/duck.js';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/index.js';
import { typeName } from '../../src/types/typeNames.js';
import { tempDir } from '../support/files.js';
import { PARALLEL, rowsOf } from '../parallel/helpers.js';
import { runCliInProcess } from '../support/cli.js';

const types = async (df: { schema(): Promise<import('apache-arrow').Schema> }) =>
  Object.fromEntries((await df.schema()).fields.map((f) => [f.name, typeName(f.type)]));

describe('choice types', () => {
  it('JSON: a number in one file and a string or a struct in another is a choice, each value in its own type', async () => {
    const dir = await tempDir('sluice-choice-');
    await writeFile(join(dir, 'a.json'), '{"id": 1, "v": 2, "w": 1}\n{"id": 2, "v": 3, "w": 2}\n');
    await writeFile(join(dir, 'b.json'), '{"id": 3, "v": "x", "w": {"k": "z"}}\n{"id": 4, "v": null, "w": null}\n');
    const df = read.json(dir);
    expect(await types(df)).toEqual({ id: 'int32', v: 'choice<int32,string>', w: 'choice<int32,struct<k:string>>' });
    expect(await df.toRows()).toEqual([
      { id: 1, v: { int: 2, string: null }, w: { int: 1, struct: null } },
      { id: 2, v: { int: 3, string: null }, w: { int: 2, struct: null } },
      { id: 3, v: { int: null, string: 'x' }, w: { int: null, struct: { k: 'z' } } },
      { id: 4, v: null, w: null },
    ]);
  });
});

/** A Medicare-like CSV: `Provider Id` numbers for `rows` rows, then a few names after the sampled head. */
async function providersCsv(rows = 12_000, names = ['BOB SMITH', 'ALICE JONES']) {
  const dir = await tempDir('sluice-choice-csv-');
  const lines = ['Provider Id,City'];
  for (let i = 1; i <= rows; i++) lines.push(`${10000 + i},C${i % 7}`);
  for (const name of names) lines.push(`${name},Z`);
  await writeFile(join(dir, 'providers.csv'), lines.join('\n') + '\n');
  return { dir, file: join(dir, 'providers.csv'), rows: rows + names.length };
}

describe('misfits after the sampled rows', () => {
  it('CSV: names after the sample make the numbers column a choice; no row becomes an error', async () => {
    const { file, rows } = await providersCsv();
    const df = read.csv(file, { withHeader: true });
    const { table, errors } = await df.collect({ parallel: false });
    expect(errors).toEqual([]);
    expect(table.numRows).toBe(rows);
    expect(typeName(table.schema.fields[0].type)).toBe('choice<int32,string>');
    const all = await df.toRows();
    expect(all[0]).toEqual({ 'Provider Id': { int: 10001, string: null }, City: 'C1' });
    expect(all.slice(-2)).toEqual([
      { 'Provider Id': { int: null, string: 'BOB SMITH' }, City: 'Z' },
      { 'Provider Id': { int: null, string: 'ALICE JONES' }, City: 'Z' },
    ]);
  });

  it('CSV: ResolveChoice cast:long gives nulls for the names, every row kept (the Medicare port)', async () => {
    const { file, rows } = await providersCsv();
    const fixed = read.csv(file, { withHeader: true }).resolveChoice({ specs: [['Provider Id', 'cast:long']] });
    const { table, errors } = await fixed.collect({ parallel: false });
    expect(errors).toEqual([]);
    expect(table.numRows).toBe(rows);
    expect(typeName(table.schema.fields[0].type)).toBe('int64');
    const ids = (await rowsOf(table)).map((r) => r['Provider Id']);
    expect(ids.slice(0, 2)).toEqual([10001, 10002]);
    expect(ids.slice(-3)).toEqual([22000, null, null]);
    expect(ids.filter((id) => id === null)).toHaveLength(2);
  });

  it('CSV: a parallel run widens as the inline run does, and gives the same rows', async () => {
    const first = await providersCsv(12_000, ['X1', '4.5', '3000000000']);
    const parallel = await read.csv(first.file, { withHeader: true }).collect(PARALLEL);
    const second = await providersCsv(12_000, ['X1', '4.5', '3000000000']);
    const inline = await read.csv(second.file, { withHeader: true }).collect({ parallel: false });
    expect(parallel.errors).toEqual([]);
    expect(typeName(parallel.table.schema.fields[0].type)).toBe('choice<float64,string>');
    expect(typeName(inline.table.schema.fields[0].type)).toBe('choice<float64,string>');
    expect(await rowsOf(parallel.table)).toEqual(await rowsOf(inline.table));
    expect((await rowsOf(inline.table)).slice(-3).map((r) => r['Provider Id'])).toEqual([
      { double: null, string: 'X1' }, { double: 4.5, string: null }, { double: 3000000000, string: null },
    ]);
  });

  it('JSON: numbers past the sample widen int32 → int64 → float64, a string makes a choice', async () => {
    const dir = await tempDir('sluice-choice-json-');
    const lines = ['{"a": 1, "b": 1}', '{"a": 2, "b": 2}', '{"a": 3000000000, "b": 2.5}', '{"a": 4, "b": "x"}'];
    await writeFile(join(dir, 'in.jsonl'), lines.join('\n') + '\n');
    const { table, errors } = await read.json(join(dir, 'in.jsonl'), { samplingRows: 2 }).collect({ parallel: false });
    expect(errors).toEqual([]);
    expect(Object.fromEntries(table.schema.fields.map((f) => [f.name, typeName(f.type)]))).toEqual({ a: 'int64', b: 'choice<float64,string>' });
    expect(await rowsOf(table)).toEqual([
      { a: 1, b: { double: 1, string: null } },
      { a: 2, b: { double: 2, string: null } },
      { a: 3000000000, b: { double: 2.5, string: null } },
      { a: 4, b: { double: null, string: 'x' } },
    ]);
  });

  it('ApplyMapping from a choice column says to resolve it first', async () => {
    const { file } = await providersCsv(10);
    const mapped = read.csv(file, { withHeader: true }).applyMapping([['Provider Id', 'string', 'id', 'long']]);
    await expect(mapped.toRows()).rejects.toThrow(/cannot cast choice<int32,string> to int64; resolve the choice first, e.g. ResolveChoice cast:long/);
  });

  it('a declared schema still makes misfits error records', async () => {
    const { file, rows } = await providersCsv(100);
    const { table, errors } = await read.csv(file, { withHeader: true, schema: { 'Provider Id': 'int32', City: 'string' } }).collect({ parallel: false });
    expect(table.numRows).toBe(rows - 2);
    expect(errors.map((e) => e.message)).toEqual([
      `${file}:102: column Provider Id: cannot parse 'BOB SMITH' as int32`,
      `${file}:103: column Provider Id: cannot parse 'ALICE JONES' as int32`,
    ]);
  });
});

describe('printSchema', () => {
  it("prints Glue's layout: root, |-- name: type, a choice's alternatives and nested fields one level in", async () => {
    const { file } = await providersCsv();
    const lines: string[] = [];
    const text = await read.csv(file, { withHeader: true }).printSchema((t) => lines.push(t));
    expect(text).toBe(['root', '|-- Provider Id: choice', '|    |-- int', '|    |-- string', '|-- City: string'].join('\n'));
    expect(lines).toEqual([text]);

    const dir = await tempDir('sluice-print-');
    await writeFile(join(dir, 'n.jsonl'), '{"a": {"b": 1, "c": [1.5]}, "d": [{"e": true}], "f": 1}\n{"a": null, "d": [], "f": {"g": "x"}}\n');
    expect(await read.json(join(dir, 'n.jsonl')).printSchema(() => {})).toBe([
      'root',
      '|-- a: struct',
      '|    |-- b: int',
      '|    |-- c: array',
      '|    |    |-- element: double',
      '|-- d: array',
      '|    |-- element: struct',
      '|    |    |-- e: boolean',
      '|-- f: choice',
      '|    |-- int',
      '|    |-- struct',
      '|    |    |-- g: string',
    ].join('\n'));
  });
});

describe('sluice schema', () => {
  it('shows choices: in the JSON, and in the --tree layout after reading the data', async () => {
    const { file } = await providersCsv();
    const dir = await tempDir('sluice-schema-cli-');
    await writeFile(join(dir, 'a.jsonl'), '{"v": 1}\n{"v": "x"}\n');
    const json = await runCliInProcess(['schema', join(dir, 'a.jsonl')]);
    expect(JSON.parse(json.out)).toEqual({ v: 'choice<int32,string>' });
    const tree = await runCliInProcess(['schema', file, '--tree']);
    expect(tree.code).toBe(0);
    expect(tree.out.trim()).toBe(['root', '|-- Provider Id: choice', '|    |-- int', '|    |-- string', '|-- City: string'].join('\n'));
  });
});

describe('writing an unresolved choice', () => {
  it("writes what Glue's toDF() gives: a struct with one field per type (Parquet read back by DuckDB, JSON, CSV)", async () => {
    const dir = await tempDir('sluice-choice-write-');
    await writeFile(join(dir, 'in.jsonl'), '{"id": 1, "v": 2}\n{"id": 2, "v": "x"}\n{"id": 3, "v": null}\n');
    const df = read.json(join(dir, 'in.jsonl'));
    await df.write.parquet(join(dir, 'pq'));
    expect(await duck(`SELECT id, v, typeof(v) AS t FROM read_parquet('${join(dir, 'pq')}/*.parquet') ORDER BY id`)).toEqual([
      { id: 1, v: { int: 2, string: null }, t: 'STRUCT("int" INTEGER, string VARCHAR)' },
      { id: 2, v: { int: null, string: 'x' }, t: 'STRUCT("int" INTEGER, string VARCHAR)' },
      { id: 3, v: null, t: 'STRUCT("int" INTEGER, string VARCHAR)' },
    ]);
    await df.write.json(join(dir, 'js'));
    await df.write.csv(join(dir, 'csv'));
    const text = async (sub: string, ext: string) => {
      const part = (await readdir(join(dir, sub))).find((f) => f.endsWith(ext))!;
      return readFile(join(dir, sub, part), 'utf8');
    };
    expect(await text('js', '.json')).toBe('{"id":1,"v":{"int":2,"string":null}}\n{"id":2,"v":{"int":null,"string":"x"}}\n{"id":3,"v":null}\n');
    expect(await text('csv', '.csv')).toBe('id,v\n1,"{""int"":2,""string"":null}"\n2,"{""int"":null,""string"":""x""}"\n3,\n');
  });
});
