import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { writeFrame } from '../../src/frame/DataFrameWriter.js';
import { runJobSpec } from '../../src/job/index.js';
import { filesUnder, tempDir } from '../support/files.js';

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ id: i, k: i % 2 === 0 ? 'even' : 'odd' }));
const parts = (files: string[]) => files.filter((f) => f.includes('part-'));
const csvRows = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8').trim().split('\n').slice(1);

/** Many small input files: a plain parallel write makes one part file per split. */
async function manyFiles(dir: string, files: number, perFile: number): Promise<string> {
  const input = join(dir, 'in');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(input);
  for (let f = 0; f < files; f++) {
    const lines = Array.from({ length: perFile }, (_, i) => `${f * perFile + i},${(f * perFile + i) % 2 === 0 ? 'even' : 'odd'}`);
    writeFileSync(join(input, `f${String(f).padStart(2, '0')}.csv`), `id,k\n${lines.join('\n')}\n`);
  }
  return input;
}

describe('repartition(n) and coalesce(n) decide the part files a write makes', () => {
  it('repartition(n) writes n files of equal rows, in row order', async () => {
    const dir = await tempDir('sluice-repart-');
    await DataFrame.fromRows(rows(10)).repartition(3).write.csv(join(dir, 'out'));
    const files = parts(await filesUnder(join(dir, 'out')));
    expect(files).toHaveLength(3);
    expect(files.map((f) => csvRows(join(dir, 'out'), f))).toEqual([
      ['0,even', '1,odd', '2,even'],
      ['3,odd', '4,even', '5,odd'],
      ['6,even', '7,odd', '8,even', '9,odd'],
    ]);
  });

  it('repartition(n) makes no more files than rows, and survives row-wise steps after it', async () => {
    const dir = await tempDir('sluice-repart-');
    await DataFrame.fromRows(rows(2)).repartition(5).write.json(join(dir, 'few'));
    expect(parts(await filesUnder(join(dir, 'few')))).toHaveLength(2);
    await DataFrame.fromRows(rows(40)).repartition(4).filter('id >= 8').withColumns({ x: 'id * 2' }).write.json(join(dir, 'after'));
    expect(parts(await filesUnder(join(dir, 'after')))).toHaveLength(4);
    expect(await read.json(join(dir, 'after')).count()).toBe(32);
  });

  it('with Hive partitioning, each task writes a file per folder its rows touch', async () => {
    const dir = await tempDir('sluice-repart-hive-');
    await DataFrame.fromRows(rows(12)).repartition(3).write.csv(join(dir, 'out'), { partitionKeys: ['k'] });
    const files = parts(await filesUnder(join(dir, 'out')));
    expect(files.filter((f) => f.startsWith('k=even/'))).toHaveLength(3);
    expect(files.filter((f) => f.startsWith('k=odd/'))).toHaveLength(3);
    expect(files.filter((f) => f.startsWith('k=even/')).map((f) => csvRows(join(dir, 'out'), f))).toEqual([['0', '2'], ['4', '6'], ['8', '10']]);
  });

  it('coalesce(1) turns a split-parallel write into one file; coalesce never adds files', async () => {
    const dir = await tempDir('sluice-coalesce-');
    const input = await manyFiles(dir, 6, 50);
    const frame = () => read.csv(input, { withHeader: true });
    await writeFrame(frame(), { format: 'csv', path: join(dir, 'plain') }, { threads: 2, splitSize: 1024, inlineBelowBytes: 0 });
    expect(parts(await filesUnder(join(dir, 'plain'))).length).toBeGreaterThan(1);
    await writeFrame(frame().coalesce(1), { format: 'csv', path: join(dir, 'one') }, { threads: 2, splitSize: 1024, inlineBelowBytes: 0 });
    const one = parts(await filesUnder(join(dir, 'one')));
    expect(one).toHaveLength(1);
    expect(csvRows(join(dir, 'one'), one[0])).toHaveLength(300);
    await frame().repartition(6).coalesce(4).write.csv(join(dir, 'four'));
    expect(parts(await filesUnder(join(dir, 'four')))).toHaveLength(4);
    await frame().repartition(2).coalesce(4).write.csv(join(dir, 'two'));
    expect(parts(await filesUnder(join(dir, 'two')))).toHaveLength(2);
  });

  it('getNumPartitions(): what repartition/coalesce decided, else the part files a split-parallel write makes, else 1', async () => {
    const small = DataFrame.fromRows(rows(10));
    expect(await small.getNumPartitions()).toBe(1);
    expect(await small.repartition(3).getNumPartitions()).toBe(3);
    expect(await small.repartition(4).filter('id >= 8').withColumns({ x: 'id * 2' }).getNumPartitions()).toBe(4);
    expect(await small.repartition(4).coalesce(2).getNumPartitions()).toBe(2);
    expect(await small.repartition(2).coalesce(4).getNumPartitions()).toBe(2);
    expect(await small.coalesce(3).getNumPartitions()).toBe(1);
    expect(await small.repartition(4).groupBy('k').agg({ n: ['count'] }).getNumPartitions()).toBe(1);

    const dir = await tempDir('sluice-num-partitions-');
    const input = await manyFiles(dir, 6, 50);
    const options = { threads: 2, splitSize: 1024, inlineBelowBytes: 0 };
    const frame = read.csv(input, { withHeader: true }).filter('id > 3');
    const n = await frame.getNumPartitions(options);
    expect(n).toBeGreaterThan(1);
    await writeFrame(frame, { format: 'csv', path: join(dir, 'plain') }, options);
    expect(parts(await filesUnder(join(dir, 'plain')))).toHaveLength(n);
    expect(await frame.getNumPartitions({ parallel: false })).toBe(1);
    expect(await frame.coalesce(1).getNumPartitions(options)).toBe(1);
  });

  it('rejects a partition count that is not a whole number >= 1', () => {
    expect(() => DataFrame.fromRows(rows(1)).repartition(0)).toThrow('Repartition numPartitions must be a whole number >= 1, got 0');
    expect(() => DataFrame.fromRows(rows(1)).coalesce(1.5)).toThrow('Coalesce numPartitions must be a whole number >= 1, got 1.5');
  });

  it('Repartition and Coalesce nodes in job specs', async () => {
    const dir = await tempDir('sluice-repart-spec-');
    const input = await manyFiles(dir, 3, 10);
    const spec = {
      name: 'parts',
      nodes: [
        { id: 'src', type: 'read', format: 'csv', paths: ['${INPUT}'], formatOptions: { withHeader: true } },
        { id: 'spread', type: 'Repartition', input: 'src', numPartitions: 5 },
        { id: 'single', type: 'Coalesce', input: 'src', numPartitions: 1 },
        { id: 'out5', type: 'write', input: 'spread', format: 'csv', path: '${OUT}/five' },
        { id: 'out1', type: 'write', input: 'single', format: 'csv', path: '${OUT}/one' },
      ],
    };
    const summary = await runJobSpec(spec, { INPUT: input, OUT: join(dir, 'out') });
    expect(summary.sinks.map((s) => [s.id, s.rows])).toEqual([['out5', 30], ['out1', 30]]);
    expect(parts(await filesUnder(join(dir, 'out', 'five')))).toHaveLength(5);
    expect(parts(await filesUnder(join(dir, 'out', 'one')))).toHaveLength(1);
  });
});
