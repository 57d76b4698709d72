import { stagingRootOf } from '../../src/io/store/stagingFolder.js';
import { existsSync, readdirSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeJson } from '../job/helpers.js';
import { duck } from '../support/duck.js';
import { startSluice, type CliResult } from '../support/cli.js';
import { filesUnder, tempDir } from '../support/files.js';

/**
 * Runs the CLI from source in a child process with `env` added. `interruptWhen`, checked every
 * 10 ms while the child runs, sends it SIGINT (as Ctrl-C does) the first time it returns true.
 */
async function sluice(args: string[], env: Record<string, string> = {}, interruptWhen?: () => boolean): Promise<CliResult & { interrupted: boolean }> {
  const { child, result } = startSluice(args, env);
  let interrupted = false;
  const watch = interruptWhen && setInterval(() => {
    if (!interrupted && interruptWhen()) {
      interrupted = true;
      child.kill('SIGINT');
    }
  }, 10);
  try {
    return { ...(await result), interrupted };
  } finally {
    if (watch) clearInterval(watch);
  }
}

/** CSV orders id,customer,amount,country: `count` rows from `first` on. */
function ordersCsv(first: number, count: number): string {
  const lines = ['id,customer,amount,country'];
  for (let id = first; id < first + count; id++) lines.push(`${id},${(id * 7919) % 500},${(id % 1000) / 4},${['FR', 'DE', 'IT', 'ES'][id % 4]}`);
  return lines.join('\n') + '\n';
}

const SCHEMA = JSON.stringify({ id: 'int64', customer: 'int32', amount: 'float64', country: 'string' });

/** Files under a staging folder of `out`, now. */
const staged = (out: string) =>
  existsSync(stagingRootOf(out)) ? readdirSync(stagingRootOf(out), { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.startsWith('part-')) : [];

const ids = async (out: string) => (await duck(`SELECT id::INTEGER AS id FROM read_parquet('${out}/**/*.parquet') ORDER BY id`)).map((r) => Number(r.id));
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

/** Many small splits on two threads: a job of a few MB runs long enough, split by split, to be interrupted mid-way. */
const MANY_SPLITS = { SLUICE_THREADS: '2', SLUICE_SPLIT_SIZE: '8192', SLUICE_INLINE_BELOW: '1' };

describe('Ctrl-C (SIGINT) cancels a running job: nothing published, a failed exit', { timeout: 180_000 }, () => {
  it.concurrent.each([['convert'], ['run']])('sluice %s', async (verb) => {
    const dir = await tempDir('sluice-cli-sigint-');
    const input = join(dir, 'orders.csv');
    await writeFile(input, ordersCsv(1, 120_000));
    const out = join(dir, 'out');
    const args = verb === 'convert'
      ? ['convert', input, out, '--to', 'parquet', '--schema', SCHEMA]
      : ['run', await writeJson(join(dir, 'job.json'), {
        name: 'orders',
        nodes: [
          { id: 'orders', type: 'read', format: 'csv', paths: [input], formatOptions: { withHeader: true }, schema: JSON.parse(SCHEMA) },
          { id: 'lake', type: 'write', input: 'orders', format: 'parquet', path: out },
        ],
      })];
    let stagedWhenInterrupted = 0;
    // Interrupted once its first part file is staged: mid-run, whatever the machine's speed.
    const r = await sluice(args, MANY_SPLITS, () => (stagedWhenInterrupted = staged(out).length) > 0);
    expect(r.interrupted).toBe(true);
    expect(stagedWhenInterrupted).toBeGreaterThan(0);
    expect(r.signal).toBeNull(); // it handled the signal itself...
    expect(r.code, r.stderr).toBe(1); // ...and failed
    expect(r.stderr).toContain('sluice: cancelled (Ctrl-C): no output was published');
    expect(await filesUnder(out)).toEqual([]);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});

describe('sluice convert --mode', { timeout: 180_000 }, () => {
  it('error (the default) refuses a folder that holds data; append adds; overwrite replaces', async () => {
    const dir = await tempDir('sluice-cli-mode-');
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    const c = join(dir, 'c.csv');
    await writeFile(a, ordersCsv(1, 5));
    await writeFile(b, ordersCsv(101, 3));
    await writeFile(c, ordersCsv(201, 2));
    const out = join(dir, 'out');
    const convert = (input: string, ...more: string[]) => sluice(['convert', input, out, '--to', 'parquet', '--schema', SCHEMA, ...more]);
    const parts = async () => (await filesUnder(out)).filter((f) => f.endsWith('.parquet'));

    expect((await convert(a)).code).toBe(0);
    expect(await ids(out)).toEqual(range(1, 5));
    const first = await parts();
    expect(first).toHaveLength(1);

    for (const mode of [[], ['--mode', 'error']]) {
      const refused = await convert(b, ...mode);
      expect(refused.code, mode.join(' ')).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`^sluice: .*${out.replaceAll('/', '\\/')}.*already`, 'm'));
      expect(await parts()).toEqual(first); // untouched
    }

    expect((await convert(b, '--mode', 'append')).code).toBe(0);
    expect(await ids(out)).toEqual([...range(1, 5), ...range(101, 3)]);
    const appended = await parts();
    expect(appended).toHaveLength(2);
    expect(appended).toEqual(expect.arrayContaining(first));

    expect((await convert(c, '--mode', 'overwrite')).code).toBe(0);
    expect(await ids(out)).toEqual(range(201, 2));
    const overwritten = await parts();
    expect(overwritten).toHaveLength(1);
    expect(overwritten.filter((f) => appended.includes(f))).toEqual([]);
    expect((await filesUnder(out)).filter((f) => !f.endsWith('.parquet'))).toEqual(['_SUCCESS']);

    const bad = await convert(c, '--mode', 'replace');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--mode.*replace/);
    expect(await parts()).toEqual(overwritten);
  });
});

