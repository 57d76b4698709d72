import { Field, Int32, Map_, Struct, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { SqlSession } from '../../src/sql/SqlSession.js';
import { SqlSyntaxError } from '../../src/sql/SqlSyntaxError.js';
import { tempDir } from '../support/files.js';
import { join } from 'node:path';

/** Query shapes beyond the DuckDB differential (queries.test.ts): maps in LATERAL VIEW, and the errors of shapes sluice refuses. */

const session = () => new SqlSession({
  tables: {
    t: DataFrame.fromRows(
      [{ k: 1, v: 10, tags: 'a,b' }, { k: 1, v: 20, tags: null }, { k: 2, v: 5, tags: 'c' }],
      { k: 'int32', v: 'int32', tags: 'string' },
    ),
    u: DataFrame.fromRows([{ k: 1, w: 'x' }, { k: 3, w: 'y' }], { k: 'int32', w: 'string' }),
  },
});

async function sqlError(sql: string): Promise<SqlSyntaxError> {
  const error = await session().sql(sql).then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SqlSyntaxError);
  return error as SqlSyntaxError;
}

describe('query shapes', () => {
  it('LATERAL VIEW explode over a map gives key and value, even where the input has a column named key', async () => {
    const entries = new Struct([new Field('key', new Utf8(), false), new Field('value', new Int32(), true)]);
    const props = vectorFromArray([new Map([['p', 1], ['q', 2]]), new Map([['p', 1], ['q', 2]])], new Map_(new Field('entries', entries, false)));
    const s = session().register('m', DataFrame.fromArrow(new Table({ key: vectorFromArray([1, 3], new Int32()), props })));
    const rows = await (await s.sql('SELECT m.key, e.key AS mk, value AS mv FROM m LATERAL VIEW explode(props) e ORDER BY m.key, mk')).toRows();
    expect(rows).toEqual([
      { key: 1, mk: 'p', mv: 1 }, { key: 1, mk: 'q', mv: 2 },
      { key: 3, mk: 'p', mv: 1 }, { key: 3, mk: 'q', mv: 2 },
    ]);
  });

  it('LATERAL VIEW names its columns without AS, and explode_outer is OUTER', async () => {
    const rows = await (await session().sql("SELECT v, part FROM t LATERAL VIEW explode_outer(split(tags, ',')) x part ORDER BY v, part")).toRows();
    expect(rows).toEqual([{ v: 5, part: 'c' }, { v: 10, part: 'a' }, { v: 10, part: 'b' }, { v: 20, part: null }]);
  });

  it('LATERAL VIEW refuses a generator it does not have, and a wrong number of names', async () => {
    expect((await sqlError('SELECT * FROM t LATERAL VIEW inline(x) y')).message).toMatch(/explode, posexplode .*'inline' is not supported.*line 1, column 30/);
    expect((await sqlError("SELECT * FROM t LATERAL VIEW posexplode(split(tags, ',')) y AS a")).message).toMatch(/makes 2 columns \(pos, col\); the view names 1/);
  });

  it('a generator in SELECT: one per SELECT, a whole item, columns named as in Spark', async () => {
    expect(await (await session().sql('SELECT explode(array(1, 2)) ORDER BY col')).toRows()).toEqual([{ col: 1 }, { col: 2 }]);
    expect((await sqlError("SELECT explode(split(tags, ',')), explode(array(k)) FROM t")).message).toMatch(/only one generator .* per SELECT.*column 35/s);
    expect((await sqlError("SELECT 1 + size(array(explode(split(tags, ',')))) FROM t")).message).toMatch(/must be a whole SELECT item/);
    expect((await sqlError("SELECT k, explode(split(tags, ',')) FROM t GROUP BY k")).message).toMatch(/cannot be combined with GROUP BY/);
    expect(await (await session().sql("SELECT k, posexplode(split(tags, ',')) AS (p, tag) FROM t WHERE v = 10")).toRows()).toEqual([{ k: 1, p: 0, tag: 'a' }, { k: 1, p: 1, tag: 'b' }]);
    expect((await sqlError('SELECT k + 1 AS (a, b) FROM t')).message).toMatch(/AS \(a, b, …\) names the columns of a generator/);
  });

  it('OVER w needs WINDOW w in its own SELECT', async () => {
    expect((await sqlError('SELECT k, rank() OVER w FROM t WINDOW v AS (ORDER BY k)')).message).toMatch(/a window defined by WINDOW w AS .* in this SELECT.*line 1, column 23/s);
    expect((await sqlError('SELECT * FROM (SELECT k, rank() OVER w FROM t) x WINDOW w AS (ORDER BY k)')).message).toMatch(/WINDOW w AS/);
  });

  it('NATURAL JOIN refuses CROSS, ON and USING', async () => {
    expect((await sqlError('SELECT * FROM t NATURAL CROSS JOIN u')).message).toMatch(/no NATURAL CROSS JOIN.*column 25/);
    expect((await sqlError('SELECT * FROM t NATURAL JOIN u ON t.k = u.k')).message).toMatch(/no ON or USING after a NATURAL JOIN/);
  });

  it('NATURAL FULL JOIN shows the key once, coalesced, first', async () => {
    const rows = await (await session().sql('SELECT * FROM t NATURAL FULL JOIN u ORDER BY k, v')).toRows();
    expect(rows).toEqual([
      { k: 1, v: 10, tags: 'a,b', w: 'x' }, { k: 1, v: 20, tags: null, w: 'x' },
      { k: 2, v: 5, tags: 'c', w: null }, { k: 3, v: null, tags: null, w: 'y' },
    ]);
  });

  it('a correlated scalar subquery correlated by a non-equality is refused, pointing at it', async () => {
    const error = await sqlError('SELECT k,\n (SELECT max(v) FROM t t2 WHERE t2.v < u.k) FROM u');
    expect(error.message).toMatch(/correlated by equalities inner = outer.*not such an equality at line 2, column 33/s);
  });

  it('a correlated scalar subquery must be aggregated, as in Spark', async () => {
    expect((await sqlError('SELECT k, (SELECT v FROM t WHERE t.k = u.k) FROM u')).message).toMatch(/must be aggregated/);
    expect((await sqlError('SELECT k, (SELECT max(v) FROM t WHERE t.k = u.k GROUP BY v) FROM u')).message).toMatch(/no GROUP BY/);
  });

  it('a name neither scope has is still a name error', async () => {
    expect((await sqlError('SELECT k, (SELECT max(v) FROM t WHERE t.k = nope) FROM u')).message).toMatch(/column 'nope' not found/);
  });

  it('SHOW TABLES lists the session tables as temporary; DESCRIBE gives Spark type names', async () => {
    const root = await tempDir('sluice-empty-catalog-');
    const s = new SqlSession({ catalog: join(root, 'none'), tables: { t: DataFrame.fromRows([{ a: 1, b: 'x', c: 1.5 }], { a: 'int64', b: 'string', c: 'float64' }) } });
    const tables = await (await s.sql('SHOW TABLES')).toRows();
    expect(tables.find((r) => r.tableName === 't')).toEqual({ namespace: '', tableName: 't', isTemporary: true });
    expect(await (await s.sql('SHOW DATABASES')).toRows()).toEqual([]);
    s.register('sales_2024', DataFrame.fromRows([{ a: 1 }], { a: 'int32' })).register('Sales_2023', DataFrame.fromRows([{ a: 1 }], { a: 'int32' }));
    expect((await (await s.sql("SHOW TABLES LIKE 'sales_*|t'")).toRows()).map((r) => r.tableName)).toEqual(['sales_2023', 'sales_2024', 't']);
    expect((await (await s.sql("SHOW TABLES 'SALES_2024'")).toRows()).map((r) => r.tableName)).toEqual(['sales_2024']);
    expect(await (await s.sql('desc t;')).toRows()).toEqual([
      { col_name: 'a', data_type: 'bigint', comment: null }, { col_name: 'b', data_type: 'string', comment: null }, { col_name: 'c', data_type: 'double', comment: null },
    ]);
    expect((await s.sql('DESCRIBE TABLE nope').then(() => undefined, (e: Error) => e))?.message).toMatch(/table or view 'nope' not found.*line 1, column 16/s);
    expect((await s.sql('SHOW TABLES IN shop').then(() => undefined, (e: Error) => e))?.message).toMatch(/database 'shop' not found in the catalog/);
  });

  it('INTERSECT ALL and EXCEPT ALL count duplicates and NULLs', async () => {
    const s = session();
    s.register('a', DataFrame.fromRows([{ x: 1 }, { x: 1 }, { x: 1 }, { x: null }, { x: null }, { x: 2 }], { x: 'int32' }));
    s.register('b', DataFrame.fromRows([{ x: 1 }, { x: null }, { x: 3 }, { x: 1 }], { x: 'int32' }));
    expect(await (await s.sql('SELECT x FROM a INTERSECT ALL SELECT x FROM b ORDER BY x')).toRows()).toEqual([{ x: null }, { x: 1 }, { x: 1 }]);
    expect(await (await s.sql('SELECT x FROM a EXCEPT ALL SELECT x FROM b ORDER BY x')).toRows()).toEqual([{ x: null }, { x: 1 }, { x: 2 }]);
  });
});
