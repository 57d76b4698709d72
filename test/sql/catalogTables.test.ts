import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { runSluice } from '../support/cli.js';
import { REPO, tempDir } from '../support/files.js';

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

describe('sluice sql --catalog', { timeout: 180_000 }, () => {
  it('reads db.table, SHOW DATABASES, SHOW TABLES [IN db], DESCRIBE and \\d from the catalog it names', async () => {
    const dir = await tempDir('sluice-sql-catalog-flag-');
    const lake = join(dir, 'sales');
    const rows = Array.from({ length: 6 }, (_, i) => ({ id: i, amount: i * 2.5, year: 2022 + (i % 2) }));
    await DataFrame.fromRows(rows, { id: 'int64', amount: 'float64', year: 'int32' }).write.parquet(lake, { partitionKeys: ['year'] });
    const catalog = join(dir, 'my catalog');
    const crawled = await runSluice(['crawl', lake, '--database', 'shop'], { SLUICE_CATALOG: catalog });
    expect(crawled.code, crawled.stderr).toBe(0);
    // A crawler types partition columns as string, as Glue's does.
    // No env: only --catalog names the catalog (a bare --catalog before the query means the default one).
    const env = { SLUICE_CATALOG: '' };
    const csv = (args: string[]) => runSluice(['sql', ...args, '--format', 'csv'], env);

    const total = await csv(['--catalog', catalog, 'SELECT count(*) AS n, sum(amount) AS total FROM shop.sales WHERE year = 2023']);
    expect(total.stdout.trim().split('\n'), total.stderr).toEqual(['n,total', '3,22.5']);
    expect((await csv(['SHOW DATABASES', '--catalog', catalog])).stdout.trim().split('\n')).toEqual(['namespace', 'shop']);
    const tables = await runSluice(['sql', 'SHOW TABLES IN shop', `--catalog=${catalog}`, '--table', `extra=${lake}`, '--format', 'csv'], env);
    expect(tables.stdout.trim().split('\n'), tables.stderr).toEqual(['namespace,tableName,isTemporary', 'shop,sales,false', ',extra,true']);
    const described = await csv(['--catalog', catalog, 'DESCRIBE TABLE shop.sales']);
    expect(described.stdout.trim().split('\n'), described.stderr).toEqual([
      'col_name,data_type,comment', 'id,bigint,', 'amount,double,', 'year,string,',
      '# Partition Information,,', '# col_name,data_type,comment', 'year,string,',
    ]);
    const missing = await csv(['--catalog', catalog, 'SHOW TABLES IN nowhere']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("database 'nowhere' not found in the catalog");

    const input = ['\\d', '\\d shop.sales', ''].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', `${REPO}/src/cli/main.ts`, 'sql', '--catalog', catalog], { cwd: REPO, input, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
    expect(r.stdout.split('\n').filter(Boolean), r.stderr).toEqual(['shop.sales', '  id: int64', '  amount: float64', '  year: string']);
  });
});
