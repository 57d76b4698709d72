import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { SqlSession, spark } from '../../src/sql/SqlSession.js';
import { SqlSyntaxError } from '../../src/sql/SqlSyntaxError.js';
import { GlueContext } from '../../src/job/GlueContext.js';
import { REPO, tempDir } from '../support/files.js';
import { pushDownProjection } from '../../src/plan/pushDownProjection.js';
import type { PlanNode, ScanNode } from '../../src/plan/PlanNode.js';
import { transformDefs } from '../../transforms/registry.js';

const orders = () => DataFrame.fromRows(
  [
    { id: 1, customer: 'a', amount: 10, ts: 1 },
    { id: 2, customer: 'a', amount: 30, ts: 3 },
    { id: 3, customer: 'b', amount: 5, ts: 2 },
    { id: 4, customer: null, amount: 7, ts: 4 },
  ],
  { id: 'int32', customer: 'string', amount: 'int32', ts: 'int32' },
);

async function rows(session: SqlSession, sql: string) {
  return (await session.sql(sql)).toRows();
}

async function sqlError(session: SqlSession, sql: string): Promise<SqlSyntaxError> {
  const error = await session.sql(sql).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SqlSyntaxError);
  return error as SqlSyntaxError;
}

describe('session.sql', () => {
  it('compiles to the same plan nodes as the fluent API', async () => {
    const df = orders();
    const session = new SqlSession({ tables: { orders: df } });
    const viaSql = await session.sql('SELECT id, amount FROM orders WHERE amount > 6');
    const fluent = df.filter('amount > 6').selectFields(['id', 'amount']);
    expect(viaSql.plan).toEqual(fluent.plan);
  });

  it('keeps the latest record per key with row_number() in a subquery', async () => {
    const session = new SqlSession({ tables: { orders: orders() } });
    const latest = await rows(session, `
      SELECT id, customer FROM (
        SELECT *, row_number() OVER (PARTITION BY customer ORDER BY ts DESC) AS rn FROM orders
      ) WHERE rn = 1 ORDER BY id`);
    expect(latest).toEqual([{ id: 2, customer: 'a' }, { id: 3, customer: 'b' }, { id: 4, customer: null }]);
  });

  it('reads temp views case-insensitively, through spark.sql and glueContext.sql', async () => {
    orders().createOrReplaceTempView('Orders_View');
    expect(await (await spark.sql('select COUNT(*) AS n from orders_view')).toRows()).toEqual([{ n: 4 }]);
    const glue = new GlueContext();
    expect(await (await glue.sql('SELECT max(Amount) AS m FROM ORDERS_VIEW')).toRows()).toEqual([{ m: 30 }]);
  });

  it('reads paths: parquet.`folder`, with Hive partition columns', async () => {
    const dir = await tempDir();
    await orders().withColumns({ year: '2024' }).write.parquet(join(dir, 'lake'), { partitionKeys: ['year'] });
    const session = new SqlSession();
    const out = await rows(session, `SELECT year, sum(amount) AS total FROM parquet.\`${join(dir, 'lake')}\` t WHERE t.year = 2024 GROUP BY year`);
    expect(out).toEqual([{ year: 2024, total: 52 }]);
  });

  it("joins sides whose names clash, even with a column already named '<name>_right'", async () => {
    const session = new SqlSession({ tables: {
      a: DataFrame.fromRows([{ id: 1, id_right: 'x' }, { id: 2, id_right: 'y' }]),
      b: DataFrame.fromRows([{ id: 2, w: 'two' }, { id: 3, w: 'three' }]),
    } });
    expect(await rows(session, 'SELECT a.id, a.id_right, b.id AS bid, b.w FROM a FULL JOIN b ON a.id = b.id ORDER BY bid NULLS FIRST')).toEqual([
      { id: 1, id_right: 'x', bid: null, w: null },
      { id: 2, id_right: 'y', bid: 2, w: 'two' },
      { id: null, id_right: null, bid: 3, w: 'three' },
    ]);
    expect(await rows(session, 'SELECT * FROM a JOIN b USING (id)')).toEqual([{ id: 2, id_right: 'y', w: 'two' }]);
  });

  it('EXPLAIN returns the plan as one row', async () => {
    const session = new SqlSession({ tables: { orders: orders() } });
    const [{ plan }] = (await rows(session, 'EXPLAIN SELECT customer, count(*) FROM orders GROUP BY customer')) as { plan: string }[];
    expect(plan).toMatch(/GroupBy/);
    expect(await session.explain('SELECT * FROM orders o JOIN orders p ON o.id = p.id')).toMatch(/Join/);
  });

  it('reads only the columns the query uses from Parquet', async () => {
    const dir = await tempDir();
    await orders().write.parquet(join(dir, 'o'));
    const session = new SqlSession({ tables: { o: read.parquet(join(dir, 'o')) } });
    const df = await session.sql('SELECT sum(amount) AS s FROM o WHERE id > 1');
    const pushed = pushDownProjection(df.plan, null, transformDefs);
    expect(scans(pushed).map((s) => [...(s.columns ?? ['(all)'])].sort())).toEqual([['amount', 'id']]);
    expect(await df.toRows()).toEqual([{ s: 42 }]);
  });
});

