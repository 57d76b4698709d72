import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { DynamicFrameCollection } from '../../src/frame/DynamicFrameCollection.js';
import { read } from '../../src/frame/read.js';
import { runJobSpec } from '../../src/job/index.js';
import { FlatMap, Relationalize, SplitFields } from '../../transforms/index.js';
import { tempDir } from '../support/files.js';
import { PEOPLE_TABLES, peopleFile } from './people.js';

const pair = () => DynamicFrameCollection.of({
  a: DataFrame.fromRows([{ id: 1, name: 'x' }, { id: 2, name: null }]),
  b: DataFrame.fromRows([{ id: 3, name: 'z' }]),
});

async function contents(dfc: DynamicFrameCollection): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const key of await dfc.keys()) out[key] = await dfc.select(key).toRows();
  return out;
}

describe("Glue's FlatMap over a collection", () => {
  it('a frame result keeps its member name', async () => {
    const out = FlatMap.apply({ frame: pair(), f: (frame, key) => frame.withColumns({ from: `'${key}'` }) });
    expect(out).toBeInstanceOf(DynamicFrameCollection);
    expect(await contents(out)).toEqual({
      a: [{ id: 1, name: 'x', from: 'a' }, { id: 2, name: null, from: 'a' }],
      b: [{ id: 3, name: 'z', from: 'b' }],
    });
  });

  it('collection results are flattened into one collection, in member order', async () => {
    const out = FlatMap.apply({ dfc: pair(), f: (frame, key) => SplitFields.apply({ frame, paths: ['id'], name1: `${key}_ids`, name2: `${key}_rest` }) });
    expect(await out.keys()).toEqual(['a_ids', 'a_rest', 'b_ids', 'b_rest']);
    expect(await contents(out)).toEqual({
      a_ids: [{ id: 1 }, { id: 2 }], a_rest: [{ name: 'x' }, { name: null }],
      b_ids: [{ id: 3 }], b_rest: [{ name: 'z' }],
    });
  });

  it("Glue's BaseTransform, frameName and baseKwargs; a later member of the same name replaces an earlier one (Glue's dict update)", async () => {
    const out = FlatMap.apply({ dfc: pair(), BaseTransform: SplitFields, frameName: 'frame', baseKwargs: { paths: ['name'], name1: 'names', name2: 'ids' } });
    expect(await contents(out)).toEqual({ names: [{ name: 'z' }], ids: [{ id: 3 }] });
    expect(() => out.select('nope')).toThrow("no frame 'nope' in the collection; its frames: names, ids");
  });

  it('over a Relationalize collection (members known once its input runs): selects find their member when run', async () => {
    const tables = Relationalize.apply({ frame: read.json(await peopleFile()), name: 'root', stagingPath: '/tmp/unused' });
    const out = FlatMap.apply({ dfc: tables, f: (frame) => frame });
    expect(await out.keys()).toEqual(Object.keys(PEOPLE_TABLES));
    expect(await out.select('root_friends').toRows()).toEqual(PEOPLE_TABLES.root_friends);
    await expect(out.select('root_frends').toRows()).rejects.toThrow("no frame 'root_frends' in the collection (did you mean 'root_friends'?)");
  });

  it('given a frame, FlatMap is the row-level flatMap; bad arguments are named', async () => {
    const rows = await FlatMap.apply({ frame: DataFrame.fromRows([{ n: 2 }, { n: 0 }]), f: (r) => Array.from({ length: Number(r.n) }, (_, i) => ({ i })) }).toRows();
    expect(rows).toEqual([{ i: 0 }, { i: 1 }]);
    expect(() => FlatMap.apply({ dfc: pair() } as never)).toThrow('FlatMap over a collection needs exactly one of f');
    await expect(FlatMap.apply({ dfc: pair(), f: () => 'x' as never }).keys()).rejects.toThrow("FlatMap: the function must return a frame or a DynamicFrameCollection; for member 'a' it returned string");
    expect(() => FlatMap.apply({ frame: {} as never, f: () => [] })).toThrow('FlatMap needs dfc (or frame)');
  });

  it('a job-spec node over a collection node', async () => {
    const out = await tempDir('sluice-flatmap-spec-');
    const summary = await runJobSpec({
      nodes: [
        { id: 'people', type: 'read', format: 'json', paths: ['${IN}'] },
        { id: 'rel', type: 'Relationalize', input: 'people', name: 'root', stagingPath: '/tmp/ignored' },
        { id: 'split', type: 'FlatMap', input: 'rel', transform: { type: 'SplitFields', paths: ['id'], name1: 'ids', name2: 'rest' } },
        { id: 'ids', type: 'write', input: 'split', key: 'ids', format: 'json', path: '${OUT}/ids' },
      ],
    }, { IN: await peopleFile(), OUT: out });
    // Every table has an id; the last table's ids win (Glue's dict update).
    const last = Object.values(PEOPLE_TABLES).at(-1)!.map((r) => ({ id: (r as { id: unknown }).id }));
    expect(summary.sinks.map((s) => [s.id, s.rows])).toEqual([['ids', last.length]]);
    expect(await read.json(join(out, 'ids')).toRows()).toEqual(last);
  });
});
