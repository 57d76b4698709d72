import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GlueContext } from '../../src/job/GlueContext.js';
import { Job } from '../../src/job/Job.js';
import { getResolvedOptions, parseJobArguments } from '../../src/job/getResolvedOptions.js';
import { BookmarkSession } from '../../src/job/bookmarks/BookmarkSession.js';
import { BookmarkFolder } from '../../src/job/bookmarks/BookmarkFolder.js';
import { DEFAULT_MAX_BAND_MS } from '../../src/job/bookmarks/BookmarkOptions.js';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { ordersSpec, parquetIds, range, writeOrders } from './helpers.js';
import { filesUnder, tempDir } from '../support/files.js';

const ARGV = (dir: string) => ['node', 'job.ts', '--JOB_NAME', 'glue_orders', '--INPUT', join(dir, 'in'), '--OUTPUT', join(dir, 'out'), '--job-bookmark-option', 'job-bookmark-enable'];

/** A Glue-shaped script run in-process: init, a bookmarked read, a write, commit. */
async function glueRun(dir: string, argv = ARGV(dir), schema: Record<string, string> | null = { id: 'int64', grp: 'string', amount: 'int64' }) {
  const args = getResolvedOptions(argv, ['JOB_NAME', 'INPUT', 'OUTPUT']);
  const glueContext = new GlueContext();
  const job = new Job(glueContext, { stateDir: join(dir, 'state') });
  await job.init(args.JOB_NAME, { ...args, 'job-bookmark-option': parseJobArguments(argv)['job-bookmark-option'] });
  const orders = glueContext.createDynamicFrame.fromOptions({
    connectionType: 'file', connectionOptions: { paths: [args.INPUT] }, format: 'csv',
    formatOptions: { withHeader: true }, transformationCtx: 'orders', ...(schema ? { schema } : {}),
  });
  await glueContext.writeDynamicFrame.fromOptions({ frame: orders, connectionType: 'file', connectionOptions: { path: args.OUTPUT }, format: 'parquet', transformationCtx: 'sink' });
  return job.commit();
}

describe('bookmarks through GlueContext and Job', () => {
  it('reads only new files on the next run; a run with none writes nothing, with the remembered schema', async () => {
    const dir = await tempDir();
    await writeOrders(join(dir, 'in', 'a.csv'), [1, 2]);
    const first = await glueRun(dir, undefined, null);
    expect(first.bookmark).toMatchObject({ status: 'succeeded', files: 1, rows: 2, version: 1, attempt: 1, option: 'enable' });
    expect(first).toMatchObject({ name: 'glue_orders', rows: 2 });
    await writeOrders(join(dir, 'in', 'b.csv'), [3]);
    expect((await glueRun(dir, undefined, null)).bookmark).toMatchObject({ files: 1, rows: 1 });
    // No new file and no schema given: the empty frame takes the schema the bookmark remembers.
    expect((await glueRun(dir, undefined, null)).bookmark).toMatchObject({ files: 0, rows: 0 });
    expect(await parquetIds(join(dir, 'out'))).toEqual([1, 2, 3]);
  });

  it('says what to do when a source has no new files and no schema is known', async () => {
    const dir = await tempDir();
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'in'));
    const job = new Job(new GlueContext(), { stateDir: join(dir, 'state') });
    await job.init('glue_orders', { 'job-bookmark-option': 'job-bookmark-enable' });
    const read = () => job.glueContext.createDynamicFrame.fromOptions({ connectionType: 'file', connectionOptions: { paths: [join(dir, 'in')] }, format: 'csv', transformationCtx: 'orders' });
    expect(read).toThrow("source 'orders': no new files to read and no schema known yet, so the empty result has no columns; give the read a schema");
    // Until the failed run ends, its lock stands; job.abort() ends it and the next run is attempt 2.
    await expect(glueRun(dir)).rejects.toThrow("job 'glue_orders' is already running");
    await job.abort(new Error('no schema'));
    await writeOrders(join(dir, 'in', 'a.csv'), [1]);
    expect((await glueRun(dir)).bookmark).toMatchObject({ files: 1, attempt: 2 });
  });

  it('reads everything and keeps no state when bookmarks are disabled (the default)', async () => {
    const dir = await tempDir();
    await writeOrders(join(dir, 'in', 'a.csv'), [1]);
    const argv = ARGV(dir).slice(0, -2);
    const summary = await glueRun(dir, argv);
    expect(summary.bookmark).toBeUndefined();
    await glueRun(dir, argv);
    expect(await parquetIds(join(dir, 'out'))).toEqual([1, 1]);
    expect(await filesUnder(join(dir, 'state'))).toEqual([]);
  });

  it("lets getResolvedOptions and parseJobArguments take Glue's bookmark arguments", () => {
    const argv = ['node', 'job.ts', '--JOB_NAME', 'j', '--job-bookmark-option', 'job-bookmark-pause', '--job-bookmark-from', 'jr_1', '--job-bookmark-to=jr_2'];
    expect(getResolvedOptions(argv, ['JOB_NAME'])).toEqual({ JOB_NAME: 'j' });
    expect(getResolvedOptions(argv, ['JOB_NAME', 'job-bookmark-option'])).toEqual({ JOB_NAME: 'j', 'job-bookmark-option': 'job-bookmark-pause' });
    expect(parseJobArguments(argv)).toEqual({ JOB_NAME: 'j', 'job-bookmark-option': 'job-bookmark-pause', 'job-bookmark-from': 'jr_1', 'job-bookmark-to': 'jr_2' });
    expect(() => new Job(new GlueContext()).init('j', { 'job-bookmark-option': 'on' })).toThrow("job 'j': --job-bookmark-option: unknown bookmark option 'on'; use job-bookmark-enable, job-bookmark-disable, job-bookmark-pause");
    expect(DEFAULT_MAX_BAND_MS).toBe(900_000);
  });
});