describe('SLUICE_THREADS, SLUICE_SPLIT_SIZE and SLUICE_INLINE_BELOW', { timeout: 180_000 }, () => {
  it('decide whether and into how many splits a run is cut (--metrics-json), with the same rows', async () => {
    const dir = await tempDir('sluice-cli-settings-');
    const input = join(dir, 'orders.csv');
    await writeFile(input, ordersCsv(1, 6000));
    const size = (await stat(input)).size;
    const job = await writeJson(join(dir, 'job.json'), {
      name: 'orders',
      nodes: [
        { id: 'orders', type: 'read', format: 'csv', paths: [input], formatOptions: { withHeader: true }, schema: JSON.parse(SCHEMA) },
        { id: 'lake', type: 'write', input: 'orders', format: 'parquet', path: '${OUT}' },
      ],
    });
    const cases = {
      oneThread: { SLUICE_THREADS: '1', SLUICE_SPLIT_SIZE: '8192', SLUICE_INLINE_BELOW: '1' },
      twoThreads: { SLUICE_THREADS: '2', SLUICE_SPLIT_SIZE: '8192', SLUICE_INLINE_BELOW: '1' },
      biggerSplits: { SLUICE_THREADS: '2', SLUICE_SPLIT_SIZE: '32768', SLUICE_INLINE_BELOW: '1' },
      inlineBelow: { SLUICE_THREADS: '2', SLUICE_SPLIT_SIZE: '8192', SLUICE_INLINE_BELOW: String(size + 1) },
      justAbove: { SLUICE_THREADS: '2', SLUICE_SPLIT_SIZE: '8192', SLUICE_INLINE_BELOW: String(size) },
    };
    const runs = await Promise.all(Object.entries(cases).map(async ([name, env]) => {
      const out = join(dir, name);
      const r = await sluice(['run', job, '--OUT', out, '--metrics-json'], env);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      const metrics = JSON.parse(r.stdout.trimEnd().split('\n').at(-1)!) as { splits: number; files: number; rows: number };
      expect(await ids(out), name).toEqual(range(1, 6000));
      return [name, { splits: metrics.splits, files: metrics.files, rows: metrics.rows }] as const;
    }));
    const per = Math.ceil(size / 8192);
    expect(per).toBeGreaterThan(10);
    // One part file per split when split; one file when run inline.
    expect(Object.fromEntries(runs)).toEqual({
      oneThread: { splits: 0, files: 1, rows: 6000 },
      twoThreads: { splits: per, files: per, rows: 6000 },
      biggerSplits: { splits: Math.ceil(size / 32768), files: Math.ceil(size / 32768), rows: 6000 },
      inlineBelow: { splits: 0, files: 1, rows: 6000 },
      justAbove: { splits: per, files: per, rows: 6000 },
    });
  });

  it.concurrent.each([
    ['SLUICE_THREADS', 'none', "SLUICE_THREADS must be a whole number >= 1, got 'none'"],
    ['SLUICE_SPLIT_SIZE', '0', "SLUICE_SPLIT_SIZE must be a whole number of bytes, got '0'"],
    ['SLUICE_INLINE_BELOW', '1.5', "SLUICE_INLINE_BELOW must be a whole number of bytes, got '1.5'"],
  ])('an invalid %s=%s fails the run, naming it, and writes nothing', async (name, value, message) => {
    const dir = await tempDir('sluice-cli-settings-');
    const input = join(dir, 'orders.csv');
    await writeFile(input, ordersCsv(1, 10));
    const out = join(dir, 'out');
    const r = await sluice(['convert', input, out, '--to', 'parquet'], { SLUICE_THREADS: '2', [name]: value });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(existsSync(out)).toBe(false);
  });
});
