// `npm run demo`: makes a small deterministic orders/customers dataset, runs the demo jobs in
// jobs/ into a Hive-partitioned Parquet lake under ./lake, and prints what landed there.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '../benchmarks/gen.mjs';
import { read, runJobSpec } from '../dist/lib/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const data = join(root, 'demo-data');
const lake = join(root, 'lake');
const started = performance.now();

rmSync(lake, { recursive: true, force: true });
const expected = generate({ n: 50_000, seed: 42, outDir: data, customers: 5_000 });
console.log(`demo data: ${expected.n_orders} orders, 5000 customers in ${relative(process.cwd(), data) || '.'}/`);

const jobs = [
  ['orders_to_lake.json', { INPUT: join(data, 'orders.csv'), OUTPUT: join(lake, 'orders') }],
  ['customer_orders.json', { ORDERS: join(data, 'orders.csv'), CUSTOMERS: join(data, 'customers.csv'), OUTPUT: join(lake, 'customer_orders') }],
];
for (const [file, params] of jobs) {
  const summary = await runJobSpec(join(root, 'jobs', file), params);
  for (const sink of summary.sinks) {
    console.log(`${file}: ${sink.rows} rows -> ${relative(process.cwd(), sink.path)} (${sink.files.length} files, ${sink.errors} error records, ${(sink.ms / 1000).toFixed(2)} s)`);
  }
}

// The same job as a Glue-shaped TypeScript script, through the CLI.
execFileSync(process.execPath, [join(root, 'bin', 'sluice.js'), 'run', join(root, 'jobs', 'orders_to_lake.ts'),
  '--JOB_NAME', 'orders_ts', '--INPUT', join(data, 'orders.csv'), '--OUTPUT', join(lake, 'orders_ts')], { stdio: 'inherit' });

const orders = read.parquet(join(lake, 'orders'));
const count = await orders.count();
console.log(`\nlake/orders holds ${count} rows (expected ${expected.w2_rows}); first rows:`);
await orders.limit(5).show();
console.log(`\ndemo finished in ${((performance.now() - started) / 1000).toFixed(2)} s`);
if (count !== expected.w2_rows) {
  console.error(`demo: lake/orders has ${count} rows, expected ${expected.w2_rows}`);
  process.exit(1);
}
