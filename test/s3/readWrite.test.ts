import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { writeFrame } from '../../src/frame/DataFrameWriter.js';
import { parquetRowGroups } from '../../src/io/formats/parquet/parquetReader.js';
import { publishStaged } from '../../src/io/partitioning/commit.js';
import { storeFor } from '../../src/io/store/storeFor.js';
import { configureS3 } from '../../src/io/store/s3Settings.js';
import type { Store } from '../../src/io/store/Store.js';
import { BUCKET, startS3rver, useS3rver, type RunningS3rver } from './s3rver.js';
import { duck } from '../support/duck.js';
import { filesUnder, tempDir } from '../support/files.js';

let server: RunningS3rver;
let store: Store;
let local: string;
const s3 = (key: string) => `s3://${BUCKET}/${key}`;
/** Where a write to S3 stages its part files before upload. */
const s3StagingFolder = (jobRunId: string) => store.stagingFolder(s3(''), jobRunId);

beforeAll(async () => {
  server = await startS3rver();
  // Three keys per listing page: every listing below crosses pages.
  useS3rver(server, { maxKeys: 3 });
  store = await storeFor(s3(''));
  local = await tempDir();
});
afterAll(() => server?.stop());

/** Keys under a prefix, relative to it, sorted. */
async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of store.list(s3(prefix))) keys.push(object.path.slice(s3(prefix).length + 1));
  return keys.sort();
}

/** Uploads a local folder tree under a prefix, as another tool would have written it. */
async function uploadTree(folder: string, prefix: string): Promise<void> {
  for (const file of await filesUnder(folder)) await store.uploadFile(join(folder, file), s3(`${prefix}/${file}`));
}

interface SeenRequest {
  method: string;
  path: string;
  range: string | undefined;
}

/**
 * A loopback HTTP proxy in front of s3rver that records each request's method, path and Range
 * header, then forwards it unchanged (the Host header too, so the SDK's signature still holds).
 */
async function recordingProxy(target: string): Promise<{ endpoint: string; requests: SeenRequest[]; close(): Promise<void> }> {
  const upstream = new URL(target);
  const requests: SeenRequest[] = [];
  const proxy = createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: decodeURIComponent((req.url ?? '').split('?')[0]), range: req.headers.range });
    const forward = httpRequest({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', (error) => res.destroy(error));
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const { port } = proxy.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => {
      proxy.closeAllConnections();
      proxy.close(() => resolve());
    }),
  };
}

/** The byte ranges of `bytes=a-b` headers, as [a, b] (inclusive). */
/** How many distinct bytes a list of [first, last] ranges covers. */
function distinctBytes(ranges: ([number, number] | null)[]): number {
  const sorted = ranges.filter((r): r is [number, number] => r !== null).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reached = -1;
  for (const [first, last] of sorted) {
    if (last > reached) total += last - Math.max(first, reached + 1) + 1;
    reached = Math.max(reached, last);
  }
  return total;
}

const rangesOf = (requests: SeenRequest[]): ([number, number] | null)[] => requests.map((r) => /^bytes=(\d+)-(\d+)$/.exec(r.range ?? '')).map((m) => (m ? [Number(m[1]), Number(m[2])] : null));

const ORDERS = [
  { id: 1, country: 'FR', amount: 10.5, note: 'café' },
  { id: 2, country: 'DE', amount: 20, note: 'with, comma' },
  { id: 3, country: 'FR', amount: 30.25, note: null },
  { id: 4, country: 'JP', amount: 40, note: '日本' },
];
const ordersFrame = () => DataFrame.fromRows(ORDERS, { id: 'int32', country: 'string', amount: 'float64', note: 'string' });

