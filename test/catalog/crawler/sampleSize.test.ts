import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/Catalog.js';
import { crawl } from '../../../src/catalog/crawler/crawl.js';
import { runCrawler } from '../../../src/catalog/crawler/runCrawler.js';
import { runCliInProcess } from '../../support/cli.js';
import { tempDir } from '../../support/files.js';
import { salesCsv, writeLake } from './lakes.js';

/** Two partitions of three CSV files each; the last file (key order) of year=2025 is not CSV at all. */
async function lakeWithCorruptLastFile() {
  const dir = await tempDir();
  const root = join(dir, 'sales');
  await writeLake(root, {
    'year=2024/a.csv': salesCsv(2), 'year=2024/b.csv': salesCsv(2, 3), 'year=2024/c.csv': salesCsv(2, 5),
    'year=2025/a.csv': salesCsv(4), 'year=2025/b.csv': salesCsv(4, 5),
  });
  await writeFile(join(root, 'year=2025', 'z.csv'), Buffer.from([0x00, 0xff, 0xfe, 0x01, 0x02]));
  return { dir, root };
}

describe("SampleSize: only the first N files of each folder are read (Glue's S3Target.SampleSize)", () => {
  it('a file beyond the sample is never opened; unread files join their folder\'s table with estimated statistics', async () => {
    const { root } = await lakeWithCorruptLastFile();
    const all = await crawl(root);
    expect(all.summary.unclassified.map((f) => f.path)).toEqual([join(root, 'year=2025', 'z.csv')]);
    expect(all.summary).toMatchObject({ filesRead: 6, filesNotSampled: 0 });

    const sampled = await crawl(root, { sampleSize: 2 });
    expect(sampled.summary).toMatchObject({ filesRead: 4, filesNotSampled: 2, unclassified: [] });
    const sizes = [salesCsv(2), salesCsv(2, 3), salesCsv(4), salesCsv(4, 5)].reduce((n, text) => n + text.length, 0);
    expect(sampled.summary.bytesRead).toBe(sizes); // only a.csv and b.csv of each folder
    const [sales] = sampled.tables;
    expect(sales.input.Name).toBe('sales');
    expect(sales.input.StorageDescriptor?.Columns).toEqual([{ Name: 'id', Type: 'bigint' }, { Name: 'name', Type: 'string' }, { Name: 'score', Type: 'double' }]);
    expect(sales.partitions.map((p) => [p.Values, p.Parameters?.objectCount])).toEqual([[['2024'], '3'], [['2025'], '3']]);
    // year=2024/c.csv is not read: its records are estimated from a.csv's bytes per record (2 rows of the same width).
    expect(sales.partitions[0].Parameters?.recordCount).toBe('6');
  });

  it('a crawler definition and the CLI take it; out-of-range values are errors naming the option', async () => {
    const { dir, root } = await lakeWithCorruptLastFile();
    const catalog = Catalog.open(join(dir, 'catalog'));
    const run = await runCrawler({ Name: 'c', DatabaseName: 'lake', Targets: { S3Targets: [{ Path: root, SampleSize: 1 }] } }, { catalog });
    expect(run).toMatchObject({ filesRead: 2, filesNotSampled: 4, unclassified: [], tablesCreated: ['sales'], partitionsAdded: 2 });
    await expect(runCrawler({ Name: 'c', DatabaseName: 'lake', Targets: { S3Targets: [{ Path: root, SampleSize: 250 }] } }, { catalog }))
      .rejects.toThrow("Crawler definition Targets.S3Targets[0].SampleSize: must be a whole number of files per folder from 1 to 249 (Glue's SampleSize), not 250");
    await expect(crawl(root, { sampleSize: 0 })).rejects.toThrow(/sampleSize must be a whole number of files per folder from 1 to 249/);

    const cli = await runCliInProcess(['crawl', root, '--database', 'cli', '--sample-size', '2', '--catalog', join(dir, 'catalog')]);
    expect(cli.code).toBe(0);
    expect(cli.out).toContain('  partitions added 2, updated 0, deleted 0; 4 files read, 0 excluded, 2 not sampled');
    const bad = await runCliInProcess(['crawl', root, '--database', 'cli', '--sample-size', '300', '--catalog', join(dir, 'catalog')]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain("--sample-size is files per folder from 1 to 249 (Glue's SampleSize), not 300");
  });
});
