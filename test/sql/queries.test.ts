import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { SqlSession } from '../../src/sql/SqlSession.js';
import { tempDir } from '../support/files.js';

/**
 * SQL queries run by sluice (SqlSession → the fluent API's transforms) and by DuckDB over the same
 * generated CSV files, compared row for row: as sorted multisets, or in order where the query
 * sorts (`ordered`). Values compare by kind (numbers to 10 significant digits, so that float
 * sums taken in another order agree).
 *
 * Known Spark-vs-DuckDB differences, and what sluice follows (Spark's documented answer):
 * - NULL ordering: Spark sorts NULLs first ascending and last descending; DuckDB sorts them last
 *   either way. The queries below spell NULLS FIRST/LAST where NULLs can sort.
 * - `LEFT SEMI JOIN` / `LEFT ANTI JOIN` are Spark's spelling; DuckDB says `SEMI JOIN` / `ANTI JOIN` (`duck` text).
 * - Backticks quote identifiers in Spark; DuckDB uses double quotes (`duck` text).
 * - `SELECT *` over `JOIN … USING (k)`: Spark puts k first, then the other columns of each side;
 *   DuckDB keeps k where the left table has it. The queries name their columns.
 * - approx_count_distinct: sluice counts exactly (within any error bound Spark's HyperLogLog++
 *   allows); DuckDB's is approximate, so its side uses count(DISTINCT …).
 * - Column names of unaliased expressions differ (Spark `(a + 1)`, `count(1)`); rows compare by position.
 * - max_by/min_by give the chosen row's value even when it is NULL (Spark); DuckDB's arg_max skips
 *   NULL values, so its side uses arg_max_null/arg_min_null.
 */
interface Case { name: string; sql: string; duck?: string; ordered?: boolean }

