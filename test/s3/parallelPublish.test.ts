import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { MOVES_IN_FLIGHT } from '../../src/io/partitioning/inParallel.js';
import { configureS3 } from '../../src/io/store/s3Settings.js';
import { storeFor } from '../../src/io/store/storeFor.js';
import { BUCKET, startS3rver, useS3rver, type RunningS3rver } from './s3rver.js';
import { runSluice } from '../support/cli.js';
import { tempDir } from '../support/files.js';

let server: RunningS3rver;
beforeAll(async () => {
  server = await startS3rver();
  useS3rver(server);
});
afterAll(() => server?.stop());

const s3 = (key: string) => `s3://${BUCKET}/${key}`;
const FILES = 120;

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of (await storeFor(s3(prefix))).list(s3(prefix))) keys.push(object.path.slice(s3(prefix).length + 1));
  return keys.sort();
}

/**
 * A loopback proxy in front of s3rver that counts the S3 CopyObject requests (a PUT with
 * x-amz-copy-source: the commit's renames) in flight at once, each held 20 ms so overlap shows.
 */
async function copyCountingProxy(target: string) {
  const upstream = new URL(target);
  const seen = { copies: 0, inFlight: 0, maxInFlight: 0 };
  const proxy = createServer((req, res) => {
    const isCopy = req.method === 'PUT' && req.headers['x-amz-copy-source'] !== undefined;
    if (isCopy) {
      seen.copies++;
      seen.maxInFlight = Math.max(seen.maxInFlight, ++seen.inFlight);
    }
    const forward = () => {
      const upstreamRequest = httpRequest({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => isCopy && seen.inFlight--);
      });
      upstreamRequest.on('error', (error) => res.destroy(error));
      req.pipe(upstreamRequest);
    };
    if (isCopy) setTimeout(forward, 20);
    else forward();
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => {
      proxy.closeAllConnections();
      proxy.close(() => resolve());
    }),
  };
}

const rows = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ id: from + i, grp: `g${(from + i) % 3}` }));
const idsOf = async (path: string) => (await read.csv(path, { withHeader: true, schema: { id: 'int64', grp: 'string' } }).toRows()).map((r) => Number(r.id)).sort((a, b) => a - b);
const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('an S3 commit publishes its part files in parallel', () => {
  it(`copies ${FILES} part files at most ${MOVES_IN_FLIGHT} at a time, and publishes each exactly once`, async () => {
    const proxy = await copyCountingProxy(server.endpoint);
    configureS3({ endpoint: proxy.endpoint });
    try {
      await DataFrame.fromRows(rows(1, FILES), { id: 'int64', grp: 'string' }).write.to({ format: 'csv', path: s3('many'), maxRowsPerFile: 1 });
    } finally {
      configureS3({});
      await proxy.close();
    }
    const keys = await keysUnder('many');
    expect(keys.filter((k) => k.endsWith('.csv'))).toHaveLength(FILES);
    expect(keys.filter((k) => !k.endsWith('.csv'))).toEqual(['_SUCCESS']);
    expect(await keysUnder('.many.sluice-staging')).toEqual([]);
    expect(await idsOf(s3('many'))).toEqual(range(1, FILES));
    expect(proxy.seen.copies).toBe(FILES);
    expect(proxy.seen.maxInFlight).toBeGreaterThan(1);
    expect(proxy.seen.maxInFlight).toBeLessThanOrEqual(MOVES_IN_FLIGHT);
  }, 120_000);

  it('a write killed in the middle of its parallel copies is finished by the next write: every row once', async () => {
    const dir = await tempDir();
    const input = join(dir, 'in.csv');
    await writeFile(input, ['id,grp', ...rows(1, FILES).map((r) => `${r.id},${r.grp}`)].join('\n') + '\n');
    const crashed = await runSluice(['convert', input, s3('killed'), '--to', 'csv', '--max-rows-per-file', '1'], { SLUICE_CRASH_AT: 'mid-rename' });
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    const published = (await keysUnder('killed')).filter((k) => k.endsWith('.csv')).length;
    expect(published).toBeGreaterThan(0);
    expect(published).toBeLessThan(FILES);
    // The next write (an append of one more row) first finishes the killed run's commit.
    await DataFrame.fromRows([{ id: 999, grp: 'g0' }], { id: 'int64', grp: 'string' }).write.to({ format: 'csv', path: s3('killed'), mode: 'append' });
    expect(await idsOf(s3('killed'))).toEqual([...range(1, FILES), 999]);
    expect(await keysUnder('.killed.sluice-staging')).toEqual([]);
  }, 120_000);
});
