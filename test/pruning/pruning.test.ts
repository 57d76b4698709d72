import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataFrame, read, runCrawler, Catalog } from '../../src/index.js';
import { ProgressTracker, runWithProgress, type ScanPruning } from '../../src/exec/progress.js';
import { pushDownFilters } from '../../src/plan/pushDownFilters.js';
import type { PlanNode, ScanNode } from '../../src/plan/PlanNode.js';
import { writeFrame } from '../../src/frame/DataFrameWriter.js';
import { tempDir } from '../support/files.js';
import { duck } from '../support/duck.js';
import { runSluice } from '../support/cli.js';

/** Runs `action` and returns what it gave plus the pruning metrics of its scans. */
async function withMetrics<T>(action: () => Promise<T>): Promise<{ value: T; pruning: Record<string, ScanPruning> }> {
  const tracker = new ProgressTracker();
  const value = await runWithProgress(tracker, action);
  return { value, pruning: tracker.snapshot().pruning };
}

/** A Hive lake year=2023..2024/month=1..12 of CSV files, one row per day-ish, plus rows in a default partition. */
async function csvLake(): Promise<string> {
  const root = join(await tempDir(), 'lake');
  for (const year of [2023, 2024]) {
    for (let month = 1; month <= 12; month++) {
      const dir = join(root, `year=${year}`, `month=${month}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'part-0.csv'), `id,amount\n${year * 100 + month},${month * 10}\n${year * 100 + month + 50},${month}\n`);
    }
  }
  return root;
}

const H = { withHeader: true };
const scanOf = (plan: PlanNode): ScanNode => (plan.kind === 'scan' ? plan : scanOf((plan as { inputs: PlanNode[] }).inputs[0]));

describe('filter push-down into scans', () => {
  it('hands an expression filter (and a chain of them) to the scan, and leaves the filters in place', () => {
    const df = read.csv('in.csv').filter('amount > 5').filter("status = 'x'");
    const plan = pushDownFilters(df.plan);
    expect(plan.kind === 'transform' && plan.name).toBe('Filter');
    expect(scanOf(plan).predicate).toEqual({
      kind: 'logic', op: 'and',
      left: { kind: 'compare', op: '>', left: { kind: 'col', name: 'amount' }, right: { kind: 'lit', value: 5 } },
      right: { kind: 'compare', op: '=', left: { kind: 'col', name: 'status' }, right: { kind: 'lit', value: 'x' } },
    });
  });

  it('does not pass a row function, nor through a transform that changes columns', () => {
    expect(scanOf(pushDownFilters(read.csv('in.csv').filter((r) => Number(r.amount) > 5).plan)).predicate).toBeUndefined();
    const renamed = read.csv('in.csv').renameField('amount', 'total').filter('total > 5');
    expect(scanOf(pushDownFilters(renamed.plan)).predicate).toBeUndefined();
  });
});

describe('partition pruning', () => {
  it('reads only the partitions a filter on partition columns can match: the same rows, fewer partitions', async () => {
    const root = await csvLake();
    const { value: rows, pruning } = await withMetrics(() =>
      read.csv(root, H).filter('year = 2024 AND month >= 6 AND amount > 60').orderBy('id').toRows());
    expect(rows.map((r) => [r.id, r.amount, r.year, r.month])).toEqual(
      [7, 8, 9, 10, 11, 12].map((m) => [202400 + m, m * 10, 2024, m]),
    );
    // Listed level by level: year=2023 is pruned unlisted (counted once), 12 months of 2024 listed, 5 of them pruned;
    // folders listed: the root, year=2024, and the 7 kept months.
    expect(Object.values(pruning)).toEqual([{ partitions: 13, partitionsSkipped: 6, foldersListed: 9, rowGroups: 0, rowGroupsSkipped: 0 }]);
  });

  it('never opens a pruned partition: a corrupt file there does not fail the read', async () => {
    const root = await csvLake();
    writeFileSync(join(root, 'year=2023', 'month=1', 'part-0.csv'), 'id,amount\n"unterminated\n');
    const parquet = join(await tempDir(), 'lake');
    await read.csv(root, H).filter('NOT (year = 2023 AND month = 1)').write.parquet(parquet, { partitionKeys: ['year', 'month'] });
    writeFileSync(join(parquet, 'year=2023', 'month=2', 'broken.parquet'), 'not parquet at all');
    expect(await read.parquet(parquet).filter('year = 2024').count()).toBe(24);
    await expect(read.parquet(parquet).count()).rejects.toThrow(/broken\.parquet/);
  });

  it('agrees with DuckDB on predicates mixing partition and data columns, IN, BETWEEN, casts and NULL partitions', async () => {
    const root = await csvLake();
    const dir = join(root, 'year=__HIVE_DEFAULT_PARTITION__', 'month=1');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'part-0.csv'), 'id,amount\n1,1\n');
    const predicates = [
      'year = 2024', 'year IN (2023) AND month BETWEEN 3 AND 5', "month > '10'", 'year IS NULL', 'year IS NOT NULL AND month < 2',
      'year + month = 2030', 'year = 2024 OR amount < 3', 'NOT (year = 2023)', 'month IN (1, 12) AND amount >= 10',
    ];
    for (const predicate of predicates) {
      const ours = await read.csv(root, H).filter(predicate).count();
      const [theirs] = await duck(`SELECT count(*)::INT AS n FROM read_csv('${root}/**/*.csv', hive_partitioning = true,
        hive_types = {'year': INT, 'month': INT}) WHERE ${predicate.replace("'10'", '10')}`);
      expect([predicate, ours]).toEqual([predicate, theirs.n]);
    }
  });

  it('sluice run --metrics-json reports the partitions a spec\'s Filter pruned', async () => {
    const root = await csvLake();
    const dir = await tempDir();
    const job = join(dir, 'job.json');
    writeFileSync(job, JSON.stringify({
      name: 'pruned',
      nodes: [
        { id: 'orders', type: 'read', format: 'csv', paths: [root], formatOptions: { withHeader: true } },
        { id: 'recent', type: 'Filter', input: 'orders', condition: 'year = 2024 AND month = 12' },
        { id: 'sink', type: 'write', input: 'recent', format: 'json', path: join(dir, 'out') },
      ],
    }));
    const r = await runSluice(['run', job, '--metrics-json']);
    expect(r.code).toBe(0);
    const metrics = JSON.parse(r.stdout.trimEnd().split('\n').at(-1)!);
    expect(metrics.rows).toBe(2);
    // year=2023 pruned before listing (one), 11 months of 2024 pruned; the root, year=2024 and month=12 listed.
    expect(metrics.pruning).toEqual({ orders: { partitions: 13, partitionsSkipped: 12, foldersListed: 3, rowGroups: 0, rowGroupsSkipped: 0 } });
  });

  it('keeps the schema when every partition is pruned', async () => {
    const rows = await read.csv(await csvLake(), H).filter('year = 1999').toRows();
    expect(rows).toEqual([]);
    expect((await read.csv(await csvLake(), H).filter('year = 1999').schema()).names).toEqual(['id', 'amount', 'year', 'month']);
  });
});

describe('Parquet row-group skipping by statistics', () => {
  /** 10 row groups of 1,000 rows, sorted by id; strings, dates and timestamps rise with id. */
  async function sortedFile(): Promise<string> {
    const n = 10_000;
    const ids = Array.from({ length: n }, (_, i) => i);
    const df = DataFrame.fromColumns(
      {
        id: ids,
        code: ids.map((i) => `c${String(i).padStart(5, '0')}`),
        day: ids.map((i) => new Date(Date.UTC(2020, 0, 1) + Math.floor(i / 10) * 86_400_000)),
        ts: ids.map((i) => new Date(Date.UTC(2024, 0, 1) + i * 60_000)),
        price: ids.map((i) => (i % 7 === 0 ? null : i / 4)),
      },
      { id: 'int64', code: 'string', day: 'date', ts: 'timestamp', price: 'double' },
    );
    const out = join(await tempDir(), 'sorted');
    await df.write.parquet(out, { rowGroupSize: 1_000, mode: 'overwrite' });
    return out;
  }

  it('skips the row groups whose min/max exclude the filter, with the rows DuckDB finds', async () => {
    const file = await sortedFile();
    const { value, pruning } = await withMetrics(() => read.parquet(file).filter('id >= 9500').count());
    expect(value).toBe(500);
    expect(Object.values(pruning)).toEqual([{ partitions: 0, partitionsSkipped: 0, rowGroups: 10, rowGroupsSkipped: 9 }]);
  });

  it('row groups skipped on worker threads count in the driver\'s metrics, as inline', async () => {
    const file = await sortedFile();
    const parallel = { threads: 2, splitSize: 1024, inlineBelowBytes: 0 };
    const inline = await withMetrics(() => read.parquet(file).filter('id >= 7500').count({ parallel: false }));
    const split = await withMetrics(() => read.parquet(file).filter('id >= 7500').count(parallel));
    expect(split.value).toBe(inline.value);
    expect(inline.value).toBe(2500);
    expect(Object.values(inline.pruning)).toEqual([{ partitions: 0, partitionsSkipped: 0, rowGroups: 10, rowGroupsSkipped: 7 }]);
    expect(split.pruning).toEqual(inline.pruning);
    // A parallel write too: the workers write, the driver counts.
    const written = await withMetrics(() => writeFrame(read.parquet(file).filter('id < 2500'), { format: 'json', path: join(file, '..', 'out') }, parallel));
    expect(Object.values(written.pruning)).toEqual([{ partitions: 0, partitionsSkipped: 0, rowGroups: 10, rowGroupsSkipped: 7 }]);
  });

  it('reads statistics of strings, dates, timestamps and doubles', async () => {
    const file = await sortedFile();
    const skipped = async (predicate: string) =>
      Object.values((await withMetrics(() => read.parquet(file).filter(predicate).count())).pruning)[0].rowGroupsSkipped;
    expect(await skipped("code >= 'c09000'")).toBe(9);
    expect(await skipped("day > DATE '2022-01-01'")).toBe(7);
    expect(await skipped("ts >= TIMESTAMP '2024-01-07 10:00:00'")).toBe(9);
    expect(await skipped('price < 250')).toBe(9);
    expect(await skipped('id IN (5, 5005)')).toBe(8);
    expect(await skipped('id BETWEEN 2500 AND 3600')).toBe(8);
    expect(await skipped('id + 1 = 10')).toBe(0);
  });

  it('never skips a row group that holds a matching row (DuckDB differential over many predicates)', async () => {
    const file = await sortedFile();
    const predicates = [
      'id = 0', 'id = 9999', 'id < 1000', 'id <= 1000', '1500 > id', 'id BETWEEN 2500 AND 2600', 'id IN (5, 5005, 9999)',
      "code >= 'c09000'", "code = 'c04321'", "code < 'c00001'", "day = DATE '2020-03-01'", "day > DATE '2022-01-01'",
      "ts >= TIMESTAMP '2024-01-07 10:00:00'", "ts < TIMESTAMP '2024-01-01 00:00:30'", 'price IS NULL AND id > 9000',
      'price > 2000.1', 'price IS NOT NULL AND id < 3', "id > '9990'", 'id > 5000 AND id < 5002', 'id <> 3', 'id + 1 = 10',
    ];
    for (const predicate of predicates) {
      const ours = await read.parquet(file).filter(predicate).count();
      const [theirs] = await duck(`SELECT count(*)::INT AS n FROM read_parquet('${file}/*.parquet') WHERE ${predicate}`);
      expect([predicate, ours]).toEqual([predicate, theirs.n]);
    }
  });

  it('skips in parallel splits too, with the same count as inline', async () => {
    const file = await sortedFile();
    const inline = await read.parquet(file).filter('id < 1234').count({ parallel: false });
    const parallel = await read.parquet(file).filter('id < 1234').count({ threads: 2, inlineBelowBytes: 0, splitSize: 1 } as never);
    expect([inline, parallel]).toEqual([1234, 1234]);
  });
});

describe('filters over a catalog table', () => {
  it('prune the table\'s partitions before their files are listed, per filter (the unfiltered read still reads all)', async () => {
    const dir = await tempDir();
    const lake = join(dir, 'lake');
    const rows = [];
    for (let year = 2022; year <= 2024; year++) for (let month = 1; month <= 4; month++) rows.push({ id: year * 100 + month, amount: month * 1.5, year, month });
    await DataFrame.fromRows(rows, { id: 'int32', amount: 'float64', year: 'int32', month: 'int32' }).write.parquet(lake, { partitionKeys: ['year', 'month'] });
    const catalog = Catalog.open(join(dir, 'catalog'));
    await runCrawler({ Name: 'c', DatabaseName: 'db', Targets: { S3Targets: [{ Path: lake }] } }, { catalog });
    const table = read.table('db.lake', { catalog });
    const { value, pruning } = await withMetrics(() => table.filter('year = 2024 AND month >= 3 AND amount > 0').orderBy('id').toRows());
    expect(value.map((r) => r.id)).toEqual([202403, 202404]);
    expect(pruning['db.lake']).toEqual({ partitions: 12, partitionsSkipped: 10, rowGroups: 0, rowGroupsSkipped: 0 });
    expect(await table.count()).toBe(12);
    expect(await table.filter('year = 2023').count()).toBe(4);
  });
});
