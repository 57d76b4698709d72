import { DataFrame } from '/work/wt/nested/src/frame/DataFrame.js';
const schema = { id: 'int32', s: 'struct<a:string,b:int32>', tags: 'array<string>', kids: 'array<struct<n:int32,toys:array<string>>>' };
const batches = [];
let sch;
for (let b = 0; b < 10; b++) {
  const rows = Array.from({ length: 100_000 }, (_v, j) => { const i = b * 100_000 + j; return { id: i, s: { a: 'x' + (i % 100), b: i }, tags: ['t1', 't2'], kids: [{ n: i, toys: ['a', 'b'] }, { n: -i, toys: null }] }; });
  const t = await DataFrame.fromRows(rows, schema).toArrow();
  sch = t.schema; batches.push(...t.batches);
}
const df = DataFrame.fromBatches(sch, batches);
const tables = df.relationalize('r');
for (const key of await tables.keys()) {
  const t0 = performance.now();
  const { table } = await tables.select(key).collect({ parallel: false });
  console.log(key, table.numRows, Math.round(performance.now() - t0), 'ms');
}
const t0 = performance.now();
const { table } = await df.unnest().collect({ parallel: false });
console.log('unnest', table.numRows, Math.round(performance.now() - t0), 'ms');
