import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Schema } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { runJobSpec } from '../../src/job/index.js';
import { schemaToSpec } from '../../src/types/typeNames.js';
import { FlatMap, Map as MapT } from '../../transforms/index.js';
import { tempDir } from '../support/files.js';

/** One frame over several batches, so inference must merge what each chunk's records say. */
function batches(...parts: Record<string, unknown>[][]): DataFrame {
  const frames = parts.map((rows) => DataFrame.fromRows(rows, { id: 'int32', v: 'int32' }));
  return frames.reduce((a, b) => a.union(b));
}

describe('Map without a declared schema infers its output from the returned records', () => {
  it('writes every row of a Map that adds and retypes fields (was: 20,000 error records, 0 rows)', async () => {
    const dir = await tempDir('sluice-map-');
    const lines = ['id,amount,country'];
    for (let i = 0; i < 20_000; i++) lines.push(`${i},${i % 7},${i % 3 ? 'FR' : 'DE'}`);
    writeFileSync(join(dir, 'in.csv'), lines.join('\n') + '\n');
    const mapped = read.csv(join(dir, 'in.csv'), { withHeader: true })
      .map((r) => ({ ...r, amount: (r.amount as number) * 1.5, id: `order-${r.id}`, big: (r.id as number) % 2 === 0 }));
    const summary = await mapped.write.parquet(join(dir, 'out'));
    expect(summary.rows).toBe(20_000);
    expect(summary.errors).toEqual([]);
    const back = read.parquet(join(dir, 'out'));
    expect(schemaToSpec(await back.schema())).toEqual({ id: 'string', amount: 'float64', country: 'string', big: 'bool' });
    expect(await back.count()).toBe(20_000);
    const sample = await back.filter("id = 'order-19999'").toRows();
    expect(sample).toEqual([{ id: 'order-19999', amount: 19999 % 7 * 1.5, country: 'FR', big: false }]);
  });

  it('gives the same rows and schema on worker threads as inline', async () => {
    const dir = await tempDir('sluice-map-par-');
    for (let f = 0; f < 4; f++) {
      const rows = Array.from({ length: 500 }, (_, i) => JSON.stringify({ id: f * 500 + i, x: f === 3 && i === 7 ? 2.5 : i }));
      writeFileSync(join(dir, `part-${f}.json`), rows.join('\n') + '\n');
    }
    const frame = () => read.json(dir).map((r) => ({ id: r.id, half: (r.x as number) / 2, ...(r.id === 10 ? { note: 'ten' } : {}) }));
    const parallel = await frame().collect({ threads: 2, splitSize: 4096, inlineBelowBytes: 0 });
    const inline = await frame().collect({ parallel: false });
    expect(schemaToSpec(parallel.table.schema)).toEqual({ id: 'int32', half: 'float64', note: 'string' });
    expect(parallel.table.numRows).toBe(2000);
    expect(parallel.table.toArray().map((r) => r.toJSON())).toEqual(inline.table.toArray().map((r) => r.toJSON()));
  });

  it('widens a field across chunks, unions new fields in order of appearance, drops fields no record returns', async () => {
    const frame = batches([{ id: 1, v: 10 }, { id: 2, v: 20 }], [{ id: 3, v: 30 }]);
    const out = frame.map((r) => (r.id === 3 ? { id: r.id, w: 0.5, extra: 'x' } : { id: r.id, w: r.v }));
    expect(schemaToSpec(await out.schema())).toEqual({ id: 'int32', w: 'float64', extra: 'string' });
    expect(await out.toRows()).toEqual([
      { id: 1, w: 10, extra: null },
      { id: 2, w: 20, extra: null },
      { id: 3, w: 0.5, extra: 'x' },
    ]);
  });

  it('falls back to string for a number in one chunk and text in another (choice types will take this over)', async () => {
    const out = batches([{ id: 1, v: 10 }], [{ id: 2, v: 20 }]).map((r) => ({ id: r.id, v: r.id === 2 ? 'twenty' : r.v }));
    expect(schemaToSpec(await out.schema())).toEqual({ id: 'int32', v: 'string' });
    expect(await out.toRows()).toEqual([{ id: 1, v: '10' }, { id: 2, v: 'twenty' }]);
  });

  it('keeps the input type of a column null in every record, and the input schema when there are no rows', async () => {
    const frame = DataFrame.fromRows([{ id: 1, note: null }], { id: 'int64', note: 'string' });
    expect(schemaToSpec(await frame.map((r) => r).schema())).toEqual({ id: 'int32', note: 'string' });
    const empty = DataFrame.fromBatches(new Schema((await frame.schema()).fields), []);
    expect(schemaToSpec(await empty.map((r) => ({ other: r.id })).schema())).toEqual({ id: 'int64', note: 'string' });
  });

  it('keeps field names with dots as names, through Parquet and JSON files', async () => {
    const dir = await tempDir('sluice-map-dots-');
    const out = DataFrame.fromRows([{ id: 1 }, { id: 2 }]).map((r) => ({ 'a.b': r.id, plain: { 'c.d': `x${r.id}` } }));
    expect(await out.toRows()).toEqual([{ 'a.b': 1, plain: { 'c.d': 'x1' } }, { 'a.b': 2, plain: { 'c.d': 'x2' } }]);
    await out.write.parquet(join(dir, 'pq'));
    await out.write.json(join(dir, 'js'));
    expect(await read.parquet(join(dir, 'pq')).toRows()).toEqual([{ 'a.b': 1, plain: { 'c.d': 'x1' } }, { 'a.b': 2, plain: { 'c.d': 'x2' } }]);
    expect(await read.json(join(dir, 'js')).toRows()).toEqual([{ 'a.b': 1, plain: { 'c.d': 'x1' } }, { 'a.b': 2, plain: { 'c.d': 'x2' } }]);
  });

  it('makes error records of throwing rows and non-records, and infers from the rest', async () => {
    const out = DataFrame.fromRows([{ id: 1 }, { id: 2 }, { id: 3 }]).map((r) => {
      if (r.id === 2) throw new Error('two');
      return (r.id === 3 ? [r] : { id: r.id, ok: true }) as never;
    });
    const { table, errors } = await out.collect();
    expect(schemaToSpec(table.schema)).toEqual({ id: 'int32', ok: 'bool' });
    expect(table.toArray().map((r) => r.toJSON())).toEqual([{ id: 1, ok: true }]);
    expect(errors.map((e) => [e.message, e.record])).toEqual([
      ['Map function threw on this record: Error: two', { id: 2 }],
      ['Map function returned an array, not a record', { id: 3 }],
    ]);
  });

  it('with a declared schema still streams, and names an undeclared key', async () => {
    const frame = DataFrame.fromRows([{ id: 1 }]);
    await expect(frame.map((r) => ({ ...r, extra: 1 }), { schema: { id: 'int32' } }).toRows()).rejects.toThrow(
      "Map function returned field 'extra', which is not in the declared output schema (id); add it to Map's schema parameter, or leave schema out to infer the output from the records",
    );
  });
});

