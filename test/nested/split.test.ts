import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { runJobSpec } from '../../src/job/index.js';
import { SplitFields, SplitRows, Spigot } from '../../transforms/index.js';
import { tempDir } from '../support/files.js';
import { duck } from '../support/duck.js';

const people = () => DataFrame.fromRows([
  { id: 1, name: 'Ann', age: 15, address: { city: 'Paris', zip: '75001' } },
  { id: 2, name: null, age: null, address: null },
  { id: 3, name: 'Cy', age: 20, address: { city: null, zip: '10115' } },
  { id: 4, name: "O'Neil", age: 11, address: { city: 'Rome', zip: null } },
], { id: 'int32', name: 'string', age: 'int32', address: 'struct<city:string,zip:string>' });

describe('SplitFields', () => {
  it('splits the named fields off into name1, the rest into name2, every row in both', async () => {
    const parts = SplitFields.apply({ frame: people(), paths: ['address.city', 'id'], name1: 'picked', name2: 'rest' });
    expect(await parts.keys()).toEqual(['picked', 'rest']);
    expect(await parts.select('picked').toRows()).toEqual([
      { address: { city: 'Paris' }, id: 1 }, { address: null, id: 2 }, { address: { city: null }, id: 3 }, { address: { city: 'Rome' }, id: 4 },
    ]);
    expect(await parts.select('rest').toRows()).toEqual([
      { name: 'Ann', age: 15, address: { zip: '75001' } }, { name: null, age: null, address: null },
      { name: 'Cy', age: 20, address: { zip: '10115' } }, { name: "O'Neil", age: 11, address: { zip: null } },
    ]);
    expect(await people().splitFields(['age']).keys()).toEqual(['frame1', 'frame2']);
    expect(() => people().splitFields(['age'], 'x', 'x')).toThrow("SplitFields name1 and name2 are both 'x'");
    await expect(people().splitFields(['agee']).select('frame1').schema()).rejects.toThrow("no field 'agee'");
  });
});

