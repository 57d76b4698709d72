import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { typeName } from '../../src/types/typeNames.js';
import { tempDir } from '../support/files.js';
import { bothWays, PARALLEL, rowsOf } from '../parallel/helpers.js';

const typesOf = (schema: { fields: { name: string; type: unknown }[] }) =>
  Object.fromEntries(schema.fields.map((f) => [f.name, typeName(f.type as never)]));

/** 400 small JSON-lines files, 1,000 rows: `extra` is whole in the first file and drifts later. */
async function driftingJson(): Promise<string> {
  const dir = await tempDir('sluice-drift-');
  let id = 0;
  for (let f = 0; f < 400; f++) {
    const lines: string[] = [];
    const rows = f < 200 ? 3 : 2; // 600 + 400 = 1,000
    for (let r = 0; r < rows; r++) {
      id++;
      const extra = f === 0 ? id : f % 3 === 0 ? id + 0.25 : f % 3 === 1 ? 5_000_000_000 + id : id;
      lines.push(JSON.stringify({ id, name: `n${id}`, extra }));
    }
    await writeFile(join(dir, `part-${String(f).padStart(4, '0')}.json`), lines.join('\n') + '\n');
  }
  return dir;
}

describe('schema on read: every file, not the first', () => {
  it('400 small JSON files with drifting numbers: 1,000 rows, no error records', async () => {
    const dir = await driftingJson();
    const { table, errors } = await read.json(dir).collect({ parallel: false });
    expect(errors).toEqual([]);
    expect(table.numRows).toBe(1000);
    expect(typesOf(table.schema)).toEqual({ id: 'int32', name: 'string', extra: 'float64' });
    const rows = table.toArray().map((r) => r.toJSON());
    expect(rows[0]).toEqual({ id: 1, name: 'n1', extra: 1 });
    expect(rows[3]).toEqual({ id: 4, name: 'n4', extra: 5_000_000_004 });
    expect(rows[6]).toEqual({ id: 7, name: 'n7', extra: 7 });
    expect(rows[9]).toEqual({ id: 10, name: 'n10', extra: 10.25 });
  });

  it('parallel splits read the drifting files as the inline scan does', async () => {
    const dir = await driftingJson();
    const { inline, parallel } = await bothWays(read.json(dir), PARALLEL);
    expect(inline.errors).toEqual([]);
    expect(parallel.errors).toEqual([]);
    expect(parallel.rows).toEqual(inline.rows);
    expect(inline.rows).toHaveLength(1000);
    expect(typesOf(parallel.schema)).toEqual(typesOf(inline.schema));
  });

  it('columns new in later files are added after the first file’s, in first-seen order', async () => {
    const dir = await tempDir('sluice-union-');
    await writeFile(join(dir, 'a.json'), '{"id": 1, "b": "x"}\n');
    await writeFile(join(dir, 'b.json'), '{"c": true, "id": 2, "b": 3}\n');
    const { table, errors } = await read.json(dir).collect({ parallel: false });
    expect(errors).toEqual([]);
    expect(typesOf(table.schema)).toEqual({ id: 'int32', b: 'choice<int32,string>', c: 'bool' });
    expect(await rowsOf(table)).toEqual([{ id: 1, b: { int: null, string: 'x' }, c: null }, { id: 2, b: { int: 3, string: null }, c: true }]);
  });

  it('CSV files merge their inferred types (int + float → float64; int + text → a choice)', async () => {
    const dir = await tempDir('sluice-csvmerge-');
    await writeFile(join(dir, 'a.csv'), 'id,amount,code\n1,2,7\n');
    await writeFile(join(dir, 'b.csv'), 'id,amount,code\n2,2.5,X7\n');
    const { table, errors } = await read.csv(dir, { withHeader: true }).collect({ parallel: false });
    expect(errors).toEqual([]);
    expect(typesOf(table.schema)).toEqual({ id: 'int32', amount: 'float64', code: 'choice<int32,string>' });
    expect(await rowsOf(table)).toEqual([{ id: 1, amount: 2, code: { int: 7, string: null } }, { id: 2, amount: 2.5, code: { int: null, string: 'X7' } }]);
  });

  it('a given schema still makes misfits error records', async () => {
    const dir = await driftingJson();
    const { table, errors } = await read.json(dir, { schema: { id: 'int32', name: 'string', extra: 'int32' } }).collect({ parallel: false });
    expect(table.numRows + errors.length).toBe(1000);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0].message).toMatch(/is not a valid Int32/);
  });
});

