import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRASH_POINTS } from '../../src/job/bookmarks/crashPoint.js';
import { storeFor } from '../../src/io/store/storeFor.js';
import { BUCKET, startS3rver, useS3rver, type RunningS3rver } from '../s3/s3rver.js';
import { duck } from '../support/duck.js';
import { REPO, tempDir } from '../support/files.js';
import { ordersSpec, s3Event, sqsEvent } from './helpers.js';

let server: RunningS3rver;
beforeAll(async () => {
  server = await startS3rver();
  useS3rver(server);
});
afterAll(() => server?.stop());

process.env.SLUICE_SOURCES = `s3://${BUCKET}/`;

const s3 = (key: string) => `s3://${BUCKET}/${key}`;
const CHILD = join(REPO, 'test/lambda/handlerChild.ts');

interface ChildResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

/** One invocation of the handler in a child process (handlerChild.ts), as a fresh Lambda instance. */
async function invoke(spec: string, stateDir: string, eventFile: string, env: Record<string, string> = {}): Promise<ChildResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD, spec, stateDir, eventFile], { cwd: REPO, env: { ...process.env, ...env } });
    return { code: 0, signal: null, stdout, stderr };
  } catch (e) {
    const failed = e as { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string };
    return { code: typeof failed.code === 'number' ? failed.code : null, signal: failed.signal, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Every key under a prefix, relative to it. */
async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of (await storeFor(s3(prefix))).list(s3(prefix))) keys.push(object.path.slice(s3(prefix).length + 1));
  return keys.sort();
}

/** The visible part files of the lake (what a reader globbing it sees), each read whole by DuckDB. */
async function visibleRows(lake: string): Promise<{ id: number; status: string }[]> {
  const rows: { id: number; status: string }[] = [];
  for (const key of (await keysUnder(lake)).filter((k) => k.endsWith('.parquet'))) {
    const local = join(await tempDir(), 'part.parquet');
    const held = await (await storeFor(s3(`${lake}/${key}`))).get(s3(`${lake}/${key}`));
    await writeFile(local, held!.bytes);
    const status = /status=([^/]+)\//.exec(key)![1];
    for (const r of await duck(`SELECT order_id::INTEGER AS id FROM read_parquet('${local}')`)) rows.push({ id: r.id as number, status });
  }
  return rows.sort((a, b) => a.id - b.id);
}

const INPUT = [
  { id: 1, status: 'paid' }, { id: 2, status: 'open' }, { id: 3, status: 'paid' },
  { id: 4, status: 'shipped' }, { id: 5, status: 'open' },
];

describe('the Lambda handler killed with SIGKILL at any point, then given the same event again', () => {
  it.each(CRASH_POINTS.map((p) => [p]))('killed at %s: the output holds the input rows exactly once', async (point) => {
    const base = `lambda-kill-${point}`;
    const key = `${base}/landing/orders.csv`;
    const lake = `${base}/lake`;
    const { etag } = await (await storeFor(s3(key))).put(s3(key), ['order_id,amount,status,ts', ...INPUT.map((r) => `${r.id},${r.id * 10},${r.status},2024-05-0${r.id}T00:00:00Z`)].join('\n') + '\n');
    const dir = await tempDir();
    const specFile = join(dir, 'orders_lambda.json');
    await writeFile(specFile, JSON.stringify(ordersSpec(s3(lake))));
    const eventFile = join(dir, 'event.json');
    await writeFile(eventFile, JSON.stringify(sqsEvent(s3Event({ bucket: BUCKET, key, etag: etag ?? 'none' }))));
    const stateDir = s3(`${base}/state`);

    const crashed = await invoke(specFile, stateDir, eventFile, { SLUICE_CRASH_AT: point });
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    // What a reader sees meanwhile: whole part files only (never a truncated one), each input row at most once.
    const meanwhile = await visibleRows(lake);
    expect(new Set(meanwhile.map((r) => r.id)).size).toBe(meanwhile.length);
    for (const row of meanwhile) expect(INPUT).toContainEqual(row);

    // Lambda delivers the event again, to a fresh instance.
    const again = await invoke(specFile, stateDir, eventFile);
    expect(again.code, again.stderr).toBe(0);
    const summary = JSON.parse(again.stdout) as { rows: number; objects: { processed: number; skipped: number } };
    expect(await visibleRows(lake)).toEqual(INPUT);
    // Before the commit point the killed run never happened: the redelivery processes the object.
    const committed = !['after-init', 'after-stage-sink-1', 'after-stage-sink-2', 'before-manifest'].includes(point);
    expect(summary.objects).toMatchObject(committed ? { processed: 0, skipped: 1 } : { processed: 1, skipped: 0 });
    expect(summary.rows).toBe(committed ? 0 : INPUT.length);
    // Nothing staged is left anywhere in the bucket, and a third delivery is skipped.
    expect((await keysUnder(base)).filter((k) => k.includes('.sluice-staging'))).toEqual([]);
    const third = await invoke(specFile, stateDir, eventFile);
    expect(JSON.parse(third.stdout)).toMatchObject({ objects: { processed: 0, skipped: 1 }, rows: 0 });
    expect(await visibleRows(lake)).toEqual(INPUT);
  }, 120_000);
});
