import { describe, expect, it } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataFrame, read } from '../../src/index.js';
import { schemaToSpec } from '../../src/types/typeNames.js';
import { tempDir } from '../support/files.js';

describe('DataFrame', () => {
  it('round-trips plain rows with an inferred schema', async () => {
    const rows = [
      { id: 1, name: 'a', score: 1.5, ok: true, at: new Date('2024-01-02T03:04:05Z'), tags: ['x'], addr: { city: 'Köln' } },
      { id: 2, name: null, score: null, ok: false, at: null, tags: [], addr: null },
    ];
    const df = DataFrame.fromRows(rows);
    expect(schemaToSpec(await df.schema())).toEqual({
      id: 'int32', name: 'string', score: 'float64', ok: 'bool', at: 'timestamp', tags: 'array<string>', addr: 'struct<city:string>',
    });
    expect(await df.toRows()).toEqual(rows);
    expect(await df.count()).toBe(2);
  });

  it('takes an explicit schema and column arrays', async () => {
    const df = DataFrame.fromColumns({ a: [1, 2, 3], b: ['x', 'y', null] }, { a: 'int64', b: 'string' });
    expect(schemaToSpec(await df.schema())).toEqual({ a: 'int64', b: 'string' });
    expect(await df.toColumns()).toEqual({ a: [1, 2, 3], b: ['x', 'y', null] });
  });

  it('is lazy: transforms build a plan that explain() prints, actions run it', async () => {
    const df = DataFrame.fromRows([{ a: 1 }, { a: 5 }]).filter('a > 2', { transformationCtx: 'big' }).limit(10);
    expect(df.explain()).toBe('Limit {"n":10}\n  Filter {"f":{"kind":"compare","op":">","left":{"kind":"col","name":"a"},"right":{"kind":"lit","value":2}}} [big]\n    Values 2 rows');
    expect(await df.toRows()).toEqual([{ a: 5 }]);
  });

  it('show() prints an aligned table with types', async () => {
    const lines: string[] = [];
    const text = await DataFrame.fromRows([{ id: 1, name: 'ab' }, { id: 22, name: null }]).show(20, (t) => lines.push(t));
    expect(text).toBe([
      '+-----------+--------------+',
      '| id: int32 | name: string |',
      '+-----------+--------------+',
      '| 1         | ab           |',
      '| 22        | null         |',
      '+-----------+--------------+',
      '2 rows',
    ].join('\n'));
    expect(lines).toEqual([text]);
  });

  it('limit stops early and cache() keeps results and errors', async () => {
    const df = DataFrame.fromRows([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(await df.limit(2).toRows()).toEqual([{ a: 1 }, { a: 2 }]);
    expect(await df.limit(0).count()).toBe(0);
    const cached = await df.map((r) => { if (r.a === 2) throw new Error('two'); return r; }).cache();
    expect(await cached.count()).toBe(2);
    expect(await cached.errorsCount()).toBe(1);
  });

  it('names unknown transforms and columns before reading data', async () => {
    const df = DataFrame.fromRows([{ a: 1 }]);
    await expect(df.derive('NoSuchThing', {}).toRows()).rejects.toThrow(/unknown transform 'NoSuchThing'; known: .*ApplyMapping/);
    await expect(df.selectFields(['b' as never]).toRows()).rejects.toThrow("SelectFields: no field 'b' for path 'b'; available: a");
  });

  it('errorsAsDynamicFrame lists error records with their node', async () => {
    const df = DataFrame.fromRows([{ a: 1 }, { a: 2 }]).map((r) => { if (r.a === 1) throw new Error('bad row'); return r; }, { transformationCtx: 'mapper' });
    const errors = await (await df.errorsAsDynamicFrame()).toRows();
    expect(errors).toEqual([{ message: expect.stringContaining('bad row'), node: 'mapper', file: null, line: null, column: null, raw: null, record: '{"a":1}' }]);
  });

  it('fails a job past stageThreshold, and 0 means no limit', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => ({ a: i }));
    const throwing = (r: { a: number }) => { if (r.a < 3) throw new Error(`no ${r.a}`); return r; };
    await expect(DataFrame.fromRows(rows).map(throwing, { stageThreshold: 2 }).toRows()).rejects.toThrow(/3 error records exceed stageThreshold 2/);
    expect(await DataFrame.fromRows(rows).map(throwing, { stageThreshold: 0 }).count()).toBe(2);
    expect(await DataFrame.fromRows(rows).map(throwing, { stageThreshold: 3 }).count()).toBe(2);
    const downstream = DataFrame.fromRows(rows).map(throwing).filter('a > 3', { totalThreshold: 2 });
    await expect(downstream.toRows()).rejects.toThrow(/exceed totalThreshold 2/);
  });
});

