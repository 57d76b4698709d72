import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { runJobSpec } from '../../src/job/index.js';
import { schemaToSpec } from '../../src/types/typeNames.js';
import { MergeDynamicFrame } from '../../transforms/index.js';
import { tempDir } from '../support/files.js';

const source = () => DataFrame.fromRows([
  { id: 1, name: 'ann', score: 10 },
  { id: 2, name: 'bob', score: 20 },
  { id: 2, name: 'bob-dup', score: 21 },
  { id: 3, name: 'cy', score: 30 },
  { id: null, name: 'nobody', score: 0 },
], { id: 'int32', name: 'string', score: 'int32' });

describe('MergeDynamicFrame', () => {
  it("overwrites matching source records with the staging record and keeps the rest; staging-only records are not added (Glue's two documented cases)", async () => {
    const staging = DataFrame.fromRows([
      { id: 3, name: 'cy-new', score: 33 },
      { id: 9, name: 'only-in-staging', score: 99 },
      { id: null, name: 'null-key', score: -1 },
    ], { id: 'int32', name: 'string', score: 'int32' });
    expect(await source().mergeDynamicFrame(staging, ['id']).toRows()).toEqual([
      { id: 1, name: 'ann', score: 10 },
      { id: 2, name: 'bob', score: 20 },
      { id: 2, name: 'bob-dup', score: 21 },
      { id: 3, name: 'cy-new', score: 33 },
      { id: null, name: 'nobody', score: 0 },
    ]);
  });

  it('replaces every source duplicate of a key; the last staging record of a key wins; composite keys', async () => {
    const staging = DataFrame.fromRows([{ id: 2, name: 'first', score: 1 }, { id: 2, name: 'last', score: 2 }], { id: 'int64', name: 'string', score: 'int32' });
    expect((await source().mergeDynamicFrame(staging, ['id']).toColumns()).name).toEqual(['ann', 'last', 'last', 'cy', 'nobody']);
    const byBoth = DataFrame.fromRows([{ id: 2, name: 'bob-dup', score: 0 }], { id: 'int32', name: 'string', score: 'int32' });
    expect((await MergeDynamicFrame.apply({ frame1: source(), frame2: byBoth, primaryKeys: ['id', 'name'] }).toColumns()).score).toEqual([10, 20, 0, 30, 0]);
  });

  it('merges differing schemas: source columns first, staging-only ones after, missing ones null, types widened', async () => {
    const staging = DataFrame.fromRows([{ id: 1, score: 10.5, tier: 'gold' }], { id: 'int32', score: 'float64', tier: 'string' });
    const out = source().mergeDynamicFrame(staging, ['id']);
    expect(schemaToSpec(await out.schema())).toEqual({ id: 'int32', name: 'string', score: 'float64', tier: 'string' });
    expect((await out.toRows()).slice(0, 2)).toEqual([
      { id: 1, name: null, score: 10.5, tier: 'gold' },
      { id: 2, name: 'bob', score: 20, tier: null },
    ]);
  });

  it('names a missing primary key before reading', async () => {
    const staging = DataFrame.fromRows([{ key: 1 }]);
    await expect(source().mergeDynamicFrame(staging, ['id']).schema()).rejects.toThrow("MergeDynamicFrame: primary key 'id' is not a column of the staging frame; its columns: key");
    expect(() => source().mergeDynamicFrame(staging, [])).toThrow('MergeDynamicFrame needs primaryKeys');
  });

  it('runs per split on worker threads with the same output as inline, and as a job-spec node', async () => {
    const dir = await tempDir('sluice-merge-');
    const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: i, v: 'old' }));
    writeFileSync(join(dir, 'source.json'), lines.join('\n') + '\n');
    writeFileSync(join(dir, 'staging.json'), [0, 1500, 2999, 5000].map((id) => JSON.stringify({ id, v: 'new' })).join('\n') + '\n');
    const merged = () => read.json(join(dir, 'source.json')).mergeDynamicFrame(read.json(join(dir, 'staging.json')), ['id']);
    const parallel = await merged().collect({ threads: 2, splitSize: 8192, inlineBelowBytes: 0 });
    const inline = await merged().collect({ parallel: false });
    expect(parallel.table.numRows).toBe(3000);
    expect(parallel.table.toArray().map((r) => r.toJSON())).toEqual(inline.table.toArray().map((r) => r.toJSON()));
    expect(parallel.table.toArray().filter((r) => r.v === 'new').map((r) => r.id)).toEqual([0, 1500, 2999]);

    const spec = {
      name: 'merge',
      nodes: [
        { id: 'src', type: 'read', format: 'json', paths: ['${DIR}/source.json'] },
        { id: 'stage', type: 'read', format: 'json', paths: ['${DIR}/staging.json'] },
        { id: 'merged', type: 'MergeDynamicFrame', inputs: ['src', 'stage'], primaryKeys: ['id'] },
        { id: 'out', type: 'write', input: 'merged', format: 'json', path: '${DIR}/out' },
      ],
    };
    const summary = await runJobSpec(spec, { DIR: dir });
    expect(summary.sinks[0].rows).toBe(3000);
    expect(await read.json(join(dir, 'out')).filter("v = 'new'").count()).toBe(3);
  });
});