const CASES: Case[] = [
  // projection, filters, DISTINCT, ORDER BY, LIMIT
  { name: 'filter', sql: "SELECT order_id, amount FROM o WHERE amount > 50 AND status <> 'cancelled'" },
  { name: 'distinct', sql: 'SELECT DISTINCT status FROM o' },
  { name: 'distinct pairs', sql: 'SELECT DISTINCT customer_id, status FROM o WHERE day < 5' },
  { name: 'order by expression, limit', sql: 'SELECT order_id, amount * qty AS total FROM o ORDER BY total DESC NULLS LAST, order_id LIMIT 10', ordered: true },
  { name: 'is null', sql: 'SELECT * FROM c WHERE segment IS NULL' },
  { name: 'case, coalesce, between', sql: "SELECT order_id, CASE WHEN amount > 50 THEN 'big' WHEN amount IS NULL THEN 'none' ELSE 'small' END AS size, coalesce(customer_id, -1) AS cid FROM o WHERE order_id BETWEEN 10 AND 60" },
  { name: 'case-insensitive names, backticks', sql: "SELECT `Order_ID`, O.AMOUNT FROM o AS O WHERE O.Status = 'paid'", duck: `SELECT "Order_ID", O.AMOUNT FROM o AS O WHERE O.Status = 'paid'` },
  { name: 'no FROM', sql: "SELECT 1 + 2 AS three, 'x' AS x" },
  { name: 'values as a table, joined', sql: "SELECT v.code, v.label, count(c.id) FROM VALUES ('FR', 'France'), ('DE', 'Germany'), ('IT', NULL) AS v(code, label) LEFT JOIN c ON c.country = v.code GROUP BY v.code, v.label", duck: "SELECT v.code, v.label, count(c.id) FROM (VALUES ('FR', 'France'), ('DE', 'Germany'), ('IT', NULL)) AS v(code, label) LEFT JOIN c ON c.country = v.code GROUP BY v.code, v.label" },
  { name: 'values in parentheses, mixed numbers widen to double', sql: 'SELECT x * 2 AS y FROM (VALUES (1), (2.5), (NULL)) t(x)' },
  // joins of every kind
  { name: 'inner join', sql: 'SELECT c.name, o.order_id FROM o JOIN c ON o.customer_id = c.id' },
  { name: 'left join', sql: 'SELECT c.id, o.order_id FROM c LEFT JOIN o ON c.id = o.customer_id' },
  { name: 'right join', sql: 'SELECT c.id, o.order_id FROM o RIGHT JOIN c ON o.customer_id = c.id' },
  { name: 'full join', sql: 'SELECT c.id, o.order_id, o.customer_id FROM c FULL OUTER JOIN o ON c.id = o.customer_id' },
  { name: 'left semi join', sql: 'SELECT * FROM c LEFT SEMI JOIN o ON c.id = o.customer_id', duck: 'SELECT * FROM c SEMI JOIN o ON c.id = o.customer_id' },
  { name: 'left anti join', sql: 'SELECT * FROM c LEFT ANTI JOIN o ON c.id = o.customer_id', duck: 'SELECT * FROM c ANTI JOIN o ON c.id = o.customer_id' },
  { name: 'cross join', sql: 'SELECT c.id, s.discount FROM c CROSS JOIN s WHERE c.id < 4' },
  { name: 'comma join', sql: 'SELECT c.id, s.segment FROM c, s WHERE c.segment = s.segment' },
  { name: 'null keys never match', sql: 'SELECT c.id, s.discount FROM c JOIN s ON c.segment = s.segment' },
  { name: 'full join with null keys', sql: 'SELECT c.segment, s.segment, s.discount FROM c FULL JOIN s ON c.segment = s.segment' },
  { name: 'join using', sql: 'SELECT segment, id, discount FROM c JOIN s USING (segment)' },
  { name: 'left join using', sql: 'SELECT id, segment, discount FROM c LEFT JOIN s USING (segment)' },
  { name: 'full join using', sql: 'SELECT segment, id, discount FROM c FULL JOIN s USING (segment)' },
  { name: 'natural join', sql: 'SELECT segment, id, discount FROM c NATURAL JOIN s' },
  { name: 'natural left join', sql: 'SELECT id, segment, discount FROM c NATURAL LEFT OUTER JOIN s' },
  { name: 'natural right join', sql: 'SELECT segment, id, discount FROM c NATURAL RIGHT JOIN s' },
  { name: 'natural full join: the key coalesced', sql: 'SELECT segment, id, discount FROM c NATURAL FULL OUTER JOIN s' },
  { name: 'natural join on two columns, star', sql: 'SELECT * FROM (SELECT customer_id, day, order_id FROM o) a NATURAL JOIN (SELECT customer_id, day, qty FROM o) b' },
  { name: 'natural join without common columns is a cross join', sql: 'SELECT * FROM (SELECT id FROM c WHERE id < 4) x NATURAL JOIN (SELECT discount FROM s) y', duck: 'SELECT * FROM (SELECT id FROM c WHERE id < 4) x CROSS JOIN (SELECT discount FROM s) y' },
  { name: 'natural left semi join', sql: 'SELECT * FROM c NATURAL LEFT SEMI JOIN s', duck: 'SELECT * FROM c SEMI JOIN s USING (segment)' },
  { name: 'right join using: the right key', sql: 'SELECT segment, id, discount FROM c RIGHT JOIN s USING (segment)' },
  { name: 'lateral view explode', sql: 'SELECT c.id, t.part FROM c LATERAL VIEW explode(array(id, id * 2, id * 3)) t AS part WHERE c.id < 5', duck: 'SELECT id, unnest([id, id * 2, id * 3]) AS part FROM c WHERE id < 5' },
  { name: 'lateral view posexplode, default names', sql: 'SELECT id, pos, col FROM c LATERAL VIEW posexplode(array(country, segment)) v WHERE id < 6', duck: 'SELECT id, generate_subscripts([country, segment], 1) - 1, unnest([country, segment]) FROM c WHERE id < 6' },
  { name: 'lateral view outer keeps null arrays', sql: "SELECT c.id, u.part FROM c LATERAL VIEW OUTER explode(split(segment, 'r')) u AS part", duck: "SELECT c.id, u.part FROM c LEFT JOIN LATERAL (SELECT unnest(string_split(c.segment, 'r')) AS part) u ON true" },
  { name: 'lateral view then group by', sql: "SELECT part, count(*) FROM c LATERAL VIEW explode(split(segment, 'r')) u AS part GROUP BY part", duck: "SELECT part, count(*) FROM (SELECT unnest(string_split(segment, 'r')) AS part FROM c) GROUP BY part" },
  { name: 'explode in the SELECT list', sql: "SELECT id, explode(split(segment, 'r')) AS part FROM c WHERE id < 20", duck: "SELECT id, unnest(string_split(segment, 'r')) AS part FROM c WHERE id < 20" },
  { name: 'explode_outer in the SELECT list, default name', sql: "SELECT id, explode_outer(split(segment, 'r')) FROM c", duck: "SELECT c.id, u.part FROM c LEFT JOIN LATERAL (SELECT unnest(string_split(c.segment, 'r')) AS part) u ON true" },
  { name: 'posexplode in the SELECT list, then filtered in an outer query', sql: 'SELECT id, pos, col FROM (SELECT id, posexplode(array(country, segment)) FROM c) x WHERE col IS NOT NULL', duck: 'SELECT * FROM (SELECT id, generate_subscripts([country, segment], 1) - 1 AS pos, unnest([country, segment]) AS col FROM c) x WHERE col IS NOT NULL' },
  { name: 'join with conditions on each side', sql: "SELECT o.order_id FROM o JOIN c ON o.customer_id = c.id AND o.amount > 50 AND c.country = 'FR'" },
  { name: 'left join, condition on the right', sql: "SELECT o.order_id, c.id FROM o LEFT JOIN c ON o.customer_id = c.id AND c.country = 'DE'" },
  { name: 'self join with a non-equality', sql: 'SELECT a.order_id, b.order_id FROM o a JOIN o b ON a.customer_id = b.customer_id AND a.day = b.day AND a.order_id < b.order_id' },
  { name: 'join on expressions', sql: 'SELECT a.order_id, b.order_id FROM o a JOIN o b ON a.order_id + 1 = b.order_id WHERE a.order_id < 20' },
  { name: 'three-way join', sql: 'SELECT o.order_id, c.name, s.discount FROM o JOIN c ON o.customer_id = c.id LEFT JOIN s ON c.segment = s.segment' },
  { name: 'qualified star', sql: 'SELECT c.*, o.amount FROM c JOIN o ON c.id = o.customer_id WHERE o.amount > 98' },
  // GROUP BY, HAVING, aggregates
  { name: 'aggregates per group', sql: 'SELECT status, count(*), sum(amount), avg(amount), min(amount), max(amount) FROM o GROUP BY status' },
  { name: 'having count', sql: 'SELECT customer_id, count(*) AS n FROM o GROUP BY customer_id HAVING count(*) > 10' },
  { name: 'having on another aggregate', sql: "SELECT customer_id, sum(qty) FROM o WHERE status = 'paid' GROUP BY customer_id HAVING sum(amount) > 300" },
  { name: 'count forms', sql: 'SELECT count(*), count(amount), count(DISTINCT customer_id) FROM o' },
  { name: 'group by two join columns', sql: 'SELECT c.country, c.segment, sum(o.amount) AS total FROM o JOIN c ON o.customer_id = c.id GROUP BY c.country, c.segment' },
  { name: 'group by expression', sql: 'SELECT day % 7 AS wd, count(*) FROM o GROUP BY day % 7' },
  { name: 'group by position, order by position', sql: 'SELECT status, count(*) FROM o GROUP BY 1 ORDER BY 2 DESC, 1', ordered: true },
  { name: 'expression of aggregates', sql: 'SELECT customer_id, max(amount) - min(amount) FROM o GROUP BY customer_id' },
  { name: 'aggregate over no rows', sql: 'SELECT count(*), sum(amount) FROM o WHERE amount > 1000' },
  { name: 'null group', sql: 'SELECT segment, count(*) FROM c GROUP BY segment' },
  { name: 'having on a SELECT alias', sql: 'SELECT customer_id, sum(qty) AS units FROM o GROUP BY customer_id HAVING units > 60' },
  { name: 'having, ordered', sql: 'SELECT status, count(*) FROM o GROUP BY status HAVING avg(amount) > 40 ORDER BY status', ordered: true },
  { name: 'variance and stddev', sql: 'SELECT status, stddev(amount), variance(amount), stddev_pop(amount), var_pop(amount), stddev_samp(qty), var_samp(qty) FROM o GROUP BY status' },
  { name: 'approx_count_distinct (exact in sluice)', sql: 'SELECT status, approx_count_distinct(customer_id) FROM o GROUP BY status', duck: 'SELECT status, count(DISTINCT customer_id) FROM o GROUP BY status' },
  { name: 'group by without aggregates', sql: 'SELECT country, segment FROM c GROUP BY country, segment' },
  { name: 'rollup', sql: 'SELECT status, day % 2 AS parity, sum(qty), count(*) FROM o GROUP BY ROLLUP(status, day % 2)' },
  { name: 'cube with grouping()', sql: 'SELECT c.country, c.segment, count(*), grouping(c.segment) FROM c GROUP BY CUBE(c.country, c.segment)' },
  { name: 'grouping_id over a cube', sql: 'SELECT c.country, c.segment, count(*), grouping_id(), grouping_id(c.segment, c.country) FROM c GROUP BY CUBE(c.country, c.segment)', duck: 'SELECT c.country, c.segment, count(*), grouping(c.country, c.segment), grouping(c.segment, c.country) FROM c GROUP BY CUBE(c.country, c.segment)' },
  { name: 'grouping sets', sql: 'SELECT status, qty, sum(amount) FROM o GROUP BY GROUPING SETS ((status), (qty), ())' },
  { name: 'rollup without aggregates', sql: 'SELECT country, segment FROM c GROUP BY country, segment WITH ROLLUP', duck: 'SELECT country, segment FROM c GROUP BY ROLLUP (country, segment)' },
  // CTEs and subqueries
  { name: 'cte', sql: 'WITH big AS (SELECT * FROM o WHERE amount > 80) SELECT customer_id, count(*) FROM big GROUP BY customer_id' },
  { name: 'two ctes', sql: 'WITH t AS (SELECT customer_id, sum(amount) AS total FROM o GROUP BY customer_id), u AS (SELECT * FROM t WHERE total > 500) SELECT c.name, u.total FROM u JOIN c ON u.customer_id = c.id' },
  { name: 'subquery in FROM', sql: 'SELECT x.customer_id, x.n FROM (SELECT customer_id, count(*) n FROM o GROUP BY customer_id) x WHERE x.n >= 12' },
  { name: 'in subquery', sql: 'SELECT * FROM c WHERE id IN (SELECT customer_id FROM o WHERE amount > 95)' },
  { name: 'not in subquery', sql: 'SELECT * FROM c WHERE id NOT IN (SELECT customer_id FROM o WHERE customer_id IS NOT NULL AND day < 20)' },
  { name: 'not in a subquery holding a null: no row', sql: 'SELECT count(*) FROM c WHERE id NOT IN (SELECT customer_id FROM o)' },
  { name: 'not in an empty subquery: every row, null too', sql: 'SELECT customer_id FROM o WHERE customer_id NOT IN (SELECT id FROM c WHERE id > 1000)' },
  { name: 'exists', sql: "SELECT * FROM c WHERE EXISTS (SELECT 1 FROM o WHERE o.customer_id = c.id AND o.status = 'cancelled')" },
  { name: 'not exists', sql: 'SELECT * FROM c WHERE NOT EXISTS (SELECT 1 FROM o WHERE o.customer_id = c.id)' },
  { name: 'scalar subquery in WHERE', sql: 'SELECT order_id FROM o WHERE amount > (SELECT avg(amount) FROM o)' },
  { name: 'scalar subquery in SELECT', sql: 'SELECT id, (SELECT max(amount) FROM o) AS top FROM c WHERE id < 3' },
  { name: 'correlated scalar subquery in WHERE', sql: 'SELECT o1.order_id FROM o o1 WHERE o1.amount > (SELECT avg(o2.amount) FROM o o2 WHERE o2.customer_id = o1.customer_id)' },
  { name: 'correlated scalar subquery in SELECT', sql: 'SELECT c.id, (SELECT sum(o.amount) FROM o WHERE o.customer_id = c.id) AS spent FROM c' },
  { name: 'correlated count is 0, not null, for no rows', sql: "SELECT c.id, (SELECT count(*) FROM o WHERE o.customer_id = c.id AND o.status = 'paid') AS paid FROM c" },
  { name: 'correlated expression over aggregates, two keys', sql: 'SELECT o1.order_id, (SELECT coalesce(max(o2.qty), 0) - count(*) FROM o o2 WHERE o2.customer_id = o1.customer_id AND o2.day = o1.day AND o2.qty > 2) AS d FROM o o1 WHERE o1.order_id < 80' },
  { name: 'correlated on an expression, unqualified inner names', sql: 'SELECT id FROM c WHERE 2 < (SELECT count(*) FROM o WHERE customer_id = c.id + 1)' },
  { name: 'correlated scalar subquery inside an expression of a grouped query', sql: 'SELECT customer_id, sum(amount) - (SELECT min(s.discount) FROM s WHERE s.segment = \'corp\') AS x FROM o GROUP BY customer_id' },
  { name: 'correlated scalar subquery on a grouped outer key', sql: 'SELECT o.customer_id, count(*) AS n, (SELECT max(c.name) FROM c WHERE c.id = o.customer_id) AS name FROM o GROUP BY o.customer_id' },
  { name: 'correlated exists with an outer-only condition', sql: "SELECT * FROM c WHERE country = 'FR' AND EXISTS (SELECT 1 FROM o WHERE o.customer_id = c.id AND o.qty > 8)" },
  { name: 'correlated in', sql: 'SELECT id FROM c WHERE id IN (SELECT o.customer_id FROM o WHERE o.day = c.id)' },
  { name: 'correlated not in', sql: 'SELECT id FROM c WHERE id NOT IN (SELECT o.customer_id FROM o WHERE o.day = c.id AND o.customer_id IS NOT NULL)' },
  { name: 'in subquery under OR', sql: "SELECT * FROM c WHERE country = 'US' OR id IN (SELECT customer_id FROM o WHERE amount > 95)" },
  { name: 'exists under OR, correlated', sql: "SELECT * FROM c WHERE segment IS NULL OR EXISTS (SELECT 1 FROM o WHERE o.customer_id = c.id AND o.status = 'cancelled' AND o.qty > 7)" },
  { name: 'not in under OR: three-valued with nulls in the subquery', sql: 'SELECT order_id FROM o WHERE qty > 8 OR NOT (customer_id IN (SELECT customer_id FROM o WHERE day < 3))' },
  { name: 'in subquery as a value: true, false or null', sql: 'SELECT order_id, customer_id IN (SELECT id FROM c WHERE country = \'FR\') AS fr, NOT EXISTS (SELECT 1 FROM c WHERE c.id = o.customer_id) AS orphan FROM o WHERE order_id < 60 AND (customer_id IN (SELECT id FROM c WHERE country = \'FR\') IS NULL OR order_id > 0)', duck: 'SELECT order_id, customer_id IN (SELECT id FROM c WHERE country = \'FR\') AS fr, NOT EXISTS (SELECT 1 FROM c WHERE c.id = o.customer_id) AS orphan FROM o WHERE order_id < 60 AND (customer_id IN (SELECT id FROM c WHERE country = \'FR\') IS NULL OR order_id > 0)' },
  { name: 'correlated in under OR, null on both sides', sql: 'SELECT id FROM c WHERE id > 45 OR id IN (SELECT o.customer_id FROM o WHERE o.day = c.id)' },
  { name: 'in an empty subquery under OR is false even for null', sql: 'SELECT order_id FROM o WHERE order_id < 5 OR NOT (customer_id IN (SELECT id FROM c WHERE id > 1000))' },
  { name: 'correlated not in, a null in some rows\' subqueries', sql: 'SELECT id FROM c WHERE id NOT IN (SELECT o.customer_id FROM o WHERE o.day = c.id % 30 + 1)' },
  // set operations
  { name: 'union', sql: "SELECT customer_id FROM o WHERE day = 1 UNION SELECT id FROM c WHERE country = 'FR'" },
  { name: 'union all', sql: "SELECT customer_id FROM o WHERE day = 1 UNION ALL SELECT id FROM c WHERE country = 'FR'" },
  { name: 'intersect', sql: 'SELECT customer_id FROM o INTERSECT SELECT id FROM c' },
  { name: 'except keeps null', sql: 'SELECT customer_id FROM o EXCEPT SELECT id FROM c' },
  { name: 'except with null on both sides', sql: 'SELECT segment FROM c EXCEPT SELECT segment FROM s' },
  { name: 'intersect all keeps the smaller count', sql: 'SELECT customer_id FROM o WHERE day < 15 INTERSECT ALL SELECT customer_id FROM o WHERE day > 10' },
  { name: 'except all subtracts counts, nulls equal', sql: 'SELECT customer_id, status FROM o WHERE day < 20 EXCEPT ALL SELECT customer_id, status FROM o WHERE day > 12' },
  { name: 'minus is except', sql: 'SELECT segment FROM c MINUS SELECT segment FROM s', duck: 'SELECT segment FROM c EXCEPT SELECT segment FROM s' },
  { name: 'minus all', sql: 'SELECT segment FROM c MINUS ALL SELECT segment FROM s', duck: 'SELECT segment FROM c EXCEPT ALL SELECT segment FROM s' },
  { name: 'intersect all of duplicates with nulls', sql: 'SELECT segment, country FROM c INTERSECT ALL SELECT segment, country FROM c WHERE id > 20' },
  { name: 'intersect binds tighter than except all', sql: 'SELECT status FROM o EXCEPT ALL SELECT status FROM o WHERE day > 3 INTERSECT ALL SELECT status FROM o WHERE qty > 2' },
  { name: 'union then order', sql: "SELECT id AS k FROM c WHERE country = 'DE' UNION SELECT customer_id FROM o WHERE day = 2 ORDER BY k NULLS FIRST", ordered: true },
  // window functions
  { name: 'row_number', sql: 'SELECT order_id, customer_id, row_number() OVER (PARTITION BY customer_id ORDER BY amount DESC NULLS LAST, order_id) FROM o' },
  { name: 'latest record per key', sql: 'SELECT customer_id, order_id, day FROM (SELECT *, row_number() OVER (PARTITION BY customer_id ORDER BY day DESC, order_id DESC) AS rn FROM o) t WHERE rn = 1' },
  { name: 'ranks', sql: 'SELECT order_id, rank() OVER (PARTITION BY status ORDER BY day), dense_rank() OVER (PARTITION BY status ORDER BY day), percent_rank() OVER (PARTITION BY status ORDER BY day), ntile(4) OVER (PARTITION BY status ORDER BY day, order_id) FROM o' },
  { name: 'lag and lead', sql: 'SELECT order_id, lag(amount) OVER (PARTITION BY customer_id ORDER BY order_id), lead(qty, 2, -1) OVER (PARTITION BY customer_id ORDER BY order_id) FROM o' },
  { name: 'running and moving aggregates', sql: 'SELECT order_id, sum(qty) OVER (PARTITION BY customer_id ORDER BY order_id), avg(qty) OVER (PARTITION BY customer_id ORDER BY order_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), count(*) OVER (PARTITION BY customer_id) FROM o' },
  { name: 'value windows', sql: 'SELECT order_id, first_value(amount) OVER (PARTITION BY status ORDER BY order_id), last_value(amount) OVER (PARTITION BY status ORDER BY order_id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), max(amount) OVER (PARTITION BY status ORDER BY order_id ROWS BETWEEN 3 PRECEDING AND 1 FOLLOWING), min(amount) OVER (PARTITION BY status) FROM o' },
  { name: 'range frame with peers', sql: 'SELECT order_id, sum(qty) OVER (PARTITION BY status ORDER BY day), count(amount) OVER (ORDER BY day RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM o' },
  // Any GroupBy aggregate over a frame (Window's fn 'aggregate').
  { name: 'window: stddev and var_pop over a partition', sql: 'SELECT order_id, stddev(amount) OVER (PARTITION BY customer_id), var_pop(qty) OVER (PARTITION BY status) FROM o' },
  { name: 'window: collect_list over a running frame', sql: 'SELECT order_id, collect_list(order_id) OVER (PARTITION BY customer_id ORDER BY order_id) FROM o', duck: 'SELECT order_id, list(order_id) OVER (PARTITION BY customer_id ORDER BY order_id) FROM o' },
  { name: 'window: collect_set over a partition', sql: 'SELECT order_id, sort_array(collect_set(status) OVER (PARTITION BY customer_id)) FROM o', duck: 'SELECT order_id, list_sort(list_distinct(list(status) OVER (PARTITION BY customer_id))) FROM o' },
  { name: 'window: max_by and min_by over a moving frame', sql: 'SELECT order_id, max_by(amount, order_id) OVER (PARTITION BY status ORDER BY order_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), min_by(qty, order_id) OVER (PARTITION BY status ORDER BY order_id ROWS BETWEEN CURRENT ROW AND 3 FOLLOWING) FROM o', duck: 'SELECT order_id, arg_max_null(amount, order_id) OVER (PARTITION BY status ORDER BY order_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), arg_min_null(qty, order_id) OVER (PARTITION BY status ORDER BY order_id ROWS BETWEEN CURRENT ROW AND 3 FOLLOWING) FROM o' },
  { name: 'window: percentile over a partition', sql: 'SELECT order_id, percentile(amount, 0.5) OVER (PARTITION BY status) FROM o', duck: 'SELECT order_id, quantile_cont(amount, 0.5) OVER (PARTITION BY status) FROM o' },
  { name: 'named windows (WINDOW w AS …)', sql: 'SELECT order_id, row_number() OVER w, sum(qty) OVER w, avg(amount) OVER byStatus FROM o WHERE order_id < 120 WINDOW w AS (PARTITION BY customer_id ORDER BY order_id), byStatus AS (PARTITION BY status)' },
  { name: 'window over an aggregate', sql: 'SELECT customer_id, sum(amount) AS t, rank() OVER (ORDER BY sum(amount) DESC NULLS LAST) FROM o GROUP BY customer_id' },
];

