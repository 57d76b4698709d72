// Deterministic orders/customers generator: the benchmark workloads' data (same seed, same
// bytes as the team's reference generator) and, small, the demo's data.
//   node benchmarks/gen.mjs [N=2000000] [SEED=42] [OUTDIR=bench-data] [CUSTOMERS=200000]
// Writes OUTDIR/orders.csv, OUTDIR/customers.csv and OUTDIR/expected.json (the exact answers of
// W2/W3/W4, computed while generating, independently of any engine).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'cancelled', 'returned'];
const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'IT', 'ES', 'NL', 'BE', 'AT', 'CH', 'SE', 'NO', 'DK', 'FI', 'PL',
  'CZ', 'PT', 'IE', 'GR', 'HU', 'RO', 'CA', 'MX', 'BR', 'AR', 'JP', 'KR', 'IN', 'AU', 'ZA'];
// Notes: ~20% empty (null), plain text, and some that need CSV quoting (commas, doubled quotes).
const NOTES = ['gift wrap', 'leave at door', 'call before delivery', 'fragile', 'express',
  '"rush, priority"', '"handle with care, top side up"', '"customer said ""thanks"""'];
const SEGMENTS = ['consumer', 'corporate', 'home_office', 'small_business'];
const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Ken', 'Barbara', 'Edsger', 'Donald', 'Margaret', 'Dennis'];
const LAST = ['Lovelace', 'Turing', 'Hopper', 'Torvalds', 'Thompson', 'Liskov', 'Dijkstra', 'Knuth', 'Hamilton', 'Ritchie'];
const T0 = Date.UTC(2024, 0, 1) / 1000;
const T1 = Date.UTC(2025, 0, 1) / 1000;
const SIGNUP0 = Date.UTC(2019, 0, 1) / 86400000;
const SIGNUP_DAYS = 5 * 365;

/** mulberry32: a small, fast, deterministic 32-bit PRNG. */
function prng(seed) {
  let a = seed;
  return () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Buffers lines and writes them in ~1 MB blocks. */
function lineWriter(file) {
  const fd = fs.openSync(file, 'w');
  let lines = [];
  let size = 0;
  const flush = () => { fs.writeSync(fd, lines.join('\n') + '\n'); lines = []; size = 0; };
  return {
    line(s) { lines.push(s); size += s.length; if (size > 1 << 20) flush(); },
    close() { if (lines.length) flush(); fs.closeSync(fd); },
  };
}

export function generate({ n = 2_000_000, seed = 42, outDir = 'bench-data', customers = 200_000 } = {}) {
  const rnd = prng(seed);
  const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
  fs.mkdirSync(outDir, { recursive: true });

  const segmentOf = new Int8Array(customers + 1);
  const cw = lineWriter(path.join(outDir, 'customers.csv'));
  cw.line('customer_id,name,segment,signup_date');
  for (let id = 1; id <= customers; id++) {
    const s = Math.floor(rnd() * SEGMENTS.length);
    segmentOf[id] = s;
    const day = new Date((SIGNUP0 + Math.floor(rnd() * SIGNUP_DAYS)) * 86400000).toISOString().slice(0, 10);
    cw.line(`${id},${pick(FIRST)} ${pick(LAST)},${SEGMENTS[s]},${day}`);
  }
  cw.close();

  const w2 = {};
  let w2Cents = 0;
  const w3 = {};
  let w4 = 0;
  let amountCents = 0;
  const ow = lineWriter(path.join(outDir, 'orders.csv'));
  ow.line('order_id,customer_id,ts,amount,status,country,note');
  for (let i = 1; i <= n; i++) {
    const cust = 1 + Math.floor(rnd() * customers);
    const t = T0 + Math.floor(rnd() * (T1 - T0));
    const d = new Date(t * 1000);
    const ts = d.toISOString().slice(0, 19) + 'Z';
    const hasAmount = rnd() >= 0.10;
    const cents = 1 + Math.floor(rnd() * 50000);
    const status = pick(STATUSES);
    const country = pick(COUNTRIES);
    const r = rnd();
    const note = r < 0.20 ? '' : NOTES[Math.floor(r * 100) % NOTES.length];
    ow.line(`${i},${cust},${ts},${hasAmount ? (cents / 100).toFixed(2) : ''},${status},${country},${note}`);
    if (hasAmount) amountCents += cents;
    if (hasAmount && status !== 'cancelled') {
      const k = `year=${d.getUTCFullYear()}/month=${d.getUTCMonth() + 1}`;
      w2[k] = (w2[k] ?? 0) + 1;
      w2Cents += cents;
    }
    const g = `${SEGMENTS[segmentOf[cust]]}|${country}`;
    const e = (w3[g] ??= { amount_cents: 0, count: 0 });
    e.count++;
    if (hasAmount) e.amount_cents += cents;
    if (country === 'DE' && hasAmount && cents > 10000) w4++;
  }
  ow.close();

  const expected = {
    n_orders: n, seed,
    w2_rows: Object.values(w2).reduce((a, b) => a + b, 0),
    w2_partitions: w2,
    w2_amount_usd: (w2Cents / 100) * 1.1,
    w3_rows: Object.keys(w3).length,
    w3_total_count: n,
    w3_total_amount: amountCents / 100,
    w3_groups: Object.fromEntries(Object.entries(w3).map(([k, v]) => [k, { amount: v.amount_cents / 100, count: v.count }])),
    w4_count: w4,
  };
  fs.writeFileSync(path.join(outDir, 'expected.json'), JSON.stringify(expected, null, 1));
  return expected;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [n, seed, outDir, customers] = process.argv.slice(2);
  const expected = generate({
    n: Number(n ?? 2_000_000), seed: Number(seed ?? 42), outDir: outDir ?? 'bench-data', customers: Number(customers ?? 200_000),
  });
  const mb = (f) => (fs.statSync(path.join(outDir ?? 'bench-data', f)).size / 1e6).toFixed(1);
  console.log(`orders.csv ${expected.n_orders} rows ${mb('orders.csv')} MB; expected: w2_rows=${expected.w2_rows} w3_rows=${expected.w3_rows} w4_count=${expected.w4_count}`);
}
