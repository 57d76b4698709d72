import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { DynamicFrameCollection } from '../../src/frame/DynamicFrameCollection.js';
import { read } from '../../src/frame/read.js';
import { runJobSpec } from '../../src/job/index.js';
import { jobSpecProblems } from '../../src/job/spec/validateJobSpec.js';
import { MapToCollection, SelectFromCollection } from '../../transforms/index.js';
import { runCliInProcess } from '../support/cli.js';
import { tempDir } from '../support/files.js';
import { PEOPLE_TABLES, peopleFile } from './people.js';

const write = (id: string, input: string, key?: string) => ({ id, type: 'write', input, ...(key ? { key } : {}), format: 'parquet', path: `\${OUT}/${id}` });

describe('DynamicFrameCollection', () => {
  it('lists, selects and maps its frames; an unknown key names the known ones', async () => {
    const a = DataFrame.fromRows([{ x: 1 }, { x: null }]);
    const b = DataFrame.fromRows([{ y: 'q' }]);
    const dfc = DynamicFrameCollection.of({ left: a, right: b });
    expect(await dfc.keys()).toEqual(['left', 'right']);
    expect(await dfc.count()).toBe(2);
    expect(await Promise.all((await dfc.values()).map((f) => f.toRows()))).toEqual([[{ x: 1 }, { x: null }], [{ y: 'q' }]]);
    expect(await SelectFromCollection.apply({ dfc, key: 'right' }).toRows()).toEqual([{ y: 'q' }]);
    expect(() => dfc.select('rigth')).toThrow("no frame 'rigth' in the collection (did you mean 'right'?); its frames: left, right");
    const mapped = MapToCollection.apply({ dfc, callable: (frame, key) => frame.withColumns({ from: `'${key}'` }) });
    expect(await mapped.keys()).toEqual(['left', 'right']);
    expect(await mapped.select('left').toRows()).toEqual([{ x: 1, from: 'left' }, { x: null, from: 'left' }]);
    expect(() => MapToCollection.apply({ dfc, callable: 'DropNullFields' as never })).toThrow('MapToCollection needs callable');
  });
});

describe('collections in job specs', () => {
  it('reads members by key, through SelectFromCollection, and through MapToCollection', async () => {
    const out = await tempDir('sluice-collection-spec-');
    const spec = {
      nodes: [
        { id: 'people', type: 'read', format: 'json', paths: ['${IN}'] },
        { id: 'rel', type: 'Relationalize', input: 'people', name: 'root', stagingPath: '/tmp/ignored' },
        write('root', 'rel', 'root'),
        { id: 'friends', type: 'SelectFromCollection', input: 'rel', key: 'root_friends' },
        write('friends_out', 'friends'),
        { id: 'tags_of_3', type: 'Filter', input: 'rel', key: 'root_tags', condition: 'id = 3' },
        write('tags_out', 'tags_of_3'),
        { id: 'slim', type: 'MapToCollection', input: 'rel', transform: { type: 'DropFields', paths: ['index'] } },
        write('phones_out', 'slim', 'root_friends.val.phones'),
      ],
    };
    const summary = await runJobSpec(spec, { IN: await peopleFile(), OUT: out });
    expect(summary.sinks.map((s) => [s.id, s.rows])).toEqual([['root', 3], ['friends_out', 3], ['tags_out', 1], ['phones_out', 3]]);
    expect(await read.parquet(join(out, 'root')).toRows()).toEqual(PEOPLE_TABLES.root);
    expect(await read.parquet(join(out, 'friends_out')).toRows()).toEqual(PEOPLE_TABLES.root_friends);
    expect(await read.parquet(join(out, 'tags_out')).toRows()).toEqual([{ id: 3, index: 0, 'tags.val': 'c' }]);
    expect(await read.parquet(join(out, 'phones_out')).toRows()).toEqual(
      PEOPLE_TABLES['root_friends.val.phones'].map(({ index: _index, ...rest }) => rest),
    );
  });

  it('says when a node reads a collection without a key, a key of a frame, or a collection in inputs', () => {
    const nodes = [
      { id: 'people', type: 'read', format: 'json', paths: ['p.json'] },
      { id: 'rel', type: 'Relationalize', input: 'people' },
      { id: 'a', type: 'DropFields', input: 'rel', paths: ['x'] },
      { id: 'b', type: 'DropFields', input: 'people', key: 'root', paths: ['x'] },
      { id: 'c', type: 'Join', inputs: ['rel', 'people'], keys1: ['id'], keys2: ['id'] },
      { id: 'd', type: 'SelectFromCollection', input: 'people', key: 'x' },
      write('w', 'rel'),
    ];
    expect(jobSpecProblems({ nodes })).toEqual([
      `nodes[2]: node 'rel' makes a collection (Relationalize); name the member to read with "key"`,
      `nodes[3].key: node 'people' (read) makes one frame, not a collection; remove "key"`,
      `nodes[4].inputs: node 'rel' makes a collection (Relationalize); read one member first with a node of its own ({"type": "SelectFromCollection", "input": "rel", "key": "..."}) and name that node here`,
      `nodes[5].input: SelectFromCollection reads a collection, and node 'people' (read) makes one frame`,
      `nodes[6]: node 'rel' makes a collection (Relationalize); name the member to read with "key"`,
    ]);
  });

  it('fails an unknown member of a lazy collection when the job is prepared, naming the tables', async () => {
    const out = await tempDir('sluice-collection-spec-');
    const spec = { nodes: [{ id: 'people', type: 'read', format: 'json', paths: ['${IN}'] }, { id: 'rel', type: 'Relationalize', input: 'people', name: 'root' }, write('x', 'rel', 'root_frends')] };
    await expect(runJobSpec(spec, { IN: await peopleFile(), OUT: out })).rejects.toThrow("no table 'root_frends' in Relationalize's output (did you mean 'root_friends'?)");
  });
});

describe('sluice transforms on collection transforms', () => {
  it('says a node reads a member of the collection with key, and what a collection input is', async () => {
    const rel = await runCliInProcess(['transforms', 'Relationalize']);
    expect(rel.code).toBe(0);
    expect(rel.out).toContain('Output: a collection; a node reads one member with "input": "<this id>", "key": "<member>".');
    expect(rel.out).toContain('Example node:\n  {"id":"relationalize","type":"Relationalize","input":"orders","name":"root","stagingPath":"s3://bucket/tmp/"}');
    const select = await runCliInProcess(['transforms', 'SelectFromCollection']);
    expect(select.out).toContain('  input: the id of a node that makes a collection (Relationalize, SplitFields, SplitRows)\n  key (string, required)');
  });
});
