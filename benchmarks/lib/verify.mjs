// Independent output check: DuckDB reads back what each engine wrote and compares it with the
// answers gen.mjs computed while generating the data (expected.json). No engine checks itself.
//   node benchmarks/lib/verify.mjs [engine ...]       (workloads w1-w4 against bench-data/)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { DATA, OUT, ORDERS_BY_AMOUNT, W6_MIN_AMOUNT, outputOf } from './paths.mjs';

/** Equal within 1e-6 relative (absolute near zero): sums of doubles differ in the last bits. */
const close = (a, b) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
const fmt = (n) => Number(n).toLocaleString('en-US');

/**
 * Checks every engine × workload output. `runsOf(engine, workload)` gives that pair's runs as
 * { rc, result }: `result` is the RESULT object (W4's count lives only there; `unsupported` marks
 * a workload the engine lacks).
 * `expectedOf(workload)` gives the expected.json the workload ran on (W5 has its own data).
 * Returns { rows: [{ engine, cells: { w1: {ok, text} ... } , ok }], ok }.
 */
export async function verifyOutputs({ engines, workloads, expectedOf, runsOf }) {
  const con = await (await DuckDBInstance.create(':memory:')).connect();
  const query = async (sql) => (await con.runAndReadAll(sql)).getRowObjectsJS();
  const rows = [];
  for (const engine of engines) {
    const cells = {};
    for (const workload of workloads) {
      const all = runsOf(engine, workload);
      if (!all.length) { cells[workload] = { ok: null, text: '-' }; continue; } // not run
      const runs = all.filter((r) => r.rc === 0).map((r) => r.result);
      if (runs.some((r) => r?.unsupported)) { cells[workload] = { ok: null, text: 'n/a (not supported)' }; continue; }
      if (all.length && !runs.length) { cells[workload] = { ok: false, text: 'no output: every run failed' }; continue; }
      const dir = outputOf(engine, workload);
      if (workload !== 'w4' && workload !== 'w6' && !(fs.existsSync(dir) && fs.readdirSync(dir).length)) {
        cells[workload] = { ok: false, text: `no output in ${path.relative(process.cwd(), dir)}` };
        continue;
      }
      try {
        cells[workload] = await CHECKS[workload](query, dir, expectedOf(workload), runs, outputOf(engine, 'w1'));
      } catch (e) {
        cells[workload] = { ok: false, text: `ERROR ${String(e.message ?? e).split('\n')[0].slice(0, 80)}` };
      }
    }
    const verdicts = Object.values(cells).map((c) => c.ok);
    rows.push({ engine, cells, ok: verdicts.every((v) => v !== false) });
  }
  return { rows, ok: rows.every((r) => r.ok) };
}

const CHECKS = {
  /** W1: every order in Parquet, values intact (the W4 predicate gives the expected count). */
  async w1(query, dir, exp) {
    const [{ n, de }] = await query(`SELECT count(*)::BIGINT AS n,
        count(*) FILTER (country = 'DE' AND amount > 100)::BIGINT AS de
      FROM read_parquet('${dir}/**/*.parquet')`);
    const ok = Number(n) === exp.n_orders && Number(de) === exp.w4_count;
    return { ok, text: `${fmt(n)} rows${ok ? '' : ` (want ${fmt(exp.n_orders)}; DE>100 ${fmt(de)} want ${fmt(exp.w4_count)})`}` };
  },
  w2: checkPartitioned,
  w5: checkPartitioned,
  /** W3: 120 groups, exact counts, amounts within 1e-6, sorted by segment, country. */
  async w3(query, dir, exp) {
    const got = await query(`SELECT * FROM read_csv('${dir}/*.csv', header = true)`);
    const names = got.length ? Object.keys(got[0]).join(',') : '';
    const bad = got.filter((g) => {
      const e = exp.w3_groups[`${g.segment}|${g.country}`];
      return !e || e.count !== Number(g.orders) || !close(Number(g.amount), e.amount);
    });
    const keys = got.map((g) => `${g.segment}\u0000${g.country}`);
    const sorted = keys.every((k, i) => i === 0 || keys[i - 1] < k);
    const ok = names === 'segment,country,amount,orders' && got.length === exp.w3_rows && !bad.length && sorted;
    const problems = [
      names !== 'segment,country,amount,orders' && `columns ${names}`,
      got.length !== exp.w3_rows && `want ${exp.w3_rows} groups`,
      bad.length && `${bad.length} groups differ`,
      !sorted && 'not sorted',
    ].filter(Boolean);
    return { ok, text: `${got.length} groups${problems.length ? ` (${problems.join('; ')})` : ''}` };
  },
  /** W6: the count each run reported, against DuckDB's count over the same sorted file. */
  async w6(query, _dir, _exp, runs) {
    const [{ n }] = await query(`SELECT count(*)::BIGINT AS n FROM read_parquet('${ORDERS_BY_AMOUNT}') WHERE amount > ${W6_MIN_AMOUNT}`);
    const counts = runs.map((r) => r?.count);
    const ok = counts.length > 0 && counts.every((c) => c === Number(n));
    return { ok, text: `count ${counts.map((c) => (c === undefined ? 'none' : fmt(c))).join('/')}${ok ? '' : ` (want ${fmt(n)})`}` };
  },
  /** W4: the count each run reported. */
  async w4(_query, _dir, exp, runs) {
    if (!runs.length) return { ok: false, text: 'no RESULT line' };
    const counts = [...new Set(runs.map((r) => r?.count))];
    const ok = counts.length > 0 && counts.every((c) => c === exp.w4_count);
    return { ok, text: `count ${counts.map((c) => (c === undefined ? 'none' : fmt(c))).join('/')}${ok ? '' : ` (want ${fmt(exp.w4_count)})`}` };
  },
};