/** The scans of a plan. */
function scans(plan: PlanNode): ScanNode[] {
  if (plan.kind === 'scan') return [plan];
  return plan.kind === 'transform' ? plan.inputs.flatMap(scans) : [];
}

describe('SQL errors point at the token', () => {
  const session = new SqlSession({ tables: { orders: orders(), other: orders() } });

  it('a syntax error names line and column, with a caret', async () => {
    const error = await sqlError(session, 'SELECT id,\n  amount +\nFROM orders');
    expect(error.line).toBe(3);
    expect(error.column).toBe(1);
    expect(error.message).toContain('line 3, column 1');
    expect(error.message).toContain('  FROM orders\n  ^');
  });

  it('an unknown column lists what there is', async () => {
    const error = await sqlError(session, 'SELECT amont FROM orders');
    expect(error.message).toMatch(/column 'amont' not found; available: orders.id, orders.customer, orders.amount, orders.ts at line 1, column 8/);
  });

  it('an ambiguous column asks for a qualifier', async () => {
    const error = await sqlError(session, 'SELECT id FROM orders o JOIN other p ON o.id = p.id');
    expect(error.message).toMatch(/column 'id' is ambiguous: it could be o.id or p.id/);
    expect(error.column).toBe(8);
  });

  it('an unknown table suggests the nearest', async () => {
    const error = await sqlError(session, 'SELECT * FROM ordrs');
    expect(error.message).toMatch(/table or view 'ordrs' not found \(did you mean 'orders'\?\)/);
  });

  it('a database.table the Data Catalog does not hold says where it looked', async () => {
    const error = await sqlError(session, 'SELECT * FROM sales.orders');
    expect(error.message).toMatch(/table 'sales.orders' is not in the Data Catalog at .* \(chosen by sluice sql --catalog or the session's catalog option, else env SLUICE_CATALOG, else .sluice\/catalog/);
  });

  it('a column neither grouped nor aggregated', async () => {
    const error = await sqlError(session, 'SELECT customer, amount FROM orders GROUP BY customer');
    expect(error.message).toMatch(/column 'amount' must be in GROUP BY or inside an aggregate function at line 1, column 18/);
  });

  it('an aggregate sluice does not compute yet names itself', async () => {
    const error = await sqlError(session, 'SELECT sum(DISTINCT amount) FROM orders');
    expect(error.message).toMatch(/aggregate sum\(DISTINCT …\) is not supported yet/);
  });
});

describe('sluice --version does not load SQL', () => {
  it('reaches no src/sql module through static imports from the CLI entry', async () => {
    const seen = new Set<string>();
    const visit = async (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = await readFile(file, 'utf8');
      for (const m of text.matchAll(/^import (?!type )[^;]*? from '(\.[^']+)';/gm)) {
        await visit(resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
      }
    };
    await visit(join(REPO, 'src/cli/main.ts'));
    expect([...seen].filter((f) => f.includes('/src/sql/'))).toEqual([]);
    expect(seen.size).toBeGreaterThan(2);
  });
});

describe('aggregates that keep values', () => {
  const session = new SqlSession({ tables: { orders: orders() } });

  it('first, last (IGNORE NULLS), collect_list per group, in input order', async () => {
    const out = await rows(session, `
      SELECT customer, first(amount) AS f, last(id) AS l, first(customer) IGNORE NULLS AS c, collect_list(id) AS ids
      FROM orders GROUP BY customer ORDER BY customer NULLS LAST`);
    expect(out).toEqual([
      { customer: 'a', f: 10, l: 2, c: 'a', ids: [1, 2] },
      { customer: 'b', f: 5, l: 3, c: 'b', ids: [3] },
      { customer: null, f: 7, l: 4, c: null, ids: [4] },
    ]);
    expect(await rows(session, 'SELECT first(customer) AS a, first(customer, true) AS b, last(customer, true) AS c, collect_list(customer) AS all FROM orders WHERE id >= 3 ORDER BY a'))
      .toEqual([{ a: 'b', b: 'b', c: 'b', all: ['b'] }]);
  });
});
