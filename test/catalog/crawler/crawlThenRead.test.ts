import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/Catalog.js';
import { runCrawler } from '../../../src/catalog/crawler/runCrawler.js';
import { read } from '../../../src/frame/read.js';
import { duck } from '../../support/duck.js';
import { tempDir } from '../../support/files.js';
import { writeLake } from './lakes.js';

const byKeys = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])))).sort();

describe('crawled tables read through the catalog', () => {
  it('read.table of crawled CSV (with and without header) and JSON lakes gives the rows DuckDB reads from the files', async () => {
    const dir = await tempDir();
    await writeLake(join(dir, 'lake'), {
      'orders/region=eu/a.csv': 'order_id,amount\n1,9.5\n2,3.25\n',
      'orders/region=us/a.csv': 'order_id,amount\n3,1.5\n',
      'plain/a.csv': '1,x\n2,y\n',
      'plain/b.csv': '3,z\n',
      'events/2024/a.json': '{"id":1,"kind":"click"}\n',
      'events/2025/a.json': '{"id":2,"kind":"view"}\n{"id":3,"kind":"click"}\n',
    });
    const catalog = Catalog.open(join(dir, 'catalog'));
    const run = await runCrawler({ Name: 'c', DatabaseName: 'lake', Targets: { S3Targets: [{ Path: join(dir, 'lake', 'orders') }, { Path: join(dir, 'lake', 'plain') }, { Path: join(dir, 'lake', 'events') }] } }, { catalog });
    expect(run.tablesCreated).toEqual(['orders', 'plain', 'events']);

    const orders = await read.table('lake.orders', { catalog }).toRows();
    expect(byKeys(orders)).toEqual(byKeys(await duck(`SELECT order_id::INT AS order_id, amount, region FROM read_csv('${dir}/lake/orders/*/*', hive_partitioning = true, union_by_name = true)`)));
    const plain = await read.table('lake.plain', { catalog }).toRows();
    expect(byKeys(plain)).toEqual(byKeys(await duck(`SELECT column0::INT AS col1, column1 AS col2 FROM read_csv('${dir}/lake/plain/*.csv', header = false)`)));
    const events = await read.table('lake.events', { catalog }).toRows();
    expect(byKeys(events)).toEqual(byKeys(await duck(`SELECT id::INT AS id, kind, split_part(filename, '/', -2) AS partition_0 FROM read_json('${dir}/lake/events/*/*.json', filename = true)`)));
  });
});
