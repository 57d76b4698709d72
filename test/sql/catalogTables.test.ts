import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { runSluice } from '../support/cli.js';
import { tempDir } from '../support/files.js';

describe('SQL over the Data Catalog', { timeout: 180_000 }, () => {
  it('sluice crawl then sluice sql reads database.table from the catalog, with the WHERE applied', async () => {
    const dir = await tempDir('sluice-sql-catalog-');
    const lake = join(dir, 'sales');
    const rows = Array.from({ length: 12 }, (_, i) => ({ id: i, amount: i * 2.5, year: 2022 + (i % 3) }));
    await DataFrame.fromRows(rows, { id: 'int32', amount: 'float64', year: 'int32' }).write.parquet(lake, { partitionKeys: ['year'] });
    const env = { SLUICE_CATALOG: join(dir, 'catalog') };
    const crawled = await runSluice(['crawl', lake, '--database', 'shop'], env);
    expect(crawled.code, crawled.stderr).toBe(0);
    const r = await runSluice(['sql', 'SELECT count(*) AS n, sum(amount) AS total FROM shop.sales WHERE year = 2024', '--format', 'csv'], env);
    expect(r.code, r.stderr).toBe(0);
    // ids 2, 5, 8, 11: amounts 5 + 12.5 + 20 + 27.5
    expect(r.stdout.trim().split('\n')).toEqual(['n,total', '4,65']);
    const missing = await runSluice(['sql', 'SELECT * FROM shop.nothing', '--format', 'csv'], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/shop\.nothing/);
  });
});