describe('SplitRows', () => {
  it('puts rows meeting every comparison in name1 and every other row, nulls included, in name2', async () => {
    const parts = SplitRows.apply({ frame: people(), comparisonDict: { age: { '>': 10, '<': 20 }, 'address.zip': { '!=': '10115' } }, name1: 'teens', name2: 'others' });
    expect((await parts.select('teens').toRows()).map((r) => r.id)).toEqual([1]);
    // Row 4's zip is null and row 2's age is null: both go to the second frame, as does row 3 (age 20).
    expect((await parts.select('others').toRows()).map((r) => r.id)).toEqual([2, 3, 4]);
    const byName = people().splitRows({ name: { '=': "O'Neil" } });
    expect((await byName.select('frame1').toRows()).map((r) => r.id)).toEqual([4]);
    expect((await byName.select('frame2').toRows()).map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it('agrees with DuckDB on the split and its null-safe complement', async () => {
    const rows = Array.from({ length: 200 }, (_v, i) => ({ id: i, v: i % 7 === 0 ? null : (i * 37) % 101 }));
    const parts = DataFrame.fromRows(rows, { id: 'int32', v: 'int32' }).splitRows({ v: { '>=': 30, '<=': 70 } });
    const values = rows.map((r) => `(${r.id}, ${r.v ?? 'NULL'})`).join(', ');
    const inDuck = await duck(`SELECT id FROM (VALUES ${values}) t(id, v) WHERE v >= 30 AND v <= 70 ORDER BY id`);
    const outDuck = await duck(`SELECT id FROM (VALUES ${values}) t(id, v) WHERE (v >= 30 AND v <= 70) IS NOT TRUE ORDER BY id`);
    expect((await parts.select('frame1').toRows()).map((r) => r.id)).toEqual(inDuck.map((r) => Number(r.id)));
    expect((await parts.select('frame2').toRows()).map((r) => r.id)).toEqual(outDuck.map((r) => Number(r.id)));
  });

  it('names a bad operator, a bad value and an empty dict', () => {
    expect(() => people().splitRows({ age: { '>>': 1 } })).toThrow("SplitRows: unknown operator '>>' for 'age'; Glue's operators: =, !=, <, <=, >, >=");
    expect(() => people().splitRows({ age: { '>': null as never } })).toThrow("the value for 'age' must be a number, string or boolean, got null");
    expect(() => people().splitRows({})).toThrow('SplitRows comparisonDict must be an object such as');
  });
});

describe('Spigot', () => {
  it('passes every row through and writes the first topk rows as JSON lines', async () => {
    const dir = await tempDir('sluice-spigot-');
    const out = Spigot.apply({ frame: people(), path: join(dir, 'sample'), options: { topk: 2 } });
    expect((await out.toRows()).map((r) => r.id)).toEqual([1, 2, 3, 4]);
    expect(await read.json(join(dir, 'sample')).toRows()).toEqual([
      { id: 1, name: 'Ann', age: 15, address: { city: 'Paris', zip: '75001' } },
      { id: 2, name: null, age: null, address: null },
    ]);
  });

  it('samples with prob from a seeded generator: the same seed, the same sample', async () => {
    const dir = await tempDir('sluice-spigot-');
    const frame = DataFrame.fromColumns({ n: Array.from({ length: 1000 }, (_v, i) => i) });
    const sampleOf = async (seed: number, name: string) => {
      await frame.spigot(join(dir, name), { prob: 0.1, topk: 1000, seed }).count();
      return (await read.json(join(dir, name)).toRows()).map((r) => r.n as number);
    };
    const a = await sampleOf(7, 'a');
    expect(await sampleOf(7, 'b')).toEqual(a);
    expect(await sampleOf(8, 'c')).not.toEqual(a);
    expect(a.length).toBeGreaterThan(60);
    expect(a.length).toBeLessThan(140);
    expect([...a].sort((x, y) => x - y)).toEqual(a);
  });

  it('rejects unknown and out-of-range options', () => {
    expect(() => people().spigot('/tmp/x', { topK: 3 } as never)).toThrow("unknown Spigot option 'topK'; did you mean 'topk'?");
    expect(() => people().spigot('/tmp/x', { prob: 2 })).toThrow('Spigot option prob must be a number from 0 to 1, got 2');
  });
});

describe('SplitFields, SplitRows and Spigot in job specs', () => {
  it('splits fields and rows, samples, and writes chosen members', async () => {
    const dir = await tempDir('sluice-split-spec-');
    writeFileSync(join(dir, 'people.csv'), 'id,name,age\n1,Ann,15\n2,,\n3,Cy,20\n');
    const spec = {
      nodes: [
        { id: 'people', type: 'read', format: 'csv', paths: ['${DIR}/people.csv'], formatOptions: { withHeader: true }, schema: { id: 'int32', name: 'string', age: 'int32' } },
        { id: 'sampled', type: 'Spigot', input: 'people', path: '${DIR}/sample', options: { topk: 1 } },
        { id: 'cols', type: 'SplitFields', input: 'sampled', paths: ['name'], name1: 'names', name2: 'rest' },
        { id: 'rows', type: 'SplitRows', input: 'sampled', comparisonDict: { age: { '<': 18 } } },
        { id: 'w1', type: 'write', input: 'cols', key: 'rest', format: 'csv', path: '${DIR}/rest' },
        { id: 'w2', type: 'write', input: 'rows', key: 'frame2', format: 'csv', path: '${DIR}/adults' },
      ],
    };
    await runJobSpec(spec, { DIR: dir });
    const csv = (sub: string) => {
      const part = readdirSync(join(dir, sub)).find((f) => f.startsWith('part-'))!;
      return readFileSync(join(dir, sub, part), 'utf8');
    };
    expect(csv('rest')).toBe('id,age\n1,15\n2,\n3,20\n');
    expect(csv('adults')).toBe('id,name,age\n2,,\n3,Cy,20\n');
    expect(csv('sample')).toBe('{"id":1,"name":"Ann","age":15}\n');
  });
});
