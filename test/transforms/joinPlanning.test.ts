import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataFrame, read } from '../../src/index.js';
import type { PlanNode, ScanNode } from '../../src/plan/PlanNode.js';
import { pushDownProjection } from '../../src/plan/pushDownProjection.js';
import type { JoinType } from '../../transforms/types.js';
import { tempDir } from '../support/files.js';

const JOINS: JoinType[] = ['inner', 'left', 'right', 'outer', 'semi', 'anti'];

/** The scans of a plan, left to right, with the columns the push-down gave them. */
function scans(node: PlanNode): ScanNode[] {
  if (node.kind === 'scan') return [node];
  if (node.kind === 'values') return [];
  return node.inputs.flatMap(scans);
}

async function files() {
  const dir = await tempDir('sluice-join-plan-');
  const orders = join(dir, 'orders.csv');
  const customers = join(dir, 'customers.csv');
  writeFileSync(orders, 'order_id,customer_id,amount,note,segment\n1,10,1.5,a,o1\n2,20,2.5,b,o2\n3,10,3.5,c,o3\n4,99,4.5,d,o4\n5,,5.5,e,o5\n6,30,6.5,f,o6\n');
  writeFileSync(customers, 'customer_id,name,segment\n10,Ann,gold\n30,Cy,silver\n10,Al,bronze\n40,Dee,gold\n,Nul,none\n');
  const o = read.csv(orders, { withHeader: true, schema: { order_id: 'int32', customer_id: 'int32', amount: 'float64', note: 'string', segment: 'string' } });
  const c = read.csv(customers, { withHeader: true, schema: { customer_id: 'int32', name: 'string', segment: 'string' } });
  return { o, c };
}

/** The same join over in-memory rows of every column: no projection can reach a values node. */
function unprojected() {
  const o = DataFrame.fromRows([
    { order_id: 1, customer_id: 10, amount: 1.5, note: 'a', segment: 'o1' }, { order_id: 2, customer_id: 20, amount: 2.5, note: 'b', segment: 'o2' },
    { order_id: 3, customer_id: 10, amount: 3.5, note: 'c', segment: 'o3' }, { order_id: 4, customer_id: 99, amount: 4.5, note: 'd', segment: 'o4' },
    { order_id: 5, customer_id: null, amount: 5.5, note: 'e', segment: 'o5' }, { order_id: 6, customer_id: 30, amount: 6.5, note: 'f', segment: 'o6' },
  ], { order_id: 'int32', customer_id: 'int32', amount: 'float64', note: 'string', segment: 'string' });
  const c = DataFrame.fromRows([
    { customer_id: 10, name: 'Ann', segment: 'gold' }, { customer_id: 30, name: 'Cy', segment: 'silver' }, { customer_id: 10, name: 'Al', segment: 'bronze' },
    { customer_id: 40, name: 'Dee', segment: 'gold' }, { customer_id: null, name: 'Nul', segment: 'none' },
  ], { customer_id: 'int32', name: 'string', segment: 'string' });
  return { o, c };
}

