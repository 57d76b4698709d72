import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { read } from '../../src/frame/read.js';
import { F } from '../../src/expr/F.js';
import { parseExpr } from '../../src/expr/parser.js';
import { SqlSession } from '../../src/sql/SqlSession.js';
import { pushDownFilters } from '../../src/plan/pushDownFilters.js';
import type { PlanNode, ScanNode } from '../../src/plan/PlanNode.js';
import { closeWorkerPool } from '../../src/exec/parallel/pool.js';
import { tempDir } from '../support/files.js';

afterAll(() => closeWorkerPool());

const ids = (n: number) => DataFrame.fromRows(Array.from({ length: n }, (_, i) => ({ id: i })), { id: 'int32' });
const column = async (df: DataFrame, name: string) => (await df.toRows()).map((r) => r[name] as number);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const scanOf = (plan: PlanNode): ScanNode => (plan.kind === 'scan' ? plan : scanOf((plan as { inputs: PlanNode[] }).inputs[0]));

async function csvOf(rows: number): Promise<string> {
  const path = join(await tempDir(), 'ids.csv');
  await writeFile(path, 'id\n' + Array.from({ length: rows }, (_, i) => i).join('\n') + '\n');
  return path;
}

describe('rand and randn', () => {
  it('rand(seed): a value per row in [0, 1), uniform, the same on every run', async () => {
    const df = ids(20000).withColumns({ r: 'rand(7)', other: 'rand(8)' });
    const r = await column(df, 'r');
    expect(new Set(r).size).toBe(20000); // not folded into one constant
    expect(Math.min(...r)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...r)).toBeLessThan(1);
    expect(mean(r)).toBeCloseTo(0.5, 1.5);
    // Each tenth of [0, 1) holds about a tenth of the rows.
    const deciles = new Array(10).fill(0);
    for (const x of r) deciles[Math.floor(x * 10)]++;
    for (const d of deciles) expect(Math.abs(d - 2000)).toBeLessThan(200);
    expect(await column(df, 'r')).toEqual(r);
    expect(await column(df, 'other')).not.toEqual(r);
  });

  it('randn(seed): standard normal', async () => {
    const z = await column(ids(20000).withColumns({ z: F.randn(3) }), 'z');
    expect(mean(z)).toBeCloseTo(0, 1);
    expect(Math.sqrt(mean(z.map((x) => x * x)))).toBeCloseTo(1, 1);
    expect(z.filter((x) => Math.abs(x) > 3).length).toBeLessThan(85); // 0.27% of 20000: 54 ± 7.3 expected
  });

  it('depend on the row position in the stream, not on batch boundaries', async () => {
    const path = await csvOf(5000);
    const big = await column(read.csv(path, { withHeader: true, schema: { id: 'int32' } }).withColumns({ r: 'rand(11)' }), 'r');
    const small = await column(read.csv(path, { withHeader: true, schema: { id: 'int32' }, batchSize: 333 } as never).withColumns({ r: 'rand(11)' }), 'r');
    expect(small).toEqual(big);
    // A filter numbers the rows it sees: rand in a Filter after it draws the same stream as in WithColumns.
    const sampled = await column(read.csv(path, { withHeader: true, schema: { id: 'int32' } }).filter('rand(11) < 0.25'), 'id');
    expect(sampled).toEqual(big.flatMap((x, i) => (x < 0.25 ? [i] : [])));
  });

  it('an unseeded rand() gets its seed once, when parsed or built, so a plan is repeatable', async () => {
    const node = parseExpr('rand()');
    expect(node).toMatchObject({ kind: 'call', fn: 'rand', args: [{ kind: 'lit', type: 'int64' }] });
    const df = ids(100).withColumns({ a: 'rand()', b: F.rand(), c: 'randn()' });
    const first = await df.toRows();
    expect(await df.toRows()).toEqual(first);
    expect(first.map((r) => r.a)).not.toEqual(first.map((r) => r.b));
    // Two unseeded calls in one SQL query are two streams, as in Spark.
    const session = new SqlSession({ tables: { t: ids(50) } });
    const rows = await (await session.sql('SELECT rand() AS x, rand() AS y, random(5) AS z FROM t')).toRows();
    expect(rows.map((r) => r.x)).not.toEqual(rows.map((r) => r.y));
    expect(rows.map((r) => r.z)).toEqual(await column(ids(50).withColumns({ z: 'rand(5)' }), 'z'));
  });

  it('are not pushed into a scan as a pruning predicate', () => {
    const plan = pushDownFilters(read.csv('lake').filter('rand(1) < 0.1 AND amount > 5').filter('randn() > 0').plan);
    expect(scanOf(plan).predicate).toEqual({ kind: 'compare', op: '>', left: { kind: 'col', name: 'amount' }, right: { kind: 'lit', value: 5 } });
  });

  it('over parallel splits: repeatable, and each split draws its own stream', async () => {
    const path = await csvOf(20000);
    const frame = read.csv(path, { withHeader: true, schema: { id: 'int32' } }).withColumns({ r: 'rand(5)' });
    const options = { threads: 2, splitSize: 16384, inlineBelowBytes: 0 };
    const once = (await frame.collect(options)).table;
    const twice = (await frame.collect(options)).table;
    const values = (t: typeof once) => [...t.getChild('r')!] as number[];
    expect(values(twice)).toEqual(values(once));
    expect(new Set(values(once)).size).toBe(20000); // no two splits repeat a stream
    const inline = await column(frame, 'r');
    // The first split is partition 0, as a run in one piece is.
    expect(values(once).slice(0, 100)).toEqual(inline.slice(0, 100));
    expect(values(once)).not.toEqual(inline);
  });

  it('take an integer literal seed', async () => {
    const failure = (expr: string) => ids(3).withColumns({ r: expr }).toRows().then(() => 'no error', (e: Error) => e.message);
    expect(await failure("rand('x')")).toMatch(/rand: argument 1 must be an integer literal \(the seed\), got string/);
    expect(await failure('rand(id)')).toMatch(/rand: the seed must be a literal/);
  });
});
