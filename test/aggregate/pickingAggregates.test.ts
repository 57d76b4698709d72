import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { F } from '../../src/expr/F.js';
import { expr, lit } from '../../src/expr/builders.js';
import { SqlSession } from '../../src/sql/SqlSession.js';
import { closeWorkerPool } from '../../src/exec/parallel/pool.js';
import { finalize, mergePartials, partialAggregate, planAggregation, type GroupByParams } from '../../transforms/aggregate/partialAggregation.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';
import { bothWays } from '../parallel/helpers.js';
import { loadJobSpec } from '../../src/job/spec/loadJobSpec.js';
import { runJobSpec } from '../../src/job/spec/runJobSpec.js';
import { readFrame } from '../../src/frame/read.js';

afterAll(() => closeWorkerPool());

/*
 * collect_set, percentile_approx, percentile, max_by and min_by: against DuckDB (list_distinct,
 * quantile_disc, quantile_cont, arg_max/arg_min), merged from partials, parallel = inline.
 * Known Spark-vs-DuckDB differences, each checked below with Spark's documented answer:
 * - max_by/min_by: when the row with the largest ord has a null x, Spark returns null (it takes
 *   that row's x); DuckDB's arg_max skips rows whose x is null, its arg_max_null does as Spark,
 *   so the differential uses arg_max_null/arg_min_null (the 'nulls' case checks Spark's answer).
 * - collect_set's order is unspecified in both; compared sorted.
 * - percentile_approx is Spark's rank ceil(p·n) value; DuckDB's quantile_disc picks the same rank.
 */

/** 3000 rows in 7 groups (g), x with nulls and many repeats, ord unique (ties are tested apart), s text. */
const rows = Array.from({ length: 3000 }, (_, i) => ({
  g: `g${(i * 31) % 7}`,
  x: i % 13 === 0 ? null : ((i * 7919) % 211) - 100 + (i % 3) / 4,
  ord: i % 17 === 0 ? null : (i * 104729) % 3001,
  s: i % 11 === 0 ? null : `s${(i * 37) % 23}`,
}));
const schema = { g: 'string', x: 'float64', ord: 'int32', s: 'string' } as const;

const values = rows.map((r) => `('${r.g}', ${r.x ?? 'NULL'}, ${r.ord ?? 'NULL'}, ${r.s === null ? 'NULL' : `'${r.s}'`})`).join(', ');
const duckRows = (select: string, having = '') =>
  duck(`SELECT g, ${select} FROM (SELECT g, x::DOUBLE AS x, ord, s FROM (VALUES ${values}) v(g, x, ord, s)) t GROUP BY g ${having} ORDER BY g`);

const params: GroupByParams = {
  keys: ['g'],
  aggregations: [
    { name: 'set_s', fn: 'collectSet', column: 's' },
    { name: 'set_x', fn: 'collectSet', column: 'x' },
    { name: 'median', fn: 'percentileApprox', column: 'x', percentage: 0.5 },
    { name: 'quartiles', fn: 'percentileApprox', column: 'x', percentage: [0, 0.25, 0.75, 1], accuracy: 100000 },
    { name: 'p90', fn: 'percentile', column: 'x', percentage: 0.9 },
    { name: 'exact', fn: 'percentile', column: 'ord', percentage: [0.1, 0.5] },
    { name: 'x_at_max', fn: 'maxBy', column: 'x', by: 'ord' },
    { name: 's_at_min', fn: 'minBy', column: 's', by: 'ord' },
  ],
};

const plain = (v: unknown): unknown => (v && typeof v === 'object' ? [...(v as Iterable<unknown>)].map(plain) : v);
const sortedList = (v: unknown) => (v === null ? null : [...(v as unknown[])].sort());

async function batchOf() {
  return (await DataFrame.fromRows(rows, schema).toArrow()).batches[0];
}