describe('reading s3:// inputs', () => {
  it('reads every visible CSV object under a prefix, in key order, across listing pages', async () => {
    await store.put(s3('csv/b.csv'), 'id,name\n3,c\n4,d\n');
    await store.put(s3('csv/a.csv'), 'id,name\n1,a\n2,"b, quoted"\n');
    await store.put(s3('csv/sub/c.csv'), 'id,name\n5,e\n');
    await store.put(s3('csv/_SUCCESS'), '');
    await store.put(s3('csv/.hidden.csv'), 'id,name\n99,hidden\n');
    await store.put(s3('csv/_temporary/run/x.csv'), 'id,name\n98,staged\n');
    const rows = await read.csv(s3('csv'), { withHeader: true, schema: { id: 'int32', name: 'string' } }).toRows();
    expect(rows).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b, quoted' },
      { id: 3, name: 'c' },
      { id: 4, name: 'd' },
      { id: 5, name: 'e' },
    ]);
  });

  it('matches globs against keys as fast-glob matches local paths', async () => {
    await store.put(s3('logs/2024-01.csv'), 'day,hits\n1,10\n');
    await store.put(s3('logs/2024-02.csv'), 'day,hits\n2,20\n');
    await store.put(s3('logs/readme.txt'), 'not csv');
    await store.put(s3('logs/deeper/2024-03.csv'), 'day,hits\n3,30\n');
    await store.put(s3('logs-other/2024-04.csv'), 'day,hits\n4,40\n');
    const top = await read.csv(s3('logs/*.csv'), { withHeader: true }).toRows();
    expect(top).toEqual([{ day: 1, hits: 10 }, { day: 2, hits: 20 }]);
    const deep = await read.csv(s3('logs/**/2024-0[13].csv'), { withHeader: true }).toRows();
    expect(deep).toEqual([{ day: 1, hits: 10 }, { day: 3, hits: 30 }]); // key order: logs/2024-01.csv < logs/deeper/…
    await expect(read.csv(s3('logs/*.parquet')).toRows()).rejects.toThrow(`No input files at ${s3('logs/*.parquet')}`);
  });

  it('reads gzip CSV and JSON lines objects', async () => {
    await store.put(s3('gz/part.csv.gz'), gzipSync('id,city\n1,Zürich\n2,Oslo\n'));
    expect(await read.csv(s3('gz/part.csv.gz'), { withHeader: true }).toRows()).toEqual([
      { id: 1, city: 'Zürich' },
      { id: 2, city: 'Oslo' },
    ]);
    await store.put(s3('json/events.json'), '{"id":1,"tags":["a","b"],"ok":true}\n{"id":2,"tags":[],"ok":null}\n');
    expect(await read.json(s3('json/events.json'), { schema: { id: 'int32', tags: 'array<string>', ok: 'boolean' } }).toRows()).toEqual([
      { id: 1, tags: ['a', 'b'], ok: true },
      { id: 2, tags: [], ok: null },
    ]);
  });

  it('reads Parquet by ranged reads: whole rows, a projection, several row groups', async () => {
    const folder = join(local, 'pq');
    const ids = Array.from({ length: 5000 }, (_, i) => i);
    const frame = DataFrame.fromColumns({ id: ids, label: ids.map((i) => `row ${i}`) }, { id: 'int64', label: 'string' });
    await frame.write.parquet(folder, { rowGroupSize: 1000, jobRunId: 'pq' });
    await uploadTree(folder, 'pq');
    const file = s3('pq/part-00000-pq.parquet');
    const size = (await store.stat(file))!.size;
    // Through a recording proxy: what went over the wire for the object.
    const proxy = await recordingProxy(server.endpoint);
    configureS3({ maxKeys: 3, endpoint: proxy.endpoint });
    try {
      const rows = await read.parquet(s3('pq')).toRows();
      expect(rows.length).toBe(5000);
      expect(rows.map((r) => r.id)).toEqual(ids);
      expect(rows[4999]).toEqual({ id: 4999, label: 'row 4999' });
      const objectGets = () => proxy.requests.filter((r) => r.method === 'GET' && r.path === `/${BUCKET}/pq/part-00000-pq.parquet`);
      const fullRead = rangesOf(objectGets());
      // Every GET of the object asked for a byte range (none fetched it whole), the footer included.
      expect(fullRead.length).toBeGreaterThanOrEqual(2);
      expect(fullRead.filter((r) => r === null)).toEqual([]);
      expect(fullRead.filter((r) => r![0] === 0 && r![1] === size - 1)).toEqual([]);
      expect(Math.max(...fullRead.map((r) => r![1]))).toBe(size - 1);

      proxy.requests.length = 0;
      expect((await parquetRowGroups(file)).map((g) => g.rows)).toEqual([1000, 1000, 1000, 1000, 1000]);
      proxy.requests.length = 0;
      expect(await read.parquet(file).selectFields(['label']).toRows()).toEqual(ids.map((i) => ({ label: `row ${i}` })));
      const projected = rangesOf(objectGets());
      expect(projected.filter((r) => r === null)).toEqual([]);
      // A projection fetches only its column's chunks: fewer distinct bytes than the whole read.
      expect(distinctBytes(projected)).toBeLessThan(distinctBytes(fullRead) * 0.75);
    } finally {
      configureS3({ maxKeys: 3 });
      await proxy.close();
    }
  });

  it('reads only the pages a filter may match, by ranged reads of their bytes (the page index)', async () => {
    const folder = join(local, 'pages');
    const ids = Array.from({ length: 100_000 }, (_, i) => i);
    const frame = DataFrame.fromColumns({ id: ids, label: ids.map((i) => `row ${i}`) }, { id: 'int64', label: 'string' });
    await frame.write.parquet(folder, { jobRunId: 'pages' });
    await uploadTree(folder, 'pages');
    const file = s3('pages/part-00000-pages.parquet');
    const proxy = await recordingProxy(server.endpoint);
    configureS3({ maxKeys: 3, endpoint: proxy.endpoint });
    try {
      const objectGets = () => rangesOf(proxy.requests.filter((r) => r.method === 'GET' && r.path === `/${BUCKET}/pages/part-00000-pages.parquet`));
      expect((await read.parquet(file).toRows()).length).toBe(100_000);
      const whole = distinctBytes(objectGets());
      proxy.requests.length = 0;
      const rows = await read.parquet(file).filter('id >= 95000').toRows();
      expect(rows).toEqual(ids.slice(95_000).map((i) => ({ id: i, label: `row ${i}` })));
      const skipping = objectGets();
      expect(skipping.filter((r) => r === null)).toEqual([]);
      // One 20,480-row page of five per column, and the footer and page index.
      expect(distinctBytes(skipping)).toBeLessThan(whole * 0.35);
    } finally {
      configureS3({ maxKeys: 3 });
      await proxy.close();
    }
  });

  it('reads a Hive-partitioned prefix with its partition columns', async () => {
    const folder = join(local, 'hive');
    await ordersFrame().write.parquet(folder, { partitionKeys: ['country'], jobRunId: 'h1' });
    await uploadTree(folder, 'hive/orders');
    expect(await keysUnder('hive/orders')).toEqual([
      '_SUCCESS',
      'country=DE/part-00001-h1.parquet',
      'country=FR/part-00000-h1.parquet',
      'country=JP/part-00002-h1.parquet',
    ]);
    const rows = await read.parquet(s3('hive/orders/')).toRows();
    expect(rows.sort((a, b) => Number(a.id) - Number(b.id))).toEqual(ORDERS);
  });
});