let dir: string;
let session: SqlSession;
let connection: DuckDBConnection;
let instance: DuckDBInstance;

const SCHEMAS = {
  c: { id: 'int32', name: 'string', segment: 'string', country: 'string' },
  o: { order_id: 'int32', customer_id: 'int32', amount: 'float64', qty: 'int32', status: 'string', day: 'int32' },
  s: { segment: 'string', discount: 'float64' },
} as const;
const DUCK_TYPES: Record<string, string> = { int32: 'INTEGER', string: 'VARCHAR', float64: 'DOUBLE' };

/** A deterministic pseudo-random sequence (the rows must be the same on every run). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** Customers 1..40 have orders; orders of 91..95 match no customer; customers 41..50 have none. */
const customerOf = (n: number) => (n > 40 ? n + 50 : n);

function tables(): Record<keyof typeof SCHEMAS, (string | number | null)[][]> {
  const r = random(42);
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)];
  const c = Array.from({ length: 50 }, (_, i) => [i + 1, `c${i + 1}`, pick(['retail', 'corp', 'gov', null]), pick(['FR', 'DE', 'US'])]);
  const o = Array.from({ length: 400 }, (_, i) => [
    i + 1,
    r() < 0.05 ? null : customerOf(1 + Math.floor(r() * 45)),
    r() < 0.05 ? null : Math.floor(r() * 400) / 4, // quarters: float sums are exact
    1 + Math.floor(r() * 9),
    pick(['new', 'paid', 'shipped', 'cancelled']),
    1 + Math.floor(r() * 30),
  ]);
  const s = [['retail', 0.1], ['corp', 0.2], ['edu', 0.3], [null, 0.5]];
  return { c, o, s };
}

