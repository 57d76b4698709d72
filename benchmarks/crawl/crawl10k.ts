/**
 * Crawl time for a lake of N Hive partitions × 1 small CSV file (issue 10's benchmark):
 * `node --import tsx benchmarks/crawl/crawl10k.ts [N]` (default 10,000). Prints the time of the
 * crawl alone (list, sample, classify, group) and of a full crawler run into a fresh catalog
 * (plus 10,000 partition documents written), with the load average at the time.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { crawl } from '../../src/catalog/crawler/crawl.js';
import { runCrawler } from '../../src/catalog/crawler/runCrawler.js';

const partitions = Number(process.argv[2] ?? 10_000);
const dir = await mkdtemp(join(tmpdir(), 'sluice-crawl-bench-'));
const root = join(dir, 'events');
try {
  for (let p = 0; p < partitions; p++) {
    const folder = join(root, `dt=${String(p).padStart(5, '0')}`);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'part-0.csv'), `id,name,score\n${p},n${p},${p * 0.5}\n${p + 1},m${p},1.5\n`);
  }
  const load = () => loadavg().map((l) => l.toFixed(2)).join(', ');
  let t = performance.now();
  const outcome = await crawl(root);
  const crawlMs = performance.now() - t;
  console.log(`crawl: ${partitions} partitions → ${outcome.tables.length} table, ${outcome.summary.partitions} partitions in ${(crawlMs / 1000).toFixed(2)} s (load ${load()})`);
  t = performance.now();
  const run = await runCrawler({ Name: 'bench', DatabaseName: 'bench', Targets: { S3Targets: [{ Path: root }] } }, { catalog: join(dir, 'catalog') });
  console.log(`runCrawler into a local catalog: ${run.partitionsAdded} partitions added in ${((performance.now() - t) / 1000).toFixed(2)} s (load ${load()})`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