describe('writing to s3://', () => {
  it('writes partitioned Parquet to exact keys, readable by sluice and DuckDB', async () => {
    const result = await ordersFrame().write.parquet(s3('out/orders'), { partitionKeys: ['country'], jobRunId: 'w1' });
    expect(result.rows).toBe(4);
    expect(result.files).toEqual([
      s3('out/orders/country=FR/part-00000-w1.parquet'),
      s3('out/orders/country=DE/part-00001-w1.parquet'),
      s3('out/orders/country=JP/part-00002-w1.parquet'),
    ]);
    expect(await keysUnder('out/orders')).toEqual([
      '_SUCCESS',
      'country=DE/part-00001-w1.parquet',
      'country=FR/part-00000-w1.parquet',
      'country=JP/part-00002-w1.parquet',
    ]);
    const back = await read.parquet(s3('out/orders')).toRows();
    expect(back.sort((a, b) => Number(a.id) - Number(b.id))).toEqual(ORDERS);
    // An independent reader over the bytes that were stored.
    const copy = join(local, 'fr.parquet');
    await writeFile(copy, await store.readRange(result.files[0], 0, (await store.stat(result.files[0]))!.size));
    expect(await duck(`SELECT * FROM read_parquet('${copy}') ORDER BY ALL`)).toEqual([
      { id: 1, amount: 10.5, note: 'café' },
      { id: 3, amount: 30.25, note: null },
    ]);
    expect(existsSync(s3StagingFolder('w1'))).toBe(false);
  });

  it('appends by default, refuses with mode error, replaces with overwrite', async () => {
    const one = DataFrame.fromRows([{ n: 1 }], { n: 'int32' });
    const two = DataFrame.fromRows([{ n: 2 }], { n: 'int32' });
    await one.write.csv(s3('modes'), { jobRunId: 'm1' });
    await two.write.csv(s3('modes'), { jobRunId: 'm2' });
    expect(await keysUnder('modes')).toEqual(['_SUCCESS', 'part-00000-m1.csv', 'part-00000-m2.csv']);
    await expect(two.write.csv(s3('modes'), { mode: 'error', jobRunId: 'm3' })).rejects.toThrow(`Output folder ${s3('modes')} already holds data`);
    await DataFrame.fromRows([{ n: 3 }], { n: 'int32' }).write.csv(s3('modes'), { mode: 'overwrite', jobRunId: 'm4' });
    expect(await keysUnder('modes')).toEqual(['_SUCCESS', 'part-00000-m4.csv']);
    expect(await read.csv(s3('modes'), { withHeader: true }).toRows()).toEqual([{ n: 3 }]);
    await one.write.csv(s3('fresh-prefix'), { mode: 'error', jobRunId: 'm5' });
    expect(await keysUnder('fresh-prefix')).toEqual(['_SUCCESS', 'part-00000-m5.csv']);
  });

  it('a write that fails while reading leaves no keys and no local staging', async () => {
    await store.put(s3('bad/input.csv'), 'id\n1\nnot a number\n3\n');
    const failing = read.csv(s3('bad/input.csv'), { withHeader: true, mode: 'failFast', schema: { id: 'int32' } });
    await expect(failing.write.parquet(s3('bad-out'), { jobRunId: 'f1' })).rejects.toThrow(/not a number/);
    expect(await keysUnder('bad-out')).toEqual([]);
    expect(existsSync(s3StagingFolder('f1'))).toBe(false);
  });

  it('a commit that fails half-way removes what it uploaded and keeps the old data', async () => {
    await store.put(s3('half/old.csv'), 'n\n0\n');
    const staging = join(local, 'half-staging');
    const staged = ['k=1/part-00000-h.csv', 'k=2/part-00001-h.csv', 'k=3/part-00002-h.csv', 'k=4/part-00003-h.csv'];
    for (const file of staged) {
      await mkdir(join(staging, file, '..'), { recursive: true });
      await writeFile(join(staging, file), 'n\n1\n');
    }
    // A staged file that is gone by commit time: its upload fails, the others succeed.
    const files = [...staged.map((f) => join(staging, f)), join(staging, 'k=5/part-00004-h.csv')];
    await expect(publishStaged(s3('half'), staging, files, 'overwrite')).rejects.toThrow(/ENOENT/);
    expect(await keysUnder('half')).toEqual(['old.csv']);
    expect(files.slice(0, 4).map((f) => relative(staging, f))).toEqual(staged);
  });

  it('parallel runs: workers stage locally and the driver uploads; s3:// inputs are read inline', async () => {
    const PARALLEL = { threads: 2, splitSize: 4096, inlineBelowBytes: 0 };
    const csv = join(local, 'many.csv');
    const lines = ['id,grp', ...Array.from({ length: 3000 }, (_, i) => `${i},${i % 3}`)];
    await writeFile(csv, lines.join('\n') + '\n');
    const frame = read.csv(csv, { withHeader: true, schema: { id: 'int32', grp: 'int32' } });
    const summary = await writeFrame(frame, { format: 'parquet', path: s3('par-out'), partitionKeys: ['grp'], jobRunId: 'p1' }, PARALLEL);
    expect(summary.rows).toBe(3000);
    expect(summary.files.length).toBeGreaterThan(3); // one part per split and partition: it did run split by split
    const keys = await keysUnder('par-out');
    expect(keys.filter((k) => !k.startsWith('grp='))).toEqual(['_SUCCESS']);
    expect(new Set(keys.filter((k) => k !== '_SUCCESS').map((k) => k.split('/')[0]))).toEqual(new Set(['grp=0', 'grp=1', 'grp=2']));
    expect(keys.length - 1).toBe(summary.files.length);
    expect(existsSync(s3StagingFolder('p1'))).toBe(false);

    const back = read.parquet(s3('par-out'));
    const { table } = await back.collect(PARALLEL);
    expect(table.numRows).toBe(3000);
    const ids = (await DataFrame.fromArrow(table).toRows()).map((r) => Number(r.id)).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });
});
