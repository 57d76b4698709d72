// Where every engine script reads its input and writes its output. run.mjs sets BENCH_DATA and
// BENCH_OUT; the defaults let a script run on its own from the repo root.
//   inputs:  $BENCH_DATA/orders.csv, $BENCH_DATA/customers.csv
//   outputs: $BENCH_OUT/<engine>/<workload>/   (always a folder, whatever the engine writes into it;
//            BENCH_OUTPUT_DIR overrides the folder of the script's own output, e.g. W5 runs w2.mjs)
import fs from 'node:fs';
import path from 'node:path';

export const DATA = path.resolve(process.env.BENCH_DATA ?? 'bench-data');
export const OUT = path.resolve(process.env.BENCH_OUT ?? 'bench-out');
export const ORDERS = path.join(DATA, 'orders.csv');
export const CUSTOMERS = path.join(DATA, 'customers.csv');
/** W6's input: the orders as one Parquet file sorted by amount, in row groups of 65,536 (written by DuckDB). */
export const ORDERS_BY_AMOUNT = path.join(DATA, 'orders_by_amount.parquet');
/** W6's filter: about 0.5% of the orders, all in the last row groups of the sorted file. */
export const W6_MIN_AMOUNT = 497.5;

/** The output folder of one engine's workload. */
export function outputOf(engine, workload) {
  return path.join(OUT, engine, workload);
}

/** An empty output folder, so every run does the same work (no appends, no leftovers). */
export function freshOutput(engine, workload) {
  const dir = process.env.BENCH_OUTPUT_DIR ? path.resolve(process.env.BENCH_OUTPUT_DIR) : outputOf(engine, workload);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** The one machine-readable line run.mjs reads from each script's stdout. */
export function result(obj) {
  console.log('RESULT ' + JSON.stringify(obj));
}