describe('reading files', () => {
  it('reads a Hive-partitioned folder back with typed partition columns', async () => {
    const dir = await tempDir('sluice-df-');
    const df = DataFrame.fromRows([
      { id: 1, year: 2024, region: 'eu' }, { id: 2, year: 2024, region: 'us' }, { id: 3, year: 2025, region: null },
    ]);
    await df.write.parquet(join(dir, 'lake'), { partitionKeys: ['year', 'region'] });
    const back = read.parquet(join(dir, 'lake'));
    expect(schemaToSpec(await back.schema())).toEqual({ id: 'int32', year: 'int32', region: 'string' });
    const rows = (await back.toRows()).sort((a, b) => (a.id as number) - (b.id as number));
    expect(rows).toEqual([{ id: 1, year: 2024, region: 'eu' }, { id: 2, year: 2024, region: 'us' }, { id: 3, year: 2025, region: null }]);
  });

  it('reads several paths, globs and gzip CSV with a given schema', async () => {
    const dir = await tempDir('sluice-df-');
    mkdirSync(join(dir, 'in'));
    mkdirSync(join(dir, 'more'));
    writeFileSync(join(dir, 'in', 'a.csv'), 'id,v\n1,x\n2,y\n');
    writeFileSync(join(dir, 'in', 'b.csv'), 'id,v\n3,z\n');
    writeFileSync(join(dir, 'in', 'skip.txt'), 'id,v\n99,not matched by the glob\n');
    // Gzip CSV, found by its .gz name: the bytes on disk are not CSV text.
    const zipped = gzipSync('id,v\n4,Köln\n5,"a, b"\n');
    expect(zipped.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    writeFileSync(join(dir, 'more', 'c.csv.gz'), zipped);
    writeFileSync(join(dir, 'more', 'd.csv'), 'id,v\n6,w\n');
    const schema = { id: 'int64', v: 'string' };
    // Three paths: a glob, a gzip file and a plain file, read in the order given.
    const df = read.csv([join(dir, 'in', '*.csv'), join(dir, 'more', 'c.csv.gz'), join(dir, 'more', 'd.csv')], { withHeader: true, schema });
    expect(await df.toRows()).toEqual([
      { id: 1, v: 'x' }, { id: 2, v: 'y' }, { id: 3, v: 'z' }, { id: 4, v: 'Köln' }, { id: 5, v: 'a, b' }, { id: 6, v: 'w' },
    ]);
    expect(await read.csv(join(dir, 'more', '*.csv*'), { withHeader: true, schema }).toRows()).toEqual([
      { id: 4, v: 'Köln' }, { id: 5, v: 'a, b' }, { id: 6, v: 'w' },
    ]);
    await expect(read.csv(join(dir, 'nothing-here.csv')).toRows()).rejects.toThrow(/nothing-here\.csv/);
  });
});

describe('groupBy and orderBy', () => {
  it('aggregates per group and sorts the result', async () => {
    const df = DataFrame.fromRows([
      { seg: 'b', amount: 1.5 }, { seg: 'a', amount: 2 }, { seg: 'b', amount: null }, { seg: null, amount: 4 }, { seg: 'a', amount: 3 },
    ]);
    const out = df.groupBy('seg').agg({ total: ['sum', 'amount'], n: ['count'], priced: ['count', 'amount'] }).orderBy('seg');
    expect(await out.toRows()).toEqual([
      { seg: null, total: 4, n: 1, priced: 1 },
      { seg: 'a', total: 5, n: 2, priced: 2 },
      { seg: 'b', total: 1.5, n: 2, priced: 1 },
    ]);
    const desc = await df.orderBy({ column: 'amount', descending: true }).toColumns();
    expect(desc.amount).toEqual([4, 3, 2, 1.5, null]);
  });
});

describe('projection push-down', () => {
  it('reads only the columns a plan uses, with the same answers', async () => {
    const dir = await tempDir('sluice-df-');
    const df = DataFrame.fromRows([
      { id: 1, country: 'DE', amount: 150, note: 'x' }, { id: 2, country: 'FR', amount: 200, note: null }, { id: 3, country: 'DE', amount: 50, note: 'z' },
    ]);
    await df.write.parquet(join(dir, 'p'));
    const scan = read.parquet(join(dir, 'p'));
    const filtered = scan.filter("country = 'DE' AND amount > 100");
    expect(await filtered.count()).toBe(1);
    expect(await scan.count()).toBe(3);
    expect(await filtered.selectFields(['id']).toRows()).toEqual([{ id: 1 }]);
    const prepared = await filtered.selectFields(['id']).prepare(undefined);
    expect(prepared.schema.names).toEqual(['id']);
    const { pushDownProjection } = await import('../../src/plan/pushDownProjection.js');
    const rewritten = pushDownProjection(filtered.selectFields(['id']).plan);
    expect(JSON.stringify(rewritten)).toContain('"columns":["id","country","amount"]');
    expect(JSON.stringify(pushDownProjection(filtered.plan, new Set()))).toContain('"columns":["country","amount"]');
  });
});
