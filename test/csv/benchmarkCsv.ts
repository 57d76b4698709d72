/**
 * Throughput of the CSV reader on the benchmark's orders.csv, against csv-parse.
 *   npx tsx test/csv/benchmarkCsv.ts /path/to/orders.csv [--csv-parse]
 * (Not a vitest file: it needs the generated data, see /work/shared/bench/gen.mjs.)
 */
import { statSync, createReadStream } from 'node:fs';
import { Field, Float64, Int32, Schema, TimestampMicrosecond, Utf8 } from 'apache-arrow';
import { parse } from 'csv-parse';
import { csvReader } from '../../src/io/formats/csv/index.js';

const path = process.argv[2];
if (!path) throw new Error('usage: benchmarkCsv.ts <orders.csv> [--csv-parse]');
const megabytes = statSync(path).size / 1e6;

const schema = new Schema([
  new Field('order_id', new Int32()),
  new Field('customer_id', new Int32()),
  new Field('ts', new TimestampMicrosecond('UTC')),
  new Field('amount', new Float64()),
  new Field('status', new Utf8()),
  new Field('country', new Utf8()),
  new Field('note', new Utf8()),
]);

async function timeSluice(): Promise<void> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  let rows = 0;
  let errors = 0;
  for await (const chunk of csvReader.read(path, { withHeader: true }, { schema })) {
    rows += chunk.batch.numRows;
    errors += chunk.errors.length;
  }
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  console.log(`sluice: ${rows} rows, ${errors} errors, ${seconds.toFixed(2)} s wall (${(megabytes / seconds).toFixed(0)} MB/s), ` +
    `${cpuSeconds.toFixed(2)} s CPU (${(megabytes / cpuSeconds).toFixed(0)} MB/s per core)`);
}

async function timeCsvParse(): Promise<void> {
  const start = performance.now();
  let rows = 0;
  const parser = createReadStream(path).pipe(parse({ from_line: 2 }));
  for await (const record of parser as AsyncIterable<string[]>) rows += record.length > 0 ? 1 : 0;
  const seconds = (performance.now() - start) / 1000;
  console.log(`csv-parse (records only, no Arrow): ${rows} rows, ${seconds.toFixed(2)} s, ${(megabytes / seconds).toFixed(0)} MB/s`);
}

for (let run = 0; run < 4; run++) await timeSluice();
if (process.argv.includes('--csv-parse')) await timeCsvParse();
