import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it } from 'vitest';
import { storeFor } from '../../src/io/store/storeFor.js';
import { StorePreconditionError } from '../../src/io/store/Store.js';
import { emptyState, type BookmarkState } from '../../src/job/bookmarks/BookmarkState.js';
import { BookmarkConflictError, BookmarkLockedError, type LockOwner } from '../../src/job/bookmarks/BookmarkStore.js';
import { BookmarkFolder } from '../../src/job/bookmarks/BookmarkFolder.js';
import { conditionalS3ForTests } from './conditionalProxy.js';
import { BUCKET } from './s3rver.js';

// s3rver ignores If-Match / If-None-Match (first test below); no S3-compatible server that honours
// them installs from npm or Debian here, so sluice talks to s3rver through conditionalProxy.ts,
// which enforces them as AWS S3 does.
const s3rver = conditionalS3ForTests();
beforeEach(() => {
  s3rver.proxy.beforeConditionalPut = undefined;
  s3rver.proxy.refused.length = 0;
});

const s3 = (key: string) => `s3://${BUCKET}/${key}`;
const text = async (key: string) => new TextDecoder().decode((await (await storeFor(s3(key))).get(s3(key)))!.bytes);
const owner = (runId: string): LockOwner => ({ pid: process.pid, host: 'test-host', runId, startedAt: '2024-06-01T00:00:00.000Z' });
const stateOf = (job: string, revision: number, version: number): BookmarkState => ({ ...emptyState(job), revision, version });

describe('S3 conditional writes (through a proxy that enforces them on s3rver)', () => {
  it('s3rver alone ignores If-None-Match and If-Match: both overwrite', async () => {
    const raw = new S3Client({ endpoint: s3rver.server.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    try {
      await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'raw/x', Body: 'one' }));
      await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'raw/x', Body: 'two', IfNoneMatch: '*' }));
      await raw.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'raw/x', Body: 'three', IfMatch: '"00000000000000000000000000000000"' }));
      expect(await (await raw.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'raw/x' }))).Body!.transformToString()).toBe('three');
    } finally {
      raw.destroy();
    }
  });

  it('S3Store.put: If-None-Match * refuses an existing key, If-Match a stale or wrong ETag (StorePreconditionError)', async () => {
    const store = await storeFor(s3(''));
    const path = s3('cond/object.json');
    expect(await store.put(path, 'v1', { ifNoneMatch: '*' })).toMatchObject({ etag: expect.any(String) });
    const { etag: v1 } = await store.put(path, 'v1b');
    await expect(store.put(path, 'v2', { ifNoneMatch: '*' })).rejects.toThrow(new StorePreconditionError(`${path} changed under this write (it already exists)`, path));
    await expect(store.put(path, 'v2', { ifMatch: '"0123456789abcdef0123456789abcdef"' })).rejects.toThrow(StorePreconditionError);
    const { etag: v2 } = await store.put(path, 'v2', { ifMatch: v1 });
    expect(v2).not.toBe(v1);
    await expect(store.put(path, 'v3', { ifMatch: v1 })).rejects.toThrow(`${path} changed under this write (ETag ${v1} expected)`);
    expect(await text('cond/object.json')).toBe('v2');
    expect(s3rver.proxy.refused).toEqual(['412 If-None-Match cond/object.json', '412 If-Match cond/object.json', '412 If-Match cond/object.json']);
  });

  it('BookmarkFolder.writeIfRevision: a write landing between its revision check and its PUT wins; this one is a conflict', async () => {
    const store = new BookmarkFolder(s3('cond-state'));
    const statePath = s3('cond-state/race/state.json');
    await store.writeIfRevision('race', stateOf('race', 1, 1), undefined);
    // Another run commits revision 2 after our read of revision 1, before our conditional PUT.
    s3rver.proxy.beforeConditionalPut = async (key) => {
      if (!key.endsWith('race/state.json')) return;
      s3rver.proxy.beforeConditionalPut = undefined;
      await (await storeFor(statePath)).put(statePath, JSON.stringify(stateOf('race', 2, 42)));
    };
    const attempt = store.writeIfRevision('race', stateOf('race', 2, 7), 1);
    await expect(attempt).rejects.toThrow(BookmarkConflictError);
    await expect(attempt).rejects.toThrow(/revision 1 expected, a newer write found/);
    expect(await store.read('race')).toMatchObject({ revision: 2, version: 42 }); // the other run's state stands
    expect(s3rver.proxy.refused).toEqual(['412 If-Match cond-state/race/state.json']);
  });

  it('BookmarkFolder.writeIfRevision: a first state created by another run meanwhile is a conflict too (If-None-Match)', async () => {
    const store = new BookmarkFolder(s3('cond-state'));
    const statePath = s3('cond-state/first/state.json');
    s3rver.proxy.beforeConditionalPut = async (key) => {
      if (!key.endsWith('first/state.json')) return;
      s3rver.proxy.beforeConditionalPut = undefined;
      await (await storeFor(statePath)).put(statePath, JSON.stringify(stateOf('first', 1, 5)));
    };
    await expect(store.writeIfRevision('first', stateOf('first', 1, 1), undefined)).rejects.toThrow(/revision none expected, a newer write found/);
    expect(await store.read('first')).toMatchObject({ revision: 1, version: 5 });
    expect(s3rver.proxy.refused).toEqual(['412 If-None-Match cond-state/first/state.json']);
  });

  it('BookmarkFolder.lock: a lock created by another run between the check and the PUT is not taken over', async () => {
    const store = new BookmarkFolder(s3('cond-state'));
    const lockPath = s3('cond-state/locked/lock');
    s3rver.proxy.beforeConditionalPut = async (key) => {
      if (!key.endsWith('locked/lock')) return;
      s3rver.proxy.beforeConditionalPut = undefined;
      await (await storeFor(lockPath)).put(lockPath, JSON.stringify(owner('jr_other')));
    };
    const attempt = store.lock('locked', owner('jr_mine'));
    await expect(attempt).rejects.toThrow(BookmarkLockedError);
    await expect(attempt).rejects.toThrow(/job 'locked' is already running: run jr_other/);
    expect(JSON.parse(await text('cond-state/locked/lock'))).toMatchObject({ runId: 'jr_other' });
    expect(s3rver.proxy.refused).toEqual(['412 If-None-Match cond-state/locked/lock']);
  });

  it('BookmarkFolder.lock: of five runs taking the lock at once exactly one gets it; after its release the next can', async () => {
    const store = new BookmarkFolder(s3('cond-state'));
    const attempts = await Promise.allSettled(['a', 'b', 'c', 'd', 'e'].map((r) => store.lock('crowd', owner(`jr_${r}`))));
    const won = attempts.filter((a): a is PromiseFulfilledResult<Awaited<ReturnType<BookmarkFolder['lock']>>> => a.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const lost of attempts.filter((a) => a.status === 'rejected')) expect((lost as PromiseRejectedResult).reason).toBeInstanceOf(BookmarkLockedError);
    expect(JSON.parse(await text('cond-state/crowd/lock'))).toMatchObject({ runId: won[0].value.owner.runId });
    await won[0].value.release();
    const next = await store.lock('crowd', owner('jr_f'));
    expect(JSON.parse(await text('cond-state/crowd/lock'))).toMatchObject({ runId: 'jr_f' });
    await next.release();
  });
});
