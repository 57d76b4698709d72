import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { CRASH_POINTS } from '../../src/job/bookmarks/crashPoint.js';
import { BookmarkSession } from '../../src/job/bookmarks/BookmarkSession.js';
import { DEFAULT_MAX_BAND_MS } from '../../src/job/bookmarks/BookmarkOptions.js';
import type { BookmarkState } from '../../src/job/bookmarks/BookmarkState.js';
import { BookmarkFolder } from '../../src/job/bookmarks/BookmarkFolder.js';
import { advanceBookmark, isRead } from '../../src/job/bookmarks/selectFiles.js';
import { storeFor } from '../../src/io/store/storeFor.js';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { killPlan, lastPoint, seededRandom, THROTTLE_MS } from '../bookmarks/randomKills.js';
import { BUCKET, startS3rver, useS3rver, type RunningS3rver } from './s3rver.js';
import { runSluice } from '../support/cli.js';
import { tempDir } from '../support/files.js';

let server: RunningS3rver;
beforeAll(async () => {
  server = await startS3rver();
  useS3rver(server, { maxKeys: 2 }); // several listing pages even for a few objects
});
afterAll(() => server?.stop());

const s3 = (key: string) => `s3://${BUCKET}/${key}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function putOrders(key: string, ids: number[]): Promise<void> {
  const lines = ['id,grp,amount', ...ids.map((id) => `${id},${id % 2 === 0 ? 'even' : 'odd'},${id * 10}`)];
  await (await storeFor(s3(key))).put(s3(key), lines.join('\n') + '\n');
}

/** Every key under a prefix, relative to it, sorted. */
async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of (await storeFor(s3(prefix))).list(s3(prefix))) keys.push(object.path.slice(s3(prefix).length + 1));
  return keys.sort();
}

/** A bookmarked job entirely on S3: input prefix, two outputs (parquet partitioned by grp, CSV) and the state. */
function s3OrdersSpec(base: string) {
  return {
    name: 'orders',
    bookmarks: { option: 'enable', stateDir: s3(`${base}/state`) },
    nodes: [
      { id: 'orders', type: 'read', format: 'csv', paths: [s3(`${base}/in/`)], formatOptions: { withHeader: true }, schema: { id: 'int64', grp: 'string', amount: 'int64' } },
      { id: 'lake', type: 'write', input: 'orders', format: 'parquet', path: s3(`${base}/lake`), partitionKeys: ['grp'] },
      { id: 'copy', type: 'write', input: 'orders', format: 'csv', path: s3(`${base}/copy`) },
    ],
  };
}

const ids = async (frame: { toRows(): Promise<Record<string, unknown>[]> }) => (await frame.toRows()).map((r) => Number(r.id)).sort((a, b) => a - b);

const wholeRows = async (frame: { toRows(): Promise<Record<string, unknown>[]> }) =>
  (await frame.toRows()).map((r) => ({ id: Number(r.id), grp: String(r.grp), amount: Number(r.amount) })).sort((a, b) => a.id - b.id);

/** Both outputs hold exactly `expected` once, with `_SUCCESS` and nothing staged; the state is at rest. */
async function expectCleanOutput(base: string, expected: number[]): Promise<BookmarkState> {
  // Whole rows, row for row: grp from the id's parity (a partition on the lake), amount = id × 10.
  const want = expected.map((id) => ({ id, grp: id % 2 === 0 ? 'even' : 'odd', amount: id * 10 }));
  expect(await wholeRows(read.parquet(s3(`${base}/lake`)))).toEqual(want);
  expect(await wholeRows(read.csv(s3(`${base}/copy`), { withHeader: true, schema: { id: 'int64', grp: 'string', amount: 'int64' } }))).toEqual(want);
  for (const out of ['lake', 'copy']) {
    const keys = await keysUnder(`${base}/${out}`);
    expect(await keysUnder(`${base}/.${out}.sluice-staging`)).toEqual([]); // staged beside the output: none left
    expect(keys).toContain('_SUCCESS');
  }
  const state = (await new BookmarkFolder(s3(`${base}/state`)).read('orders'))!;
  expect(state.pending).toBeUndefined();
  expect(state.runs.filter((r) => r.status === 'running')).toEqual([]);
  return state;
}

describe('bookmarks on S3 inputs, with S3 outputs and state', () => {
  it('reads only new objects on a rerun, and a rewritten object again', async () => {
    const spec = s3OrdersSpec('inc');
    await putOrders('inc/in/a.csv', range(1, 4));
    await putOrders('inc/in/_ignored/x.csv', [99]);
    const first = await runJobSpec(spec);
    // rows counts what both sinks wrote
    expect(first.bookmark).toMatchObject({ status: 'succeeded', files: 1, rows: 8 });
    await expectCleanOutput('inc', range(1, 4));

    await putOrders('inc/in/b.csv', range(21, 23));
    const second = await runJobSpec(spec);
    expect(second.bookmark).toMatchObject({ files: 1, rows: 6 });
    await expectCleanOutput('inc', [...range(1, 4), ...range(21, 23)]);

    // Rewritten with the same size: read again (whole, as Glue does), a.csv's old rows stay.
    await putOrders('inc/in/a.csv', range(5, 8));
    const third = await runJobSpec(spec);
    expect(third.bookmark).toMatchObject({ files: 1, rows: 8 });
    await expectCleanOutput('inc', [...range(1, 8), ...range(21, 23)]);

    expect((await runJobSpec(spec)).bookmark).toMatchObject({ files: 0, rows: 0 });
    const state = await new BookmarkFolder(s3('inc/state')).read('orders');
    const tracked = state!.sources.orders.files;
    expect(tracked.map((f) => f.path)).toEqual([s3('inc/in/a.csv'), s3('inc/in/b.csv')]);
    expect(tracked.every((f) => typeof f.etag === 'string' && f.etag.length > 0)).toBe(true);
  });

  it('keeps partition columns of an s3:// folder source, and overwrite replaces the old objects', async () => {
    await putOrders('part/in/day=1/a.csv', [1, 2]);
    const store = new BookmarkFolder(s3('part/state'));
    const settings = { mode: 'enable' as const, maxBandMs: DEFAULT_MAX_BAND_MS };
    const source = { format: 'csv', paths: [s3('part/in')], formatOptions: { withHeader: true }, transformationCtx: 'in' };
    await putOrders('part/out/old.csv', [42]);

    const session = await BookmarkSession.open({ job: 'part', store, settings });
    await session.listSource(source);
    const frame = session.source(source);
    expect((await frame.toRows()).map((r) => [Number(r.id), Number(r.day)])).toEqual([[1, 1], [2, 1]]);
    const written = await session.write(frame, { format: 'csv', path: s3('part/out'), mode: 'overwrite' });
    expect((await keysUnder('part/.out.sluice-staging')).filter((k) => k.includes('/part-')).length).toBe(written.files.length);
    expect(await keysUnder('part/out')).toContain('old.csv'); // nothing published before the commit
    await session.commit(written.rows);
    expect((await keysUnder('part/out')).filter((k) => !k.startsWith('part-'))).toEqual(['_SUCCESS']);
    expect(await ids(read.csv(s3('part/out'), { withHeader: true }))).toEqual([1, 2]);
  });

  it('an aborted run removes what it staged in the bucket', async () => {
    await putOrders('abort/in/a.csv', [1]);
    const store = new BookmarkFolder(s3('abort/state'));
    const session = await BookmarkSession.open({ job: 'abort', store, settings: { mode: 'enable', maxBandMs: DEFAULT_MAX_BAND_MS } });
    const source = { format: 'csv', paths: [s3('abort/in/a.csv')], formatOptions: { withHeader: true }, transformationCtx: 'in' };
    await session.listSource(source);
    await session.write(session.source(source), { format: 'csv', path: s3('abort/out') });
    expect((await keysUnder('abort/.out.sluice-staging')).some((k) => k.includes('/part-'))).toBe(true);
    await session.abort(new Error('test abort'));
    expect(await keysUnder('abort/out')).toEqual([]);
    expect((await store.read('abort'))?.runs.map((r) => r.status)).toEqual(['failed']);
  });
});

describe('isRead on S3 objects', () => {
  it('tells a rewrite apart by ETag when size and LastModified (whole seconds) are the same', () => {
    const tracked = { path: s3('x/a.csv'), size: 10, mtimeMs: 1_700_000_000_000, etag: '"aaa"' };
    const bookmark = { highWaterMs: 0, files: [tracked] };
    expect(isRead(bookmark, { ...tracked })).toBe(true);
    expect(isRead(bookmark, { ...tracked, etag: '"bbb"' })).toBe(false);
    const listed = { ...tracked, root: s3('x') }; // a listing's extra fields stay out of the bookmark
    expect(advanceBookmark(undefined, [listed], tracked.mtimeMs, 1000).files).toEqual([tracked]);
  });
});

/** Points after which the run has committed: the next run (any machine) finishes publishing. */
const COMMITTED = new Set(['after-manifest', 'mid-rename', 'after-renames', 'before-state-write', 'after-state-write']);
/** Points at which the killed run had objects staged under the staging beside the lake (`.lake.sluice-staging/`). */
const STAGED = new Set(['after-stage-sink-1', 'after-stage-sink-2', 'before-manifest', 'after-manifest']);

describe('a run on S3 killed with SIGKILL is finished or undone by the next run', () => {
  it.concurrent.each(CRASH_POINTS.map((p) => [p]))('killed at %s', async (point) => {
    const base = `crash-${point}`;
    const dir = await tempDir();
    const specFile = join(dir, 'orders.json');
    await writeFile(specFile, JSON.stringify(s3OrdersSpec(base)));
    await putOrders(`${base}/in/a.csv`, range(1, 4));
    await runJobSpec(specFile); // a clean first run
    await putOrders(`${base}/in/b.csv`, range(5, 9));

    const crashed = await runSluice(['run', specFile], { SLUICE_CRASH_AT: point });
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    // What the kill left in the bucket: staged objects until the renames finish, a state not at rest.
    const staged = (await keysUnder(`${base}/.lake.sluice-staging`)).filter((k) => k.includes('/part-'));
    // Killed mid-rename, the renames in flight with the first (up to 16 at once) may all have landed.
    if (point !== 'mid-rename') expect(staged.length > 0, staged.join(', ')).toBe(STAGED.has(point));
    const left = (await new BookmarkFolder(s3(`${base}/state`)).read('orders'))!;
    expect(left.runs.at(-1)!.status).toBe(COMMITTED.has(point) ? 'succeeded' : 'running');
    expect(left.pending !== undefined).toBe(COMMITTED.has(point) && point !== 'after-state-write');

    const next = await runJobSpec(specFile);
    // Before the commit point the killed run never happened: the next one reads b.csv again.
    expect(next.bookmark!.files).toBe(COMMITTED.has(point) ? 0 : 1);
    const state = await expectCleanOutput(base, range(1, 9));
    expect(state.runs[1].status).toBe(COMMITTED.has(point) ? 'succeeded' : 'failed');
    expect(state.runs[1].error).toEqual(COMMITTED.has(point) ? undefined : expect.stringMatching(/ended before its commit/));
    expect((await runJobSpec(specFile)).bookmark).toMatchObject({ files: 0, rows: 0 });
  }, 90_000);
});

describe('a run on S3 killed at random moments', () => {
  it('whatever the moment, the next run leaves the bucket as a clean run would, row for row', async () => {
    const base = 'random-kills';
    const dir = await tempDir();
    const specFile = join(dir, 'orders.json');
    await writeFile(specFile, JSON.stringify(s3OrdersSpec(base)));
    await putOrders(`${base}/in/a.csv`, range(1, 4));
    await runJobSpec(specFile);
    // Kill moments as in test/bookmarks/crash.test.ts (randomKills.ts): inside the run on any machine.
    const random = seededRandom();
    const ROUNDS = 6;
    const ids = range(1, 4);
    const outcomes: string[] = [];
    let killed = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const more = range(1000 * (round + 1), 1000 * (round + 1) + 199);
      await putOrders(`${base}/in/r${round}.csv`, more);
      ids.push(...more);
      const plan = killPlan(round, random);
      const child = await runSluice(['run', specFile], { SLUICE_CRASH_THROTTLE_MS: String(THROTTLE_MS) }, plan.killWhen);
      if (child.signal === 'SIGKILL') killed++;
      else expect(child.code, child.stderr).toBe(0);
      outcomes.push(`round ${round}: ${plan.delay} ms after ${plan.anchor}, ${child.signal === 'SIGKILL' ? `killed after ${lastPoint(child.stderr)}` : 'ran to the end'}`);
      await runJobSpec(specFile);
      await expectCleanOutput(base, ids).catch((e: Error) => {
        throw new Error(`${outcomes.at(-1)}: ${e.message}`);
      });
    }
    if (process.env.SLUICE_SHOW_KILLS) console.log(outcomes.join('\n'));
    expect((await runJobSpec(specFile)).bookmark).toMatchObject({ files: 0, rows: 0 });
    expect(killed, outcomes.join('; ')).toBeGreaterThanOrEqual(4);
  }, 180_000);
});

describe('a Glue script with a bookmarked s3:// source', () => {
  it('lists the source when the plan first runs, and reads only new objects on the next run', async () => {
    const { GlueContext } = await import('../../src/job/GlueContext.js');
    const { Job } = await import('../../src/job/Job.js');
    const base = 'glue-script';
    const run = async () => {
      const glueContext = new GlueContext();
      const job = new Job(glueContext, { stateDir: s3(`${base}/state`) });
      await job.init('glue_s3', { 'job-bookmark-option': 'job-bookmark-enable' });
      const orders = glueContext.createDynamicFrame.fromOptions({
        connectionType: 's3', connectionOptions: { paths: [s3(`${base}/in/`)] }, format: 'csv',
        formatOptions: { withHeader: true }, schema: { id: 'int64', grp: 'string', amount: 'int64' }, transformationCtx: 'orders',
      });
      await glueContext.writeDynamicFrame.fromOptions({ frame: orders, connectionType: 's3', connectionOptions: { path: s3(`${base}/lake`) }, format: 'parquet' });
      return job.commit();
    };
    await putOrders(`${base}/in/a.csv`, range(1, 3));
    expect((await run()).bookmark).toMatchObject({ status: 'succeeded', files: 1, rows: 3 });
    await putOrders(`${base}/in/b.csv`, range(4, 5));
    expect((await run()).bookmark).toMatchObject({ files: 1, rows: 2 });
    expect(await ids(read.parquet(s3(`${base}/lake`)))).toEqual(range(1, 5));
  });
});