beforeAll(async () => {
  dir = await tempDir('sluice-sql-');
  instance = await DuckDBInstance.create();
  connection = await instance.connect();
  session = new SqlSession();
  for (const [name, rows] of Object.entries(tables()) as [keyof typeof SCHEMAS, (string | number | null)[][]][]) {
    const schema = SCHEMAS[name];
    const path = join(dir, `${name}.csv`);
    const header = Object.keys(schema).join(',');
    await writeFile(path, [header, ...rows.map((row) => row.map((v) => (v === null ? '' : String(v))).join(','))].join('\n') + '\n');
    session.register(name, read.csv(path, { withHeader: true, schema: { ...schema } }));
    const columns = Object.entries(schema).map(([k, t]) => `'${k}': '${DUCK_TYPES[t]}'`).join(', ');
    await connection.run(`CREATE TABLE ${name} AS SELECT * FROM read_csv('${path}', header = true, columns = {${columns}})`);
  }
});

afterAll(() => {
  connection?.closeSync();
  instance?.closeSync();
});

/** One value as comparable text: numbers (DuckDB gives BIGINT as text) to 10 significant digits. */
function canon(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number(v.toPrecision(10)).toString();
  if (typeof v === 'string' && /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(v)) return Number(Number(v).toPrecision(10)).toString();
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

async function sluiceRows(sql: string): Promise<string[]> {
  const table = await (await session.sql(sql)).toArrow();
  const names = table.schema.fields.map((f) => f.name);
  const rows = await DataFrame.fromArrow(table).toRows();
  return rows.map((row) => names.map((n) => canon(row[n])).join(' | '));
}

async function duckRows(sql: string): Promise<string[]> {
  const reader = await connection.runAndReadAll(sql);
  return (reader.getRowsJson() as unknown[][]).map((row) => row.map(canon).join(' | '));
}

describe('SQL queries: sluice and DuckDB agree row for row', () => {
  it('has at least 40 queries', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  for (const c of CASES) {
    it(c.name, async () => {
      const ours = await sluiceRows(c.sql);
      const theirs = await duckRows(c.duck ?? c.sql);
      if (c.ordered) expect(ours).toEqual(theirs);
      else expect([...ours].sort()).toEqual([...theirs].sort());
      expect(ours.length, 'a query that returns nothing tests little').toBeGreaterThan(0);
    });
  }
});