describe('collect_set, percentile_approx, percentile, max_by, min_by', () => {
  it('agree with DuckDB', async () => {
    const batch = await batchOf();
    const plan = planAggregation(batch.schema, params);
    const result = finalize(plan, partialAggregate(plan, [batch]));
    const ours = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < result.numRows; i++) {
      const row: Record<string, unknown> = {};
      for (const f of result.schema.fields) row[f.name] = plain(result.getChild(f.name)!.get(i));
      ours.set(row.g as string, row);
    }
    const theirs = await duckRows(`
      list_sort(list_distinct(list(s))) AS set_s, list_sort(list_distinct(list(x))) AS set_x,
      quantile_disc(x, 0.5) AS median, quantile_disc(x, [0, 0.25, 0.75, 1]) AS quartiles,
      quantile_cont(x, 0.9) AS p90, quantile_cont(ord, [0.1, 0.5]) AS exact,
      arg_max_null(x, ord) AS x_at_max, arg_min_null(s, ord) AS s_at_min`);
    expect(theirs).toHaveLength(7);
    for (const expected of theirs) {
      const row = ours.get(expected.g as string)!;
      expect(sortedList(row.set_s)).toEqual(expected.set_s);
      expect(sortedList(row.set_x)).toEqual((expected.set_x as number[]).map(Number).sort());
      expect(row.median).toBe(expected.median);
      expect(row.quartiles).toEqual(expected.quartiles);
      expect(row.p90).toBeCloseTo(expected.p90 as number, 9);
      (row.exact as number[]).forEach((v, k) => expect(v).toBeCloseTo((expected.exact as number[])[k], 9));
      expect(row.x_at_max).toBe(expected.x_at_max);
      expect(row.s_at_min).toBe(expected.s_at_min);
    }
  });

  it('merged from partials (in any split order for the order-free ones) equal one pass', async () => {
    const batch = await batchOf();
    const plan = planAggregation(batch.schema, params);
    const single = finalize(plan, partialAggregate(plan, [batch]));
    const pieces = [batch.slice(0, 1), batch.slice(1, 900), batch.slice(900, 901), batch.slice(901, 2500), batch.slice(2500)];
    const merged = finalize(plan, mergePartials(plan, pieces.map((p) => partialAggregate(plan, [p]))));
    const columns = (b: typeof single) => b.schema.fields.map((f) => [...b.getChild(f.name)!].map(plain));
    expect(columns(merged)).toEqual(columns(single));
    // Merging pieces that were merged already, in reverse: the same multiset answers.
    const twice = finalize(plan, mergePartials(plan, [
      mergePartials(plan, pieces.slice(3).map((p) => partialAggregate(plan, [p]))),
      mergePartials(plan, pieces.slice(0, 3).map((p) => partialAggregate(plan, [p]))),
    ]));
    const byName = (b: typeof single, name: string) => [...b.getChild(name)!].map(plain);
    const groupOrder = (b: typeof single) => byName(b, 'g');
    const aligned = (b: typeof single, name: string) => {
      const g = groupOrder(b);
      return groupOrder(single).map((k) => byName(b, name)[g.indexOf(k)]);
    };
    for (const name of ['median', 'quartiles', 'p90', 'exact', 'x_at_max', 's_at_min']) expect(aligned(twice, name)).toEqual(byName(single, name));
    expect(aligned(twice, 'set_s').map(sortedList)).toEqual(byName(single, 'set_s').map(sortedList));
  });

  it('nulls: an all-null group gives [] for collect_set and null for the others; null ords are skipped; ties go to the first row', async () => {
    const df = DataFrame.fromRows([
      { g: 'a', x: null, ord: 1 },
      { g: 'a', x: null, ord: null },
      { g: 'b', x: 5, ord: 2 },
      { g: 'b', x: 6, ord: 9 },
      { g: 'b', x: 7, ord: 9 },
      { g: 'b', x: null, ord: null },
      { g: 'c', x: null, ord: 10 },
      { g: 'c', x: 3, ord: 1 },
    ], { g: 'string', x: 'int32', ord: 'int32' });
    const out = await df.groupBy('g').agg(
      F.collect_set('x').alias('set'), F.percentile_approx('x', 0.5).alias('median'), F.percentile_approx('x', [0.5]).alias('medians'),
      F.percentile('x', 0.5).alias('p50'), F.max_by('x', 'ord').alias('top'), F.min_by('x', 'ord').alias('bottom'),
    ).toRows();
    expect(out.map((r) => ({ ...r, set: plain(r.set), medians: plain(r.medians) }))).toEqual([
      { g: 'a', set: [], median: null, medians: null, p50: null, top: null, bottom: null },
      // Spark's percentile_approx of 5, 6, 7 at 0.5: rank ceil(1.5) = 2.
      { g: 'b', set: [5, 6, 7], median: 6, medians: [6], p50: 6, top: 6, bottom: 5 },
      // max_by takes the x of the row with the largest ord even when that x is null (Spark; DuckDB skips it).
      { g: 'c', set: [3], median: 3, medians: [3], p50: 3, top: null, bottom: 3 },
    ]);
  });

  it('run in SQL, keep their types and name themselves as Spark does', async () => {
    const session = new SqlSession({ tables: { t: DataFrame.fromRows(rows, schema) } });
    const df = await session.sql(`
      SELECT g, collect_set(s) AS s, percentile_approx(x, 0.5) AS m, percentile_approx(ord, array(0.25, 0.75), 1000) AS q,
             approx_percentile(x, 0.5), percentile(ord, 0.5) AS p, max_by(s, ord + 1) AS top, min_by(x, ord) AS low
      FROM t GROUP BY g HAVING max_by(s, ord + 1) IS NOT NULL ORDER BY g`);
    const schemaOf = (await df.collect()).table.schema.fields.map((f) => `${f.name}: ${f.type}`);
    expect(schemaOf).toEqual(['g: Utf8', 's: List<Utf8>', 'm: Float64', 'q: List<Int32>', 'approx_percentile(x, 0.5): Float64', 'p: Float64', 'top: Utf8', 'low: Float64']);
    const ours = await df.toRows();
    // Spark's null-taking min_by shows on these rows (DuckDB's arg_min would give a value).
    expect(ours.some((r) => r.low === null)).toBe(true);
    const theirs = await duckRows(`list_sort(list_distinct(list(s))) AS s, quantile_disc(x, 0.5) AS m, quantile_disc(ord, [0.25, 0.75]) AS q,
      quantile_cont(ord, 0.5) AS p, arg_max_null(s, ord + 1) AS top, arg_min_null(x, ord) AS low`, 'HAVING arg_max_null(s, ord + 1) IS NOT NULL');
    expect(ours.map((r) => ({ ...r, s: sortedList(plain(r.s)), q: plain(r.q), 'approx_percentile(x, 0.5)': undefined })))
      .toEqual(theirs.map((r) => ({ ...r, 'approx_percentile(x, 0.5)': undefined })));
    const fluent = await DataFrame.fromRows(rows, schema).groupBy('g').agg(F.max_by('s', 'ord'), F.percentile_approx('x', [0.5, 0.9], 100), F.collect_set('g')).toRows();
    expect(Object.keys(fluent[0])).toEqual(['g', 'max_by(s, ord)', 'percentile_approx(x, array(0.5, 0.9), 100)', 'collect_set(g)']);
  });

  it('name what is wrong: a missing or foreign option, a percentage out of range, a type without order', async () => {
    const df = DataFrame.fromRows(rows, schema);
    const failure = (run: () => Promise<unknown>) => run().then(() => 'no error', (e: Error) => e.message);
    expect(await failure(() => df.groupBy('g').agg([{ name: 'm', fn: 'maxBy', column: 'x' }]).toRows())).toMatch(/maxBy.*needs the column to order by/);
    expect(await failure(() => df.groupBy('g').agg([{ name: 'm', fn: 'sum', column: 'x', by: 'ord' }]).toRows())).toMatch(/GroupBy aggregation 'm': sum takes no option 'by'/);
    expect(await failure(() => df.groupBy('g').agg([{ name: 'm', fn: 'percentile', column: 'x', percentage: 0.5, accuracy: 10 }]).toRows())).toMatch(/percentile takes no option 'accuracy'/);
    expect(await failure(() => df.groupBy('g').agg([{ name: 'm', fn: 'percentileApprox', column: 'x', percentage: 1.5 }]).toRows())).toMatch(/between 0 and 1/);
    expect(await failure(() => df.groupBy('g').agg([{ name: 'm', fn: 'percentileApprox', column: 's', percentage: 0.5 }]).toRows())).toMatch(/percentile_approx\('s'\) over type Utf8/);
    expect(await failure(() => df.groupBy('g').agg([{ name: 'm', fn: 'maxBy', column: 'x', by: 'nope' }]).toRows())).toMatch(/'nope' is not a column/);
    const session = new SqlSession({ tables: { t: df } });
    expect(await failure(() => session.sql('SELECT percentile_approx(x, ord) FROM t'))).toMatch(/percentage of percentile_approx must be a literal/);
    expect(await failure(() => session.sql('SELECT max_by(x) FROM t'))).toMatch(/max_by takes two arguments/);
  });

  it('parallel splits give the same rows as one thread', async () => {
    const dir = await tempDir();
    const path = join(dir, 'rows.csv');
    await writeFile(path, 'g,x,ord,s\n' + rows.map((r) => [r.g, r.x ?? '', r.ord ?? '', r.s ?? ''].join(',')).join('\n') + '\n');
    const frame = read.csv(path, { withHeader: true, schema })
      .groupBy('g')
      .agg(F.collect_set('s').alias('set'), F.percentile_approx('x', [0.1, 0.5]).alias('q'), F.percentile('x', 0.5).alias('p'), F.max_by('s', 'ord').alias('top'), F.min_by('x', 'ord').alias('low'));
    const { inline, parallel } = await bothWays(frame, { threads: 2, splitSize: 2048, inlineBelowBytes: 0 });
    expect(inline.rows).toHaveLength(7);
    expect(parallel.rows).toEqual(inline.rows);
  });

  it('in a job spec: GroupBy takes by, percentage and accuracy; an option an aggregate does not take is an error naming it', async () => {
    const dir = await tempDir();
    const input = join(dir, 'in.csv');
    await writeFile(input, 'k,v,t\na,1,3\na,5,9\na,3,1\nb,2,2\nb,,8\n');
    const spec = (aggregations: unknown[]) => ({
      name: 'picks',
      nodes: [
        { id: 'in', type: 'read', format: 'csv', paths: [input], formatOptions: { withHeader: true }, schema: { k: 'string', v: 'int32', t: 'int32' } },
        { id: 'g', type: 'GroupBy', input: 'in', keys: ['k'], aggregations },
        { id: 'out', type: 'write', input: 'g', format: 'json', path: join(dir, 'out') },
      ],
    });
    const good = await loadJobSpec(await writeJsonFile(join(dir, 'good.json'), spec([
      { name: 'median', fn: 'percentileApprox', column: 'v', percentage: 0.5, accuracy: 100 },
      { name: 'quartiles', fn: 'percentileApprox', column: 'v', percentage: [0.25, 0.75] },
      { name: 'latest', fn: 'maxBy', column: 'v', by: 't' },
      { name: 'values', fn: 'collectSet', column: 'v' },
    ])));
    await runJobSpec(good);
    const rows = (await readFrame({ format: 'json', paths: [join(dir, 'out')] }).toRows()).sort((x, y) => String(x.k).localeCompare(String(y.k)));
    expect(rows.map((r) => ({ ...r, quartiles: plain(r.quartiles), values: plain(r.values) }))).toEqual([
      { k: 'a', median: 3, quartiles: [1, 5], latest: 5, values: [1, 5, 3] },
      { k: 'b', median: 2, quartiles: [2, 2], latest: null, values: [2] },
    ]);
    const bad = await writeJsonFile(join(dir, 'bad.json'), spec([{ name: 'm', fn: 'maxBy', column: 'v', orderBy: 't' }]));
    expect(await loadJobSpec(bad).then(() => 'loaded', (e: Error) => e.message)).toMatch(/orderBy/);
  });

  it('bool_and/every, bool_or/some/any and count_if in SQL agree with DuckDB', async () => {
    const session = new SqlSession({ tables: { t: DataFrame.fromRows(rows, schema) } });
    const ours = await (await session.sql(`SELECT g, bool_and(x > -90 OR g <> 'g3') AS a, every(ord IS NULL OR ord > 5) AS e, bool_or(x > 100) AS o, some(s = 's3') AS s3,
      count_if(x > 0) AS c, count_if(false) AS none FROM t GROUP BY g ORDER BY g`)).toRows();
    const theirs = await duckRows(`bool_and(x > -90 OR g <> 'g3') AS a, bool_and(ord IS NULL OR ord > 5) AS e, bool_or(x > 100) AS o, bool_or(s = 's3') AS s3,
      count_if(x > 0) AS c, count_if(false) AS none`);
    expect(ours).toEqual(theirs.map((r) => ({ ...r, c: Number(r.c), none: Number(r.none) })));
    expect(new Set(ours.map((r) => r.a)).size).toBe(2); // both answers occur
    const fluent = await DataFrame.fromRows(rows, schema).groupBy('g').agg(
      F.bool_and(expr("x > -90 OR g <> 'g3'")).alias('a'), F.every(expr('ord IS NULL OR ord > 5')).alias('e'), F.bool_or(expr('x > 100')).alias('o'),
      F.some(expr("s = 's3'")).alias('s3'), F.count_if(expr('x > 0')).alias('c'), F.count_if(lit(false)).alias('none'),
    ).orderBy('g').toRows();
    expect(fluent).toEqual(ours);
  });
});

async function writeJsonFile(path: string, value: unknown): Promise<string> {
  await writeFile(path, JSON.stringify(value));
  return path;
}
