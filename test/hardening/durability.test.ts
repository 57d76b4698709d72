import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, unlinkSync } from 'node:fs';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { runSluice, sluiceOk } from '../support/cli.js';
import { duck } from '../support/duck.js';
import { filesUnder, REPO, tempDir } from '../support/files.js';
import { duckIds, ids, sorted, stagedUnder, twoSinkSpec, writeIds } from './writeHelpers.js';

describe('staged files are invisible to other readers (item 10)', () => {
  it('a killed write leaves its staged rows where DuckDB and sluice do not look; the next write removes them', async () => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    await writeIds(join(dir, 'old.csv'), ids(1, 3));
    await writeIds(join(dir, 'new.csv'), ids(100, 5));
    await sluiceOk(['convert', join(dir, 'old.csv'), out]);
    // Killed with every part file staged, before the commit point.
    const crashed = await runSluice(['convert', join(dir, 'new.csv'), out, '--mode', 'overwrite'], { SLUICE_CRASH_AT: 'after-stage-sink-1' });
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    expect((await stagedUnder(out)).some((f) => f.endsWith('.parquet'))).toBe(true);
    expect(await filesUnder(out)).toEqual(['_SUCCESS', expect.stringMatching(/^part-00000-.*\.parquet$/)]);
    expect(await duckIds(out)).toEqual(ids(1, 3));
    expect(sorted((await read.parquet(out).toRows()).map((r) => Number(r.id)))).toEqual(ids(1, 3));
    // The next write to the output (any run, no bookmarks) removes the dead run's staging.
    await sluiceOk(['convert', join(dir, 'new.csv'), out, '--mode', 'append']);
    expect(await stagedUnder(out)).toEqual([]);
    expect(await duckIds(out)).toEqual([...ids(1, 3), ...ids(100, 5)]);
  }, 60_000);
});

describe('one writer per output (item 8)', () => {
  it('a second overwrite while the first runs is refused, naming the lock; the output holds the rows once', async () => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    await writeIds(join(dir, 'in.csv'), ids(1, 50));
    // The first writer pauses at each commit step (the throttle hook): the second starts meanwhile.
    const first = spawn(process.execPath, ['--import', 'tsx', `${REPO}/src/cli/main.ts`, 'convert', join(dir, 'in.csv'), out, '--mode', 'overwrite'], {
      cwd: REPO, env: { ...process.env, SLUICE_CRASH_THROTTLE_MS: '1500' }, stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => first.on('close', resolve));
    await new Promise<void>((resolve) => {
      let stderr = '';
      first.stderr!.setEncoding('utf8').on('data', (d: string) => {
        stderr += d;
        if (stderr.includes('sluice-crash-point after-stage-sink-1')) resolve();
      });
    });
    const second = await runSluice(['convert', join(dir, 'in.csv'), out, '--mode', 'overwrite']);
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/A write to .*out is already running: run .*one write to an output path runs at a time.*delete .*lock\.json/s);
    expect(await exited).toBe(0);
    expect(await duckIds(out)).toEqual(ids(1, 50));
  }, 60_000);

  it('a job whose second sink fails publishes neither sink, so its retry writes each row once', async () => {
    const dir = await tempDir();
    await writeIds(join(dir, 'in', 'a.csv'), ids(1, 4));
    await writeIds(join(dir, 'seed.csv'), [99]);
    await sluiceOk(['convert', join(dir, 'seed.csv'), join(dir, 'out-b')]);
    const spec = twoSinkSpec(dir, 'append', 'error'); // sink b refuses: out-b holds data
    await expect(runJobSpec(spec)).rejects.toThrow(/out-b already holds data/);
    expect(await filesUnder(join(dir, 'out-a'))).toEqual([]);
    expect(await duckIds(join(dir, 'out-b'))).toEqual([99]);
    await runJobSpec(twoSinkSpec(dir, 'append', 'overwrite'));
    expect(await duckIds(join(dir, 'out-a'))).toEqual(ids(1, 4));
    expect(await duckIds(join(dir, 'out-b'))).toEqual(ids(1, 4));
  });

  it('two sinks on one path (or one inside the other) are refused before anything runs', async () => {
    const dir = await tempDir();
    await writeIds(join(dir, 'in', 'a.csv'), ids(1, 4));
    const spec = twoSinkSpec(dir);
    spec.nodes[2].path = join(dir, 'out-a');
    await expect(runJobSpec(spec)).rejects.toThrow(/Sinks 'a' and 'b' write overlapping paths/);
    spec.nodes[2].path = join(dir, 'out-a', 'nested');
    await expect(runJobSpec(spec)).rejects.toThrow(/Sinks 'a' and 'b' write overlapping paths/);
    expect(existsSync(join(dir, 'out-a'))).toBe(false);
  });
});