/** W2 (and W5): rows per year=/month= folder, sum(amount_usd), year/month only in the path. */
async function checkPartitioned(query, dir, exp) {
  const parts = await query(`SELECT 'year=' || year || '/month=' || month AS k, count(*)::BIGINT AS n, sum(amount_usd) AS usd
    FROM read_parquet('${dir}/*/*/*.parquet', hive_partitioning = true) GROUP BY ALL`);
  const n = parts.reduce((a, p) => a + Number(p.n), 0);
  const usd = parts.reduce((a, p) => a + p.usd, 0);
  const wantParts = Object.keys(exp.w2_partitions).length;
  const partsOk = parts.length === wantParts && parts.every((p) => exp.w2_partitions[p.k] === Number(p.n));
  const [{ cols }] = await query(`SELECT list(DISTINCT name)::VARCHAR AS cols FROM parquet_schema('${dir}/*/*/*.parquet')`);
  const keysInFiles = /\b(year|month)\b/.test(cols);
  const usdOk = close(usd, exp.w2_amount_usd);
  const problems = [
    n !== exp.w2_rows && `want ${fmt(exp.w2_rows)} rows`,
    !partsOk && `partitions differ (${parts.length}/${wantParts})`,
    !usdOk && `sum(amount_usd) ${usd} want ${exp.w2_amount_usd}`,
    keysInFiles && 'year/month stored in the files',
  ].filter(Boolean);
  return { ok: !problems.length, text: `${fmt(n)} rows in ${parts.length} parts${problems.length ? ` (${problems.join('; ')})` : ''}` };
}

/** The verification as a markdown table. */
export function verificationTable({ rows }, workloads) {
  const lines = [`| engine | ${workloads.map((w) => w.toUpperCase()).join(' | ')} | all ok |`, `|---|${workloads.map(() => '---').join('|')}|---|`];
  for (const r of rows) {
    const cell = (w) => { const c = r.cells[w]; return c ? `${c.ok === false ? '✗ ' : c.ok ? '✓ ' : ''}${c.text}` : '-'; };
    lines.push(`| ${r.engine} | ${workloads.map(cell).join(' | ')} | ${r.ok ? 'yes' : 'NO'} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const engines = process.argv.slice(2).length ? process.argv.slice(2) : ['sluice', 'duckdb', 'polars'];
  const workloads = ['w1', 'w2', 'w3', 'w4'];
  const expected = JSON.parse(fs.readFileSync(path.join(DATA, 'expected.json'), 'utf8'));
  // standalone, RESULT lines come from run.mjs's logs (W4's count lives only there)
  const runsOf = (engine, workload) => {
    const log = path.join(OUT, 'logs');
    const files = fs.existsSync(log) ? fs.readdirSync(log).filter((f) => f.startsWith(`${engine}.${workload}.`) && f.endsWith('.log')) : [];
    const results = files.map((f) => fs.readFileSync(path.join(log, f), 'utf8').match(/^RESULT (.*)$/m)?.[1]).filter(Boolean);
    return results.length ? results.map((j) => ({ rc: 0, result: JSON.parse(j) })) : [{ rc: 0, result: null }];
  };
  const report = await verifyOutputs({ engines, workloads, expectedOf: () => expected, runsOf });
  console.log(verificationTable(report, workloads));
  process.exitCode = report.ok ? 0 : 1;
}
