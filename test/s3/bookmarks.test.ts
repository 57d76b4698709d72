import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { BookmarkSession } from '../../src/job/bookmarks/BookmarkSession.js';
import { DEFAULT_MAX_BAND_MS } from '../../src/job/bookmarks/BookmarkOptions.js';
import { emptyState } from '../../src/job/bookmarks/BookmarkState.js';
import { BookmarkConflictError, BookmarkLockedError } from '../../src/job/bookmarks/BookmarkStore.js';
import { BookmarkFolder } from '../../src/job/bookmarks/BookmarkFolder.js';
import { storeFor } from '../../src/io/store/storeFor.js';
import { configureS3 } from '../../src/io/store/s3Settings.js';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { BUCKET, startS3rver, useS3rver, type RunningS3rver } from './s3rver.js';
import { tempDir } from '../support/files.js';

let server: RunningS3rver;
beforeAll(async () => {
  server = await startS3rver();
  useS3rver(server, { maxKeys: 2 });
});
afterAll(() => server?.stop());

const owner = (runId: string, pid = process.pid, host = hostname()) => ({ pid, host, runId, startedAt: '2026-01-01T00:00:00.000Z' });
const settings = { mode: 'enable' as const, maxBandMs: DEFAULT_MAX_BAND_MS };

describe('BookmarkFolder on S3', () => {
  it('writes state only over the revision it expects', async () => {
    const store = new BookmarkFolder(`s3://${BUCKET}/state-rev/`);
    expect(await store.read('job a')).toBeUndefined();
    const first = { ...emptyState('job a'), revision: 1 };
    await store.writeIfRevision('job a', first, undefined);
    expect(await store.read('job a')).toEqual(first);
    await expect(store.writeIfRevision('job a', { ...first, revision: 2 }, undefined)).rejects.toBeInstanceOf(BookmarkConflictError);
    await store.writeIfRevision('job a', { ...first, revision: 2 }, 1);
    await expect(store.writeIfRevision('job a', { ...first, revision: 3 }, 1)).rejects.toThrow(
      `the bookmark of job 'job a' changed under this run (revision 1 expected, 2 found in s3://${BUCKET}/state-rev/job%20a/state.json)`,
    );
    expect((await store.read('job a'))?.revision).toBe(2);
  });

  it('keeps run snapshots and lists its jobs across listing pages', async () => {
    const store = new BookmarkFolder(`s3://${BUCKET}/state-list`);
    for (const job of ['c', 'a/b', 'b']) await store.writeIfRevision(job, { ...emptyState(job), revision: 1 }, undefined);
    await store.writeSnapshot('b', { runId: 'jr_1', version: 1, sources: {} });
    expect(await store.readSnapshot('b', 'jr_1')).toEqual({ runId: 'jr_1', version: 1, sources: {} });
    expect(await store.listJobs()).toEqual(['a/b', 'b', 'c']);
    await store.deleteSnapshot('b', 'jr_1');
    expect(await store.readSnapshot('b', 'jr_1')).toBeUndefined();
  });

  it('lets one holder take the lock, names it to the next, and frees it on release', async () => {
    const store = new BookmarkFolder(`s3://${BUCKET}/state-lock`);
    const lock = await store.lock('orders', owner('jr_1'));
    const refused = await store.lock('orders', owner('jr_2')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BookmarkLockedError);
    expect((refused as BookmarkLockedError).holder?.runId).toBe('jr_1');
    expect((refused as Error).message).toContain(`If that run is gone, delete s3://${BUCKET}/state-lock/orders/lock`);
    await lock.release();
    const next = await store.lock('orders', owner('jr_2'));
    await lock.release(); // not jr_1's any more: left alone
    await expect(store.lock('orders', owner('jr_3'))).rejects.toThrow(/run jr_2/);
    await next.release();
  });

  it('takes over a lock whose process on this host is gone, or that is older than staleLockMs', async () => {
    const s3 = await storeFor(`s3://${BUCKET}/`);
    await s3.put(`s3://${BUCKET}/state-stale/orders/lock`, JSON.stringify(owner('jr_dead', 2 ** 22 + 12345)));
    const store = new BookmarkFolder(`s3://${BUCKET}/state-stale`);
    const lock = await store.lock('orders', owner('jr_new'));
    expect(lock.owner.runId).toBe('jr_new');
    await lock.release();

    await s3.put(`s3://${BUCKET}/state-stale/other/lock`, JSON.stringify(owner('jr_far', 1, 'another-host')));
    await expect(store.lock('other', owner('jr_x'))).rejects.toThrow(/run jr_far \(pid 1 on another-host/);
    const lenient = new BookmarkFolder(`s3://${BUCKET}/state-stale`, { staleLockMs: -1 });
    await (await lenient.lock('other', owner('jr_x'))).release();
  });

  it('carries a bookmarked job across runs: the second run reads only the new file', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'in'));
    await writeFile(join(dir, 'in', 'a.csv'), 'id\n1\n2\n');
    const store = new BookmarkFolder(`s3://${BUCKET}/state-job`);
    const source = { format: 'csv', paths: [join(dir, 'in')], formatOptions: { withHeader: true }, schema: { id: 'int32' }, transformationCtx: 'in' };

    const first = await BookmarkSession.open({ job: 'incremental', store, settings });
    const written = await first.write(first.source(source), { format: 'csv', path: join(dir, 'out') });
    await first.commit(written.rows);

    await writeFile(join(dir, 'in', 'b.csv'), 'id\n3\n');
    const second = await BookmarkSession.open({ job: 'incremental', store, settings });
    expect(await second.source(source).toRows()).toEqual([{ id: 3 }]);
    await second.commit(0);

    const state = await store.read('incremental');
    expect(state?.runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    expect(state?.sources.in.files.map((f) => f.path)).toEqual([join(dir, 'in', 'a.csv'), join(dir, 'in', 'b.csv')]);
    expect(await read.csv(join(dir, 'out'), { withHeader: true }).toRows()).toEqual([{ id: 1 }, { id: 2 }]);
  });
});

