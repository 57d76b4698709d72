import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { F } from '../../src/expr/F.js';
import { expr } from '../../src/expr/builders.js';
import { SqlSession } from '../../src/sql/SqlSession.js';
import { REPO, tempDir } from '../support/files.js';
import { runScript } from '../support/cli.js';
import type { PlanNode } from '../../src/plan/PlanNode.js';

/**
 * UDFs registered by name (spark.udf.register): from a module, they travel to worker threads as
 * module references; as closures, they run inline. Each case runs inline and forced parallel.
 */

const UDF_MODULE = `
import { threadId } from 'node:worker_threads';
export function plusOne(x) { return x === null ? null : x + 1; }
export function threadOf(_x) { return threadId; }
export const notAFunction = 3;
`;

/** A script that registers the UDFs and prints a query's rows as JSON. */
const SCRIPT = (udfs: string, csv: string) => `
import { read, spark, F } from '${REPO}/src/index.ts';
spark.udf.register('plus_one', { module: ${JSON.stringify(udfs)}, export: 'plusOne' }, 'int');
spark.udf.register('thread_of', { module: ${JSON.stringify(udfs)}, export: 'threadOf' }, 'int');
spark.udf.register('twice', (x) => (x === null ? null : 2 * x), 'int');
read.csv(${JSON.stringify(csv)}, { withHeader: true, schema: { v: 'int32', k: 'string' } }).createOrReplaceTempView('t');
const totals = await (await spark.sql('SELECT sum(plus_one(v)) AS s1, sum(twice(v)) AS s2, count(*) AS n FROM t WHERE plus_one(v) > 1')).toRows();
const threads = await (await spark.sql('SELECT DISTINCT thread_of(v) > 0 AS in_worker FROM t')).toRows();
const viaF = await read.csv(${JSON.stringify(csv)}, { withHeader: true, schema: { v: 'int32', k: 'string' } }).withColumn('w', F.call_udf('plus_one', 'v')).toRows();
const s = viaF.reduce((acc, r) => acc + r.w, 0);
console.log(JSON.stringify({ totals, threads: threads.map((r) => r.in_worker).sort(), viaF: [{ s }] }));
`;

/** The parameters of every transform of a plan (the data that travels to workers). */
function transformParams(node: PlanNode): unknown[] {
  return node.kind === 'transform' ? [node.params, ...node.inputs.flatMap(transformParams)] : [];
}

async function setup() {
  const dir = await tempDir('sluice-udf-');
  const udfs = join(dir, 'udfs.mjs');
  await writeFile(udfs, UDF_MODULE);
  const csv = join(dir, 'rows.csv');
  const rows = Array.from({ length: 6000 }, (_, i) => `${i},k${i % 7}`);
  await writeFile(csv, ['v,k', ...rows].join('\n') + '\n');
  const script = join(dir, 'run.mts');
  await writeFile(script, SCRIPT(udfs, csv));
  return { dir, udfs, script };
}

// sum over v in 1..5999 of (v + 1), and of 2v (v = 0 fails plus_one(v) > 1)
const EXPECTED = { s1: 5999 * 6000 / 2 + 5999, s2: 5999 * 6000, n: 5999 };

describe('UDFs registered by name', { timeout: 120_000 }, () => {
  it('run inline: module and closure UDFs from SQL and F.call_udf', async () => {
    const { script } = await setup();
    const out = JSON.parse(await runScript(script, { SLUICE_THREADS: '1' }));
    expect(out.totals).toEqual([EXPECTED]);
    expect(out.threads).toEqual([false]);
    expect(out.viaF).toEqual([{ s: EXPECTED.s1 + 1 }]);
  });

  it('run forced parallel: the module UDF is imported by the worker threads; the closure step stays inline', async () => {
    const { script } = await setup();
    // Workers only (the driver takes no split), so every row shows where the workers ran it.
    const env = { SLUICE_THREADS: '2', SLUICE_SPLIT_SIZE: '8192', SLUICE_INLINE_BELOW: '1', SLUICE_DRIVER_SPLITS: 'off' };
    const out = JSON.parse(await runScript(script, env));
    expect(out.totals).toEqual([EXPECTED]);
    expect(out.threads).toEqual([true]);
    expect(out.viaF).toEqual([{ s: EXPECTED.s1 + 1 }]);
  });

  it('a module UDF call is plain data: a module file URL, the export and the type', async () => {
    const { udfs } = await setup();
    const session = new SqlSession({ tables: { t: DataFrame.fromRows([{ v: 1 }, { v: null }], { v: 'int32' }) } });
    session.udf.register('plus_one_b', { module: udfs, export: 'plusOne' }, 'int');
    const df = await session.sql('SELECT plus_one_b(v) AS w FROM t');
    const params = transformParams(df.plan);
    expect(JSON.parse(JSON.stringify(params))).toEqual(params);
    expect(JSON.stringify(params)).toContain(`{"kind":"call","fn":"module-udf","args":[{"kind":"lit","value":"file://${udfs}"},{"kind":"lit","value":"plusOne"},{"kind":"lit","value":"int32"}`);
    expect(await df.toRows()).toEqual([{ w: 2 }, { w: null }]);
    expect(await DataFrame.fromRows([{ v: 41 }], { v: 'int32' }).withColumn('w', expr('PLUS_ONE_B(v)')).toRows()).toEqual([{ v: 41, w: 42 }]);
  });

  it('errors name the module and export, the name, or the built-in', async () => {
    const { udfs } = await setup();
    const session = new SqlSession({ tables: { t: DataFrame.fromRows([{ v: 1 }], { v: 'int32' }) } });
    session.udf.register('broken', { module: udfs, export: 'notAFunction' }, 'int');
    await expect((await session.sql('SELECT broken(v) FROM t')).toRows()).rejects.toThrow(`UDF module '${udfs}' has no function export 'notAFunction'`);
    session.udf.register('missing', { module: join(udfs, '..', 'nope.mjs'), export: 'f' }, 'int');
    await expect((await session.sql('SELECT missing(v) FROM t')).toRows()).rejects.toThrow(/cannot load UDF 'f' from module '.*nope\.mjs'/);
    expect(() => session.udf.register('upper', (x: string) => x)).toThrow("'upper' is a built-in function");
    expect(() => F.call_udf('never_registered', 'v')).toThrow("no UDF named 'never_registered' is registered");
    expect(() => session.udf.register('data_url', { module: 'data:text/javascript,export const f = () => 1', export: 'f' })).toThrow(/not a module file/);
  });
});