describe('partial schemas', () => {
  it('a schema naming one column keeps every column, in the file’s order', async () => {
    const dir = await tempDir('sluice-partial-');
    const cols = Array.from({ length: 12 }, (_, i) => `c${i}`);
    await mkdir(dir, { recursive: true });
    const row = (k: number) => Object.fromEntries(cols.map((c, i) => [c, k * 10 + i]));
    await writeFile(join(dir, 'wide.json'), [row(1), row(2)].map((r) => JSON.stringify(r)).join('\n'));
    const { table, errors } = await read.json(dir, { schema: { c4: 'int64' } }).collect({ parallel: false });
    expect(errors).toEqual([]);
    expect(table.schema.names).toEqual(cols);
    expect(typesOf(table.schema).c4).toBe('int64');
    expect(typesOf(table.schema).c5).toBe('int32');
    expect(table.toArray().map((r) => r.toJSON())[1]).toEqual({ ...row(2), c4: 24n });
  });

  it('a partial schema for CSV: the named column typed, the rest inferred', async () => {
    const dir = await tempDir('sluice-partialcsv-');
    await writeFile(join(dir, 'a.csv'), 'id,zip,amount\n1,02134,2.5\n');
    const { table, errors } = await read.csv(dir, { withHeader: true, schema: { zip: 'string' } }).collect({ parallel: false });
    expect(errors).toEqual([]);
    expect(typesOf(table.schema)).toEqual({ id: 'int32', zip: 'string', amount: 'float64' });
    expect(table.toArray().map((r) => r.toJSON())).toEqual([{ id: 1, zip: '02134', amount: 2.5 }]);
  });
});

describe('JSON as producers write it', () => {
  const rowsOf = async (path: string) => {
    const { table, errors } = await read.json(path).collect({ parallel: false });
    return { rows: table.toArray().map((r) => r.toJSON()), errors };
  };
  const file = async (name: string, text: string) => {
    const dir = await tempDir('sluice-jsonshapes-');
    await writeFile(join(dir, name), text);
    return join(dir, name);
  };
  const three = [{ a: 1, s: 'x}{"' }, { a: 2, s: '[' }, { a: 3, s: '\\\\' }];

  it('concatenated objects without a separator (Firehose): every object', async () => {
    const { rows, errors } = await rowsOf(await file('fh.json', three.map((r) => JSON.stringify(r)).join('')));
    expect(errors).toEqual([]);
    expect(rows).toEqual(three);
  });

  it('concatenated objects with spaces, and pretty-printed objects one after another', async () => {
    const spaced = await rowsOf(await file('sp.json', three.map((r) => JSON.stringify(r)).join(' \n ')));
    expect(spaced).toEqual({ rows: three, errors: [] });
    const pretty = await rowsOf(await file('pp.json', three.map((r) => JSON.stringify(r, null, 2)).join('\n')));
    expect(pretty).toEqual({ rows: three, errors: [] });
  });

  it('a top-level array, on one line or pretty-printed, without jsonPath', async () => {
    expect(await rowsOf(await file('one.json', JSON.stringify(three)))).toEqual({ rows: three, errors: [] });
    expect(await rowsOf(await file('many.json', JSON.stringify(three, null, 2)))).toEqual({ rows: three, errors: [] });
  });

  it('a truncated record costs that record only, with its line', async () => {
    const { rows, errors } = await rowsOf(await file('cut.json', '{"a": 1}\n{"a": 2, "s": "cut\n{"a": 3}\n{"a": \n{"a": 4}\n'));
    expect(rows).toEqual([{ a: 1 }, { a: 3 }, { a: 4 }]);
    expect(errors.map((e) => e.line)).toEqual([2, 4]);
  });

  it('a large file of concatenated objects read in parallel reads every object once', async () => {
    const dir = await tempDir('sluice-fhpar-');
    const objects = Array.from({ length: 3000 }, (_, i) => ({ id: i, note: `n${i}` }));
    await writeFile(join(dir, 'big.json'), objects.map((o) => JSON.stringify(o, null, 1)).join(''));
    const { inline, parallel } = await bothWays(read.json(dir), PARALLEL);
    expect(inline.errors).toEqual([]);
    expect(parallel.errors).toEqual([]);
    expect(inline.rows).toHaveLength(3000);
    expect(parallel.rows).toEqual(inline.rows);
  });
});