describe('one run at a time', () => {
  const settings = { mode: 'enable' as const, maxBandMs: DEFAULT_MAX_BAND_MS };

  it('refuses a second run while the first holds the lock, and takes a lock whose process is gone', async () => {
    const dir = await tempDir();
    await writeOrders(join(dir, 'in', 'a.csv'), [1]);
    const spec = ordersSpec(dir);
    const options = { bookmarks: { option: 'enable', stateDir: join(dir, 'state') } };
    const store = new BookmarkFolder(join(dir, 'state'));
    const holder = await BookmarkSession.open({ job: 'orders', store, settings });
    await expect(runJobSpec(spec, {}, options)).rejects.toThrow(new RegExp(`job 'orders' is already running: run ${holder.runId} \\(pid ${process.pid} on .*\\); a job runs once at a time`));
    await holder.abort(new Error('test over'));

    // A lock left by a process that has exited is stale; one held by a live process is not.
    const lockPath = join(dir, 'state', 'orders', 'lock');
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
    await writeFile(lockPath, JSON.stringify({ pid: live.pid, host: hostname(), runId: 'jr_live', startedAt: new Date().toISOString() }));
    await expect(runJobSpec(spec, {}, options)).rejects.toThrow(`run jr_live (pid ${live.pid}`);
    live.kill('SIGKILL');
    await new Promise((r) => live.once('exit', r));
    const summary = await runJobSpec(spec, {}, options);
    expect(summary.bookmark).toMatchObject({ files: 1, status: 'succeeded' });
  });

  it('fails the commit of a run whose bookmark changed under it, and publishes none of its output', async () => {
    const dir = await tempDir();
    await writeOrders(join(dir, 'in', 'a.csv'), range(1, 3));
    const store = new BookmarkFolder(join(dir, 'state'));
    const first = await BookmarkSession.open({ job: 'orders', store, settings });
    const frame = first.source({ format: 'csv', paths: [join(dir, 'in')], formatOptions: { withHeader: true }, transformationCtx: 'orders' });
    await first.write(frame, { format: 'parquet', path: join(dir, 'out') });
    // Someone breaks the lock by hand and a second run commits first.
    const { rm } = await import('node:fs/promises');
    await rm(join(dir, 'state', 'orders', 'lock'));
    const second = await BookmarkSession.open({ job: 'orders', store, settings });
    await second.commit(0);
    await expect(first.commit(3)).rejects.toThrow(/the bookmark of job 'orders' changed under this run \(revision \d+ expected, \d+ found .*\): another run, reset or rewind committed first/);
    expect((await filesUnder(join(dir, 'out'))).filter((f) => !f.startsWith('.sluice-staging'))).toEqual([]);
    expect(await filesUnder(join(dir, 'out'))).toEqual([]);
    const state = JSON.parse(await readFile(join(dir, 'state', 'orders', 'state.json'), 'utf8'));
    // The second run took the first for dead (its lock was gone) and marked it failed.
    expect(state.runs.map((r: { status: string }) => r.status)).toEqual(['failed', 'succeeded']);
  });
});