describe('Join: projection push-down', () => {
  it('reaches both scans: the required columns of each side plus its keys', async () => {
    const { o, c } = await files();
    const joined = o.join(c, ['customer_id'], ['customer_id']).selectFields(['amount', 'name']);
    const [left, right] = scans(pushDownProjection(joined.plan));
    expect(left.columns?.sort()).toEqual(['amount', 'customer_id', 'name']);
    expect(right.columns?.sort()).toEqual(['amount', 'customer_id', 'name']);
    // count(): only the keys
    const [l0, r0] = scans(pushDownProjection(o.join(c, ['customer_id'], ['customer_id']).plan, new Set()));
    expect([l0.columns, r0.columns]).toEqual([['customer_id'], ['customer_id']]);
    // semi and anti: frame2 reads its keys only
    const [, semiRight] = scans(pushDownProjection(o.join(c, ['customer_id'], ['customer_id'], 'semi').selectFields(['amount']).plan));
    expect(semiRight.columns).toEqual(['customer_id']);
    // a renamed frame2 column: frame1 keeps the name too, so the renaming stays
    const [rl, rr] = scans(pushDownProjection(o.join(c, ['customer_id'], ['customer_id']).selectFields(['segment_right']).plan));
    expect(rl.columns?.sort()).toEqual(['customer_id', 'segment', 'segment_right']);
    expect(rr.columns?.sort()).toEqual(['customer_id', 'segment', 'segment_right']);
    // and the prepared scans read only those columns
    const prepared = await joined.prepare(undefined);
    expect(prepared.schema.names).toEqual(['amount', 'name']);
  });

  it.each(JOINS)('%s: exact rows after the push-down, as without it', async (how) => {
    const { o, c } = await files();
    const all = unprojected();
    const pick = how === 'semi' || how === 'anti' ? ['order_id', 'amount'] : ['order_id', 'amount', 'name', 'segment_right'];
    const got = await o.join(c, ['customer_id'], ['customer_id'], how).selectFields(pick).toRows();
    const want = await all.o.join(all.c, ['customer_id'], ['customer_id'], how).selectFields(pick).toRows();
    expect(got).toEqual(want);
    expect(got.length).toBeGreaterThan(0);
    expect(await o.join(c, ['customer_id'], ['customer_id'], how).count()).toBe(want.length);
    expect(await o.join(c, ['customer_id'], ['customer_id'], how).selectFields(['segment']).toRows())
      .toEqual(await all.o.join(all.c, ['customer_id'], ['customer_id'], how).selectFields(['segment']).toRows());
  });
});

describe('Join: an inner join indexes the smaller input', () => {
  /** Nested loops in the documented order: frame1's order, each row's matches in frame2's order. */
  function expected(f1: { k: number | null; a: number }[], f2: { k: number | null; b: number }[]) {
    return f1.flatMap((l) => f2.filter((r) => l.k !== null && r.k === l.k).map((r) => ({ k: l.k, a: l.a, k_right: r.k, b: r.b })));
  }

  it('keeps the output order when frame1 is the smaller side (and when frame2 is)', async () => {
    const f1 = [{ k: 3, a: 0 }, { k: 1, a: 1 }, { k: null, a: 2 }, { k: 3, a: 3 }, { k: 7, a: 4 }];
    const f2 = Array.from({ length: 5000 }, (_, i) => ({ k: i % 9 === 8 ? null : (i * 7) % 9, b: i }));
    const schema1 = { k: 'int32', a: 'int32' };
    const schema2 = { k: 'int32', b: 'int32' };
    // frame2 in many batches: frame1 ends first and is indexed
    const big = DataFrame.fromRows(f2, schema2);
    const batches = (await big.toArrow()).batches;
    expect(batches.length).toBeGreaterThan(0);
    const small = DataFrame.fromRows(f1, schema1);
    const rows = await small.join(big, ['k'], ['k']).toRows();
    expect(rows).toEqual(expected(f1, f2));
    // the usual way round: frame2 the smaller
    const swapped = await big.join(small, ['k'], ['k']).toRows();
    expect(swapped).toEqual(f2.flatMap((l) => f1.filter((r) => l.k !== null && r.k === l.k).map((r) => ({ k: l.k, b: l.b, k_right: r.k, a: r.a }))));
    // string keys go through the general index
    const s1 = f1.map((r) => ({ k: r.k === null ? null : String(r.k), a: r.a }));
    const s2 = f2.map((r) => ({ k: r.k === null ? null : String(r.k), b: r.b }));
    const srows = await DataFrame.fromRows(s1, { k: 'string', a: 'int32' }).join(DataFrame.fromRows(s2, { k: 'string', b: 'int32' }), ['k'], ['k']).toRows();
    expect(srows).toEqual(expected(s1 as never, s2 as never));
  });
});