describe('inputs and outputs may not overlap (item 9)', () => {
  it('convert refuses an output inside its input folder, and an input inside the output it overwrites, naming both', async () => {
    const dir = await tempDir();
    const input = join(dir, 'in');
    await writeIds(join(input, 'a.csv'), ids(1, 3));
    const inside = await runSluice(['convert', input, join(input, 'out'), '--to', 'csv']);
    expect(inside.code).not.toBe(0);
    expect(inside.stderr).toContain(`sluice convert reads ${input} and writes ${join(input, 'out')}: the paths overlap`);
    expect(await filesUnder(input)).toEqual(['a.csv']);
    const over = await runSluice(['convert', join(input, 'a.csv'), input, '--mode', 'overwrite', '--to', 'csv']);
    expect(over.code).not.toBe(0);
    expect(over.stderr).toMatch(/the paths overlap/);
    expect(await filesUnder(input)).toEqual(['a.csv']);
  }, 60_000);

  it('a frame write (GlueContext, the API) and a job spec refuse to write where the frame reads', async () => {
    const dir = await tempDir();
    const input = join(dir, 'in');
    await writeIds(join(input, 'a.csv'), ids(1, 3));
    const frame = read.csv(join(input, '**/*.csv'), { withHeader: true });
    await expect(frame.write.csv(join(input, 'copy'), { mode: 'overwrite' })).rejects.toThrow(/reads .*in\/\*\*\/\*\.csv and writes .*in\/copy: the paths overlap/);
    // A single-level glob cannot read a sub-folder's files: that write is allowed.
    await expect(read.csv(join(input, '*.csv'), { withHeader: true }).write.csv(join(dir, 'elsewhere'))).resolves.toMatchObject({ rows: 3 });
    const spec = twoSinkSpec(dir);
    spec.nodes[1].path = join(dir, 'in', 'lake');
    await expect(runJobSpec(spec)).rejects.toThrow(/Sink 'a' reads .* and writes .*in\/lake: the paths overlap/);
    expect(await filesUnder(input)).toEqual(['a.csv']);
  });
});

describe('partition column names (item 11)', () => {
  it.each(['.p', '_q'])('a partition column named %s is refused before anything is written', async (name) => {
    const dir = await tempDir();
    await writeFile(join(dir, 'in.csv'), `id,${name}\n1,x\n2,y\n`);
    const out = join(dir, 'out');
    await expect(read.csv(join(dir, 'in.csv'), { withHeader: true }).write.parquet(out, { partitionKeys: [name] }))
      .rejects.toThrow(new RegExp(`Partition column '\\${name}' cannot name a folder`));
    const cli = await runSluice(['convert', join(dir, 'in.csv'), out, '--partition-by', name]);
    expect(cli.stderr).toMatch(/cannot name a folder/);
    expect(await filesUnder(out)).toEqual([]);
  }, 60_000);
});

describe('an input that changes while it is read (item 12)', () => {
  it('a CSV cut mid-line while a write reads it fails, naming the file, and publishes nothing', async () => {
    const dir = await tempDir();
    const path = join(dir, 'big.csv');
    await writeIds(path, ids(1, 200_000));
    const frame = read.csv(path, { withHeader: true, schema: { id: 'int64', grp: 'string' }, batchSize: 1000 });
    const { chunks } = await frame.stream();
    const iterator = chunks[Symbol.asyncIterator]();
    await iterator.next(); // the read has begun
    const handle = await open(path, 'r+');
    await handle.truncate(1_000_003); // mid-line: the last line left has no newline
    await handle.close();
    const drain = async () => {
      for (let r = await iterator.next(); !r.done; r = await iterator.next());
    };
    await expect(drain()).rejects.toThrow(`Input ${path} changed while it was read: its size went from`);
  });

  it('a file deleted or appended to during a write fails it; the output stays empty', async () => {
    const dir = await tempDir();
    for (const change of ['append', 'delete'] as const) {
      const path = join(dir, `${change}.csv`);
      await writeIds(path, ids(1, 50_000));
      const out = join(dir, `out-${change}`);
      let changed = false;
      const frame = read.csv(path, { withHeader: true, schema: { id: 'int64', grp: 'string' }, batchSize: 1000 }).filter((row) => {
        if (!changed) {
          changed = true;
          // Synchronous, inside the read: the file changes after its first batch.
          if (change === 'append') appendFileSync(path, '999999,odd\n');
          else unlinkSync(path);
        }
        return row.id !== undefined;
      });
      await expect(frame.write.parquet(out)).rejects.toThrow(change === 'append' ? /changed while it was read: its size went/ : /changed while it was read: it was deleted/);
      expect(await filesUnder(out)).toEqual([]);
    }
  });
});

describe('DuckDB reads dot-folders under a globbed folder (why staging sits beside the output)', () => {
  it('read_parquet over out/**/*.parquet matches out/.hidden and out/_temporary alike', async () => {
    const dir = await tempDir();
    const out = join(dir, 'out');
    for (const sub of ['x', '.hidden', '_temporary/run']) {
      await mkdir(join(out, sub), { recursive: true });
      await duck(`COPY (SELECT 1 AS id) TO '${join(out, sub, 'part.parquet')}' (FORMAT parquet)`);
    }
    const rows = await duck(`SELECT filename FROM read_parquet('${out}/**/*.parquet', filename = true)`);
    expect(rows.map((r) => String(r.filename).slice(out.length + 1)).sort()).toEqual(['.hidden/part.parquet', '_temporary/run/part.parquet', 'x/part.parquet']);
  });
});
