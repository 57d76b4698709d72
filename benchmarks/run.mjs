// sluice's benchmark harness: every engine × workload as a whole child process, interleaved
// (run 1 of everything, then run 2, …), wall time and peak RSS measured from outside, medians in a
// markdown table, then every output checked by DuckDB against the generator's expected answers.
//
//   npm run bench                       N=2,000,000, RUNS=3, ENGINES="sluice duckdb polars"
//   npm run bench -- 200000 1           positional N and RUNS
//   N=200000 RUNS=1 ENGINES=duckdb WORKLOADS="w1 w4" npm run bench
//   WORKLOADS="w1 w2 w3 w4 w5" npm run bench       W5 = W2 at W5_N (20,000,000) rows, W5_ENGINES (sluice)
//   TIMEOUT=600 (seconds per process)
//
// Data lives in bench-data/ (W5's in bench-data/w5/), regenerated when expected.json is for another
// N; outputs in bench-out/<engine>/<workload>/, logs in bench-out/logs/, all runs in bench-out/results.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './gen.mjs';
import { measure, rssMethod } from './lib/measure.mjs';
import { verifyOutputs, verificationTable } from './lib/verify.mjs';

const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const DATA = path.join(ROOT, 'bench-data');
const W5_DATA = path.join(DATA, 'w5');
const OUT = path.join(ROOT, 'bench-out');
const SEED = 42;

const [argN, argRuns] = process.argv.slice(2);
const N = count(argN ?? process.env.N ?? 2_000_000, 'N');
const RUNS = count(argRuns ?? process.env.RUNS ?? 3, 'RUNS');
const ENGINES = words(process.env.ENGINES ?? 'sluice duckdb polars');
const WORKLOADS = words(process.env.WORKLOADS ?? 'w1 w2 w3 w4 w6');
const W5_N = count(process.env.W5_N ?? 20_000_000, 'W5_N');
const W5_ENGINES = words(process.env.W5_ENGINES ?? 'sluice');
const TIMEOUT_S = count(process.env.TIMEOUT ?? 600, 'TIMEOUT');

const TITLES = {
  w1: 'W1 csv → parquet', w2: 'W2 etl → partitioned', w3: 'W3 join + group-by', w4: 'W4 parquet scan + filter',
  w6: 'W6 sorted parquet + selective filter',
  w5: `W5 = W2 at ${(W5_N / 1e6).toLocaleString('en-US')}M rows`,
};
for (const w of WORKLOADS) if (!TITLES[w]) fail(`unknown workload '${w}'; use w1 w2 w3 w4 w5 w6`);
for (const e of new Set([...ENGINES, ...W5_ENGINES])) {
  if (!fs.existsSync(path.join(ROOT, 'benchmarks', 'engines', e))) fail(`unknown engine '${e}'; see benchmarks/engines/`);
}
if (WORKLOADS.includes('w4') && !WORKLOADS.includes('w1')) {
  console.error('note: W4 scans each engine\'s W1 output; without w1 in WORKLOADS it reads the previous one');
}
if ([...ENGINES, ...W5_ENGINES].includes('sluice') && !fs.existsSync(path.join(ROOT, 'dist', 'lib', 'index.js'))) {
  console.error('note: sluice is not built (dist/lib/index.js); run `npm run build` first, or its runs will fail');
}

const expected = WORKLOADS.some((w) => w !== 'w5') ? ensureData(DATA, N) : null;
const w5Expected = WORKLOADS.includes('w5') ? ensureData(W5_DATA, W5_N) : null;
if (WORKLOADS.includes('w6')) await ensureSortedOrders(DATA);

// The schedule of one run: W1 before W4 (W4 reads W1's output), W5 last.
const schedule = [];
for (const engine of ENGINES) {
  for (const workload of WORKLOADS.filter((w) => w !== 'w5')) {
    schedule.push({ engine, workload, script: `${workload}.mjs`, data: DATA });
  }
}
if (WORKLOADS.includes('w5')) {
  for (const engine of W5_ENGINES) schedule.push({ engine, workload: 'w5', script: 'w2.mjs', data: W5_DATA });
}

fs.rmSync(path.join(OUT, 'logs'), { recursive: true, force: true }); // logs describe this invocation only
console.error(`N=${N} RUNS=${RUNS} engines: ${ENGINES.join(' ')}; workloads: ${WORKLOADS.join(' ')}; peak RSS via ${rssMethod}`);
const loadBefore = os.loadavg()[0];
const runs = [];
for (let run = 1; run <= RUNS; run++) {
  for (const { engine, workload, script, data } of schedule) {
    const r = await measure(path.join(ROOT, 'benchmarks', 'engines', engine, script), {
      cwd: ROOT,
      timeoutS: TIMEOUT_S,
      logFile: path.join(OUT, 'logs', `${engine}.${workload}.${run}.log`),
      env: { BENCH_DATA: data, BENCH_OUT: OUT, BENCH_OUTPUT_DIR: path.join(OUT, engine, workload), TZ: 'UTC' },
    });
    runs.push({ engine, workload, run, ...r });
    const what = r.result?.unsupported ? 'n/a' : r.rc === 0 ? 'ok' : r.timedOut ? `TIMEOUT after ${TIMEOUT_S} s` : `FAILED rc=${r.rc}`;
    const cpu = r.cpuS === null ? '' : ` cpu ${r.cpuS.toFixed(2).padStart(6)} s`;
    console.error(`run ${run}  ${engine.padEnd(7)} ${workload}  ${r.wallS.toFixed(2).padStart(7)} s ${r.rssMB.toFixed(0).padStart(6)} MB${cpu}  ${what}  ${JSON.stringify(r.result ?? {})}`);
    if (r.rc !== 0 && r.tail) console.error(indent(r.tail));
  }
}
fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify({
  date: new Date().toISOString(), n: N, w5_n: W5_N, runs: RUNS, cores: os.cpus().length, node: process.version, rssMethod,
  loadavg: { before: loadBefore, after: os.loadavg()[0] },
  results: runs.map(({ tail, ...r }) => r),
}, null, 1));

