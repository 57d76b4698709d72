import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { read } from '../../src/frame/read.js';
import { ProgressTracker, runWithProgress } from '../../src/exec/progress.js';
import { storeFor } from '../../src/io/store/storeFor.js';
import type { S3Store } from '../../src/io/store/S3Store.js';
import { BUCKET, startS3rver, useS3rver, type RunningS3rver } from './s3rver.js';

let server: RunningS3rver;
let store: S3Store;
const s3 = (key: string) => `s3://${BUCKET}/${key}`;

beforeAll(async () => {
  server = await startS3rver();
  useS3rver(server, { maxKeys: 2 }); // every level below crosses listing pages
  store = (await storeFor(s3(''))) as S3Store;
  for (let year = 2019; year <= 2024; year++) {
    for (const month of [1, 2, 3]) await store.put(s3(`lake/year=${year}/month=${month}/part-0.csv`), `id,amount\n${year * 100 + month},${month}\n`);
    // s3rver reports a CommonPrefix only for a folder holding an object directly (S3 rolls up every key
    // under it): a hidden marker, skipped by readers, makes each year show, as S3 shows it unmarked.
    await store.put(s3(`lake/year=${year}/_marker`), '');
  }
  await store.put(s3('lake/_SUCCESS'), '');
  // Under other keys in a year the filter prunes: a whole listing refuses the lake.
  await store.put(s3('lake/year=2020/region=eu/x.csv'), 'id,amount\n1,1\n');
});
afterAll(() => server?.stop());

/** The Prefix of every ListObjectsV2 the store sends while `action` runs (observed, not changed). */
async function listedPrefixes<T>(action: () => Promise<T>): Promise<{ value: T; prefixes: string[] }> {
  const prefixes: string[] = [];
  const send = store.client.send.bind(store.client);
  store.client.send = ((command: unknown, ...rest: unknown[]) => {
    if (command instanceof ListObjectsV2Command) prefixes.push(`${command.input.Prefix}${command.input.Delimiter ? ' /' : ''}`);
    return (send as (...args: unknown[]) => unknown)(command, ...rest);
  }) as typeof store.client.send;
  try {
    return { value: await action(), prefixes };
  } finally {
    store.client.send = send;
  }
}

describe('an s3:// Hive-partitioned read prunes its partitions before listing them', () => {
  it('listLevel gives one level: files and CommonPrefixes across pages', async () => {
    expect(await store.listLevel(s3('lake'))).toEqual({
      files: [expect.objectContaining({ path: s3('lake/_SUCCESS'), size: 0 })],
      folders: ['year=2019', 'year=2020', 'year=2021', 'year=2022', 'year=2023', 'year=2024'],
    });
    expect(await store.listLevel(s3('lake/year=2024/'))).toEqual({ files: [expect.objectContaining({ path: s3('lake/year=2024/_marker') })], folders: ['month=1', 'month=2', 'month=3'] });
    expect(await store.listLevel(s3('nothing/here'))).toEqual({ files: [], folders: [] });
  });

  it('a filter on year lists only that year\'s prefixes, with delimited listings; the rows are the filtered rows', async () => {
    await expect(read.csv(s3('lake'), { withHeader: true }).count()).rejects.toThrow(/partitioned by \(year, region\)/);
    const tracker = new ProgressTracker();
    const { value, prefixes } = await listedPrefixes(() => runWithProgress(tracker, () => read.csv(s3('lake'), { withHeader: true }).filter('year = 2024 AND month >= 2').toRows()));
    expect(value.map((r) => [Number(r.id), r.year, r.month]).sort()).toEqual([[202402, 2024, 2], [202403, 2024, 3]]);
    expect(prefixes.some((p) => p.includes('year=2020'))).toBe(false);
    // 'lake/' undelimited: the one-key check that the path is a folder (isFolderPath); then one delimited walk per level,
    // each once for the whole action (it prepares the scan more than once).
    expect(prefixes.sort()).toEqual(['lake/', 'lake/ /', 'lake/year=2024/ /', 'lake/year=2024/month=2/ /', 'lake/year=2024/month=3/ /']);
    expect(Object.values(tracker.snapshot().pruning)).toEqual([{ partitions: 5 + 3, partitionsSkipped: 5 + 1, foldersListed: 4, rowGroups: 0, rowGroupsSkipped: 0 }]);
  });
});