describe('job specs', () => {
  const withDeadEnvEndpoint = async (run: () => Promise<void>) => {
    process.env.SLUICE_S3_ENDPOINT = 'http://127.0.0.1:9'; // nothing there: the spec's endpoint must win
    try {
      await run();
    } finally {
      process.env.SLUICE_S3_ENDPOINT = server.endpoint;
      configureS3({});
    }
  };

  // The endpoint is allowed by the run's s3Endpoint (the CLI's --s3-endpoint), which wins over the
  // environment; a spec endpoint alone is no longer enough (test/security/s3Endpoint.test.ts).
  it("read and write s3:// paths through the spec's endpoint, over the environment's", async () => {
    const s3 = await storeFor(`s3://${BUCKET}/`);
    await s3.put(`s3://${BUCKET}/spec-in/a.csv`, 'id,grp\n1,x\n2,y\n');
    const spec = {
      name: 'spec_s3',
      s3: { endpoint: server.endpoint },
      nodes: [
        { id: 'remote', type: 'read', format: 'csv', paths: [`s3://${BUCKET}/spec-in`], formatOptions: { withHeader: true } },
        { id: 'up', type: 'write', input: 'remote', format: 'parquet', path: `s3://${BUCKET}/spec-out`, partitionKeys: ['grp'] },
      ],
    };
    await withDeadEnvEndpoint(async () => {
      const summary = await runJobSpec(spec, {}, { s3Endpoint: server.endpoint });
      expect(summary.sinks.map((s) => [s.id, s.rows, s.files.length])).toEqual([['up', 2, 2]]);
      expect((await read.parquet(`s3://${BUCKET}/spec-out`).toRows()).map((r) => [r.id, r.grp]).sort()).toEqual([[1, 'x'], [2, 'y']]);
    });
  });

  it('keep bookmark state under an s3:// stateDir', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'in'));
    await writeFile(join(dir, 'in', 'local.csv'), 'id\n3\n');
    const spec = {
      name: 'spec_state',
      s3: { endpoint: server.endpoint },
      bookmarks: { option: 'enable', stateDir: `s3://${BUCKET}/spec-state` },
      nodes: [
        { id: 'local', type: 'read', format: 'csv', paths: [join(dir, 'in')], formatOptions: { withHeader: true } },
        { id: 'down', type: 'write', input: 'local', format: 'csv', path: join(dir, 'out') },
      ],
    };
    await withDeadEnvEndpoint(async () => {
      expect((await runJobSpec(spec, {}, { s3Endpoint: server.endpoint })).bookmark?.status).toBe('succeeded');
      expect((await runJobSpec(spec, {}, { s3Endpoint: server.endpoint })).sinks[0].rows).toBe(0);
      const state = await new BookmarkFolder(`s3://${BUCKET}/spec-state`).read('spec_state');
      expect(state?.runs.map((r) => r.files)).toEqual([1, 0]);
    });
  });
});