console.log(`\nN = ${N.toLocaleString('en-US')} orders, median of ${RUNS} interleaved run${RUNS > 1 ? 's' : ''}, ` +
  `${os.cpus().length} cores (1-min load ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after), node ${process.version}; ` +
  `whole process incl. start-up: wall s / peak RSS MB (${rssMethod})\n`);
console.log(timingTable());

const verification = await verifyOutputs({
  engines: [...new Set([...ENGINES, ...(WORKLOADS.includes('w5') ? W5_ENGINES : [])])],
  workloads: WORKLOADS,
  expectedOf: (w) => (w === 'w5' ? w5Expected : expected),
  runsOf: (engine, workload) => runs.filter((r) => r.engine === engine && r.workload === workload),
});
const expectedFiles = [expected && DATA, w5Expected && W5_DATA].filter(Boolean).map((d) => `${path.relative(ROOT, d)}/expected.json`);
console.log(`\nOutputs read back by DuckDB, compared with ${expectedFiles.join(' and ')}:\n`);
console.log(verificationTable(verification, WORKLOADS));
process.exitCode = verification.ok && runs.every((r) => r.rc === 0) ? 0 : 1;

// ---- helpers ---------------------------------------------------------------------------------

/** Medians per engine (columns) and workload (rows), with sluice ÷ DuckDB. */
function timingTable() {
  const engines = [...new Set(schedule.map((s) => s.engine))];
  const ratio = engines.includes('sluice') && engines.includes('duckdb');
  const lines = [
    `| workload | ${engines.join(' | ')} |${ratio ? ' sluice ÷ DuckDB (wall / RSS) |' : ''}`,
    `|---|${engines.map(() => '---:').join('|')}|${ratio ? '---:|' : ''}`,
  ];
  for (const workload of WORKLOADS) {
    const stats = Object.fromEntries(engines.map((e) => [e, stat(e, workload)]));
    const cells = engines.map((e) => cell(stats[e], workload));
    const s = stats.sluice, d = stats.duckdb;
    const r = s?.wallS && d?.wallS ? `${(s.wallS / d.wallS).toFixed(1)}× / ${(s.rssMB / d.rssMB).toFixed(1)}×` : 'n/a';
    lines.push(`| ${TITLES[workload]} | ${cells.join(' | ')} |${ratio ? ` ${r} |` : ''}`);
  }
  return lines.join('\n');
}

function stat(engine, workload) {
  const all = runs.filter((r) => r.engine === engine && r.workload === workload);
  if (!all.length) return null;
  if (all.some((r) => r.result?.unsupported)) return { unsupported: true };
  const ok = all.filter((r) => r.rc === 0);
  if (!ok.length) return { failed: all.length, rc: all[0].rc, timedOut: all[0].timedOut };
  return { wallS: median(ok.map((r) => r.wallS)), rssMB: median(ok.map((r) => r.rssMB)), failed: all.length - ok.length };
}

function cell(s, workload) {
  if (!s) return '-';
  if (s.unsupported) return 'n/a';
  if (!s.wallS) return s.timedOut ? `TIMEOUT (>${TIMEOUT_S} s)` : `FAILED (rc ${s.rc})`;
  const perMillion = workload === 'w5' ? ` (${(s.wallS / (W5_N / 1e6)).toFixed(2)} s/M rows)` : '';
  return `${s.wallS.toFixed(2)} s / ${s.rssMB.toFixed(0)} MB${perMillion}${s.failed ? ` (${s.failed} failed)` : ''}`;
}

/** Generates the data set unless expected.json already describes N rows of this seed. */
function ensureData(dir, n) {
  const file = path.join(dir, 'expected.json');
  try {
    const e = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (e.n_orders === n && e.seed === SEED && fs.existsSync(path.join(dir, 'orders.csv'))) return e;
  } catch { /* absent or unreadable: generate */ }
  console.error(`generating ${n.toLocaleString('en-US')} orders into ${path.relative(ROOT, dir)}/ …`);
  fs.rmSync(file, { force: true }); // a half-written data set must not pass for a whole one
  return generate({ n, seed: SEED, outDir: dir });
}

/** W6's input, written once per data set by DuckDB (so every engine reads the same file and statistics). */
async function ensureSortedOrders(dir) {
  const file = path.join(dir, 'orders_by_amount.parquet');
  const stamp = `${file}.n`;
  if (fs.existsSync(file) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === String(N)) return;
  console.error(`sorting the orders by amount into ${path.relative(ROOT, file)} …`);
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const con = await (await DuckDBInstance.create(':memory:')).connect();
  await con.run(`COPY (SELECT * FROM read_csv('${path.join(dir, 'orders.csv')}', header = true) ORDER BY amount NULLS FIRST)
    TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 65536, COMPRESSION snappy)`);
  fs.writeFileSync(stamp, String(N));
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function count(value, name) {
  const n = Number(String(value).replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n <= 0) fail(`${name} must be a positive integer, got '${value}'`);
  return n;
}

function words(text) {
  return text.split(/[\s,]+/).filter(Boolean);
}

function indent(text) {
  return text.split('\n').map((l) => `    ${l}`).join('\n');
}

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}
