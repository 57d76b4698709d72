// The Parquet encoder alone: an in-memory table shaped like orders.csv (2M rows x 6 columns, batches
// of 65,536 rows as the CSV reader yields) written by sluice's built-in encoder and by parquet-wasm,
// alternately, in one process; prints each write's milliseconds (the first of each includes warm-up).
//   node benchmarks/parquetEncoder.mjs [ROWS=2000000] [ROUNDS=3] [CODEC=snappy] [ENCODERS=sluice,wasm]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const DIST = new URL('../dist/src/io/formats/parquet/parquetWriter.js', import.meta.url);
const { parquetWriter } = await import(DIST.href);
const arrow = await import('apache-arrow');
const { Field, Float64, Int32, RecordBatch, Schema, Struct, TimestampMillisecond, Utf8, makeData } = arrow;

const ROWS = Number(process.argv[2] ?? 2_000_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const CODEC = process.argv[4] ?? 'snappy';
const ENCODERS = (process.argv[5] ?? 'sluice,wasm').split(',');
const BATCH = 65_536;

let seed = 42;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
const STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'cancelled', 'returned'];
const COUNTRIES = 'US DE FR GB IT ES NL BE AT CH SE NO DK FI PL CZ PT IE GR HU RO CA MX BR AR JP KR IN AU ZA'.split(' ');

function utf8Column(n, pick) {
  const enc = new TextEncoder();
  const words = pick.map((w) => enc.encode(w));
  const offsets = new Int32Array(n + 1);
  const chosen = new Uint8Array(n);
  let size = 0;
  for (let i = 0; i < n; i++) {
    chosen[i] = Math.floor(rand() * words.length);
    size += words[chosen[i]].length;
    offsets[i + 1] = size;
  }
  const bytes = new Uint8Array(size);
  for (let i = 0; i < n; i++) bytes.set(words[chosen[i]], offsets[i]);
  return makeData({ type: new Utf8(), length: n, nullCount: 0, valueOffsets: offsets, data: bytes });
}

const fields = [
  new Field('order_id', new Int32(), true),
  new Field('customer_id', new Int32(), true),
  new Field('ts', new TimestampMillisecond('UTC'), true),
  new Field('amount', new Float64(), true),
  new Field('status', new Utf8(), true),
  new Field('country', new Utf8(), true),
];
const schema = new Schema(fields);
const batches = [];
for (let start = 0; start < ROWS; start += BATCH) {
  const n = Math.min(BATCH, ROWS - start);
  const ids = Int32Array.from({ length: n }, (_, i) => start + i + 1);
  const customers = Int32Array.from({ length: n }, () => 1 + Math.floor(rand() * 200_000));
  const ts = BigInt64Array.from({ length: n }, () => BigInt(1_704_067_200_000 + Math.floor(rand() * 31_536_000_000)));
  const amount = Float64Array.from({ length: n }, () => Math.round(rand() * 100_000) / 100);
  const valid = new Uint8Array(((n + 63) >> 6) << 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) rand() < 0.1 ? nulls++ : (valid[i >> 3] |= 1 << (i & 7));
  const children = [
    makeData({ type: new Int32(), length: n, nullCount: 0, data: ids }),
    makeData({ type: new Int32(), length: n, nullCount: 0, data: customers }),
    makeData({ type: new TimestampMillisecond('UTC'), length: n, nullCount: 0, data: ts }),
    makeData({ type: new Float64(), length: n, nullCount: nulls, nullBitmap: valid, data: amount }),
    utf8Column(n, STATUSES),
    utf8Column(n, COUNTRIES),
  ];
  batches.push(new RecordBatch(schema, makeData({ type: new Struct(fields), length: n, nullCount: 0, children })));
}

async function* stream() {
  for (const batch of batches) yield batch;
}

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-enc-bench-'));
const times = Object.fromEntries(ENCODERS.map((e) => [e, []]));
const cpus = Object.fromEntries(ENCODERS.map((e) => [e, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const encoder of ENCODERS) {
    if (encoder === 'wasm') process.env.SLUICE_PARQUET_ENCODER = 'wasm';
    else delete process.env.SLUICE_PARQUET_ENCODER;
    const file = path.join(out, `${encoder}.parquet`);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const { bytes } = await parquetWriter.write(stream(), file, { compression: CODEC });
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const cpu = (c.user + c.system) / 1000; // process-wide: the thread pool's compression included
    times[encoder].push(ms);
    cpus[encoder].push(cpu);
    console.log(`round ${round + 1} ${encoder}: ${ms.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms cpu, ${(bytes / 1e6).toFixed(1)} MB`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const encoder of ENCODERS) {
  console.log(`${encoder}: median ${median(times[encoder]).toFixed(0)} ms wall, ${median(cpus[encoder]).toFixed(0)} ms cpu over ${ROUNDS}; first ${times[encoder][0].toFixed(0)} ms wall, ${cpus[encoder][0].toFixed(0)} ms cpu`);
}
console.log(`load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
fs.rmSync(out, { recursive: true, force: true });