describe('FlatMap', () => {
  const orders = () => DataFrame.fromRows([
    { id: 1, items: ['a', 'b'] },
    { id: 2, items: [] },
    { id: 3, items: null },
    { id: 4, items: ['c'] },
  ]);

  it('keeps 0..n records per input record, schema inferred', async () => {
    const out = orders().flatMap((o) => (o.items as string[] | null)?.map((item, i) => ({ order: o.id, item, pos: i })));
    expect(schemaToSpec(await out.schema())).toEqual({ order: 'int32', item: 'string', pos: 'int32' });
    expect(await out.toRows()).toEqual([
      { order: 1, item: 'a', pos: 0 }, { order: 1, item: 'b', pos: 1 }, { order: 4, item: 'c', pos: 0 },
    ]);
  });

  it('with a declared schema, and error records for a non-array or a non-record element', async () => {
    const out = FlatMap.apply({
      frame: orders(),
      f: (o) => (o.id === 2 ? ({ bad: true } as never) : o.id === 3 ? ([1] as never) : (o.items as string[]).map((item) => ({ item }))),
      schema: { item: 'string' },
    });
    const { table, errors } = await out.collect();
    expect(table.toArray().map((r) => r.toJSON())).toEqual([{ item: 'a' }, { item: 'b' }, { item: 'c' }]);
    expect(errors.map((e) => e.message)).toEqual([
      'FlatMap function returned object, not an array of records',
      'FlatMap function returned [0] = number, not a record',
    ]);
  });
});

describe('Map and FlatMap nodes in job specs', () => {
  it('infer the output schema when the node declares none', async () => {
    const dir = await tempDir('sluice-map-spec-');
    writeFileSync(join(dir, 'in.json'), '{"id":1,"tags":"a,b"}\n{"id":2,"tags":""}\n{"id":3,"tags":"c"}\n');
    writeFileSync(join(dir, 'fns.mjs'), [
      'export const tag = (r) => ({ id: r.id, n: r.tags.length / 2 });',
      'export const split = (r) => r.tags ? r.tags.split(",").map((t) => ({ id: r.id, tag: t })) : [];',
    ].join('\n'));
    const spec = {
      name: 'maps',
      nodes: [
        { id: 'src', type: 'read', format: 'json', paths: ['${INPUT}'] },
        { id: 'mapped', type: 'Map', input: 'src', function: { module: './fns.mjs', export: 'tag' } },
        { id: 'exploded', type: 'FlatMapRecords', input: 'src', function: { module: './fns.mjs', export: 'split' } },
        { id: 'out1', type: 'write', input: 'mapped', format: 'json', path: '${OUT1}' },
        { id: 'out2', type: 'write', input: 'exploded', format: 'json', path: '${OUT2}' },
      ],
    };
    writeFileSync(join(dir, 'job.json'), JSON.stringify(spec));
    const summary = await runJobSpec(join(dir, 'job.json'), { INPUT: join(dir, 'in.json'), OUT1: join(dir, 'o1'), OUT2: join(dir, 'o2') });
    expect(summary.errors).toBe(0);
    expect(await read.json(join(dir, 'o1')).toRows()).toEqual([{ id: 1, n: 1.5 }, { id: 2, n: 0 }, { id: 3, n: 0.5 }]);
    expect(await read.json(join(dir, 'o2')).toRows()).toEqual([{ id: 1, tag: 'a' }, { id: 1, tag: 'b' }, { id: 3, tag: 'c' }]);
    expect(readdirSync(join(dir, 'o2')).filter((f) => f.endsWith('.json')).length).toBeGreaterThan(0);
  });
});
