import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { commitOutputs } from '../../src/io/partitioning/outputCommit.js';
import { LocalStore } from '../../src/io/store/LocalStore.js';
import { ordersSpec, parquetIds, range, writeOrders } from './helpers.js';
import { filesUnder, tempDir } from '../support/files.js';

/** What the local store was asked, in order: fsyncs (`sync`) and whole-file writes (`put`, with their body). */
type StoreCall = { kind: 'sync'; path: string } | { kind: 'put'; path: string; body: string };

function recordStoreCalls(): StoreCall[] {
  const calls: StoreCall[] = [];
  const sync = LocalStore.prototype.sync;
  const put = LocalStore.prototype.put;
  vi.spyOn(LocalStore.prototype, 'sync').mockImplementation(function (this: LocalStore, path: string) {
    calls.push({ kind: 'sync', path });
    return sync.call(this, path);
  });
  vi.spyOn(LocalStore.prototype, 'put').mockImplementation(function (this: LocalStore, path, body, conditions) {
    calls.push({ kind: 'put', path, body: typeof body === 'string' ? body : Buffer.from(body).toString() });
    return put.call(this, path, body, conditions);
  });
  return calls;
}

type Renames = { from: string; to: string }[];

/**
 * The order a commit must keep, whatever it runs at once: every staged file is fsynced before the
 * put that makes it part of a commit; every folder a file was renamed into is fsynced after that
 * put and before the output's `_SUCCESS`.
 */
function expectDurableOrder(calls: StoreCall[], commitPut: number, renames: Renames): void {
  const syncedAt = (path: string, from: number, to: number) => calls.findIndex((c, i) => i > from && i < to && c.kind === 'sync' && c.path === path);
  for (const { from } of renames) expect(syncedAt(from, -1, commitPut), `staged ${from} fsynced before the commit point`).toBeGreaterThanOrEqual(0);
  for (const { to } of renames) {
    const success = calls.findIndex((c) => c.kind === 'put' && c.path.endsWith('_SUCCESS') && to.startsWith(dirname(c.path) + '/'));
    expect(success, `a _SUCCESS above ${to}`).toBeGreaterThan(commitPut);
    expect(syncedAt(dirname(to), commitPut, success), `${dirname(to)} fsynced between the commit point and _SUCCESS`).toBeGreaterThan(commitPut);
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a commit makes what it publishes durable in order', () => {
  it('bookmarked run: staged files before the state that commits them, renamed-into folders before _SUCCESS', async () => {
    const dir = await tempDir();
    await writeOrders(join(dir, 'in', 'a.csv'), range(1, 9));
    const calls = recordStoreCalls();
    await runJobSpec(ordersSpec(dir), {}, { bookmarks: { option: 'enable', stateDir: join(dir, 'state') } });

    const commitPut = calls.findIndex((c) => c.kind === 'put' && c.path.endsWith('state.json') && JSON.parse(c.body).pending !== undefined);
    expect(commitPut).toBeGreaterThan(0);
    const pending = JSON.parse((calls[commitPut] as { body: string }).body).pending as { outputs: { renames: Renames }[] };
    const renames = pending.outputs.flatMap((o) => o.renames);
    // Two sinks: the parquet lake in two partitions, and the CSV copy.
    expect(new Set(renames.map((r) => dirname(r.to)))).toEqual(new Set([join(dir, 'lake', 'grp=even'), join(dir, 'lake', 'grp=odd'), join(dir, 'copy')]));
    expectDurableOrder(calls, commitPut, renames);
    // The run's snapshot is durable before the commit point too.
    const snapshot = calls.findIndex((c) => c.kind === 'put' && c.path.includes(`${join('state', 'orders', 'runs')}/`));
    expect(snapshot).toBeGreaterThanOrEqual(0);
    expect(snapshot).toBeLessThan(commitPut);
    expect(await parquetIds(join(dir, 'lake'))).toEqual(range(1, 9));
  });

  it('plain write commit: staged files before the manifest, renamed-into folders before _SUCCESS', async () => {
    const dir = await tempDir();
    const staged = join(dir, '.lake.sluice-staging', 'run1');
    const lake = join(dir, 'lake');
    const store = new LocalStore();
    const renames: Renames = [];
    for (const part of ['p=1', 'p=2', 'p=3']) {
      const from = join(staged, part, 'part-0.txt');
      await store.put(from, part);
      renames.push({ from, to: join(lake, part, 'part-0.txt') });
    }
    const calls = recordStoreCalls();
    await commitOutputs({ runId: 'run1', outputs: [{ root: lake, mode: 'append', staging: staged, renames }] });

    const manifest = calls.findIndex((c) => c.kind === 'put' && c.body.includes('"renames"'));
    expect(manifest).toBeGreaterThanOrEqual(0);
    expectDurableOrder(calls, manifest, renames);
    expect(await filesUnder(lake)).toEqual(['_SUCCESS', 'p=1/part-0.txt', 'p=2/part-0.txt', 'p=3/part-0.txt']);
  });
});
