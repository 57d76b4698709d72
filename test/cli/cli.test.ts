import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORDERS_CSV, ORDERS_JOB, writeJson } from '../job/helpers.js';
import { duck } from '../support/duck.js';
import { filesUnder, REPO, tempDir } from '../support/files.js';
import { runSluice } from '../support/cli.js';

/** The CLI as a child process: its exit code and what it printed. */
async function sluice(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runSluice(args);
  return { code, stdout, stderr };
}

async function ordersDir(): Promise<{ dir: string; csv: string }> {
  const dir = await tempDir('sluice-cli-');
  const csv = join(dir, 'orders.csv');
  await writeFile(csv, ORDERS_CSV);
  return { dir, csv };
}

describe('sluice CLI', { timeout: 180_000 }, () => {
  it('prints help for sluice and for every verb', async () => {
    const main = await sluice('--help');
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/^Usage: sluice <command> \[options\]/);
    for (const verb of ['run', 'show', 'schema', 'convert']) {
      const help = await sluice(verb, '--help');
      expect(help.code, verb).toBe(0);
      expect(help.stdout.startsWith(`Usage: sluice ${verb} `), verb).toBe(true);
    }
  });

  it('run: executes a JSON spec with --NAME params and prints a summary and a metrics line', async () => {
    const { dir, csv } = await ordersDir();
    const job = await writeJson(join(dir, 'job.json'), ORDERS_JOB);
    const out = join(dir, 'lake');
    const r = await sluice('run', job, '--INPUT', csv, `--OUTPUT=${out}`, '--metrics-json');
    expect(r.stderr).toBe('sluice: writing sink (1/1)…\n');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^job orders_to_lake: 3 rows written to 1 sink in \d+\.\d\d s$/);
    expect(lines[1]).toBe('  sink  format   rows  files  errors    time  path');
    expect(lines[2]).toMatch(new RegExp(`^  sink  parquet     3      3       0  +\\d+\\.\\d\\d s  ${out}$`));
    const metrics = JSON.parse(lines[3]);
    expect(metrics).toMatchObject({ job: 'orders_to_lake', rows: 3, errors: 0, nodeErrors: {}, sinks: [{ id: 'sink', format: 'parquet', path: out, rows: 3, files: 3, errors: 0 }] });
    expect(lines).toHaveLength(4);
    const counts = await duck(`SELECT year::INTEGER AS year, count(*)::INTEGER AS n FROM read_parquet('${out}/**/*.parquet', hive_partitioning = true) GROUP BY year ORDER BY year`);
    expect(counts).toEqual([{ year: 2023, n: 1 }, { year: 2024, n: 2 }]);
  });

  it('run: imports a TypeScript job script with Glue-style argv', async () => {
    const { dir, csv } = await ordersDir();
    await writeFile(join(dir, 'package.json'), '{"type": "module"}');
    const script = join(dir, 'paid_orders.ts');
    await writeFile(script, `
import { GlueContext, Job, getResolvedOptions } from ${JSON.stringify(join(REPO, 'src/job/index.js'))};
const args: Record<string, string> = getResolvedOptions(process.argv, ['JOB_NAME', 'INPUT', 'OUTPUT']);
const glueContext = new GlueContext();
const job = new Job(glueContext);
job.init(args.JOB_NAME, args);
const orders = glueContext.createDynamicFrame.fromOptions({
  connectionType: 'file', connectionOptions: { paths: [args.INPUT] }, format: 'csv', formatOptions: { withHeader: true }, transformationCtx: 'orders',
});
const paid = orders.filter("status = 'paid'").selectFields(['order_id', 'amount']);
await glueContext.writeDynamicFrame.fromOptions({
  frame: paid, connectionType: 'file', connectionOptions: { path: args.OUTPUT }, format: 'json', transformationCtx: 'paid_sink',
});
console.log('committed', job.commit().rows, 'rows as', args.JOB_NAME, 'argv[1] =', process.argv[1]);
`);
    const out = join(dir, 'paid');
    const r = await sluice('run', script, '--INPUT', csv, '--OUTPUT', out, '--metrics-json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`committed 3 rows as paid_orders argv[1] = ${script}`);
    expect(lines[1]).toMatch(/^job paid_orders: 3 rows written to 1 sink in \d+\.\d\d s$/);
    expect(lines[3]).toMatch(new RegExp(`^  paid_sink  json       3      1       0  +\\d+\\.\\d\\d s  ${out}$`));
    expect(JSON.parse(lines[4])).toMatchObject({ job: 'paid_orders', rows: 3, sinks: [{ id: 'paid_sink', rows: 3, files: 1 }] });
    const rows = await duck(`SELECT order_id::INTEGER AS id, amount FROM read_json_auto('${out}/**/*.json') ORDER BY id`);
    expect(rows).toEqual([{ id: 1, amount: 10.5 }, { id: 2, amount: null }, { id: 4, amount: 3 }]);
  });

  it('show: prints the schema and the first rows as an aligned table (CSV has a header by default)', async () => {
    const { csv } = await ordersDir();
    const r = await sluice('show', csv, '--limit', '2');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe([
      'schema (5 columns):',
      '  order_id: int32',
      '  ts: timestamp',
      '  amount: float64',
      '  status: string',
      '  note: string',
      '',
      '+-----------------+----------------------+-----------------+----------------+--------------+',
      '| order_id: int32 | ts: timestamp        | amount: float64 | status: string | note: string |',
      '+-----------------+----------------------+-----------------+----------------+--------------+',
      '| 1               | 2024-01-05T10:00:00Z | 10.5            | paid           | hello        |',
      '| 2               | 2024-01-20T11:00:00Z | null            | paid           | x            |',
      '+-----------------+----------------------+-----------------+----------------+--------------+',
      '2 rows',
      '',
    ].join('\n'));
    const noHeader = await sluice('show', csv, '--no-header', '--limit', '1');
    // The header line read as data beside numbers and timestamps: Glue's choice types.
    expect(noHeader.stdout).toContain('  col0: choice<int32,string>\n  col1: choice<timestamp,string>\n  col2: choice<float64,string>\n  col3: string\n  col4: string\n');
    expect(noHeader.stdout).toMatch(/\n\| order_id +\| ts +\| amount +\| status +\| note +\|\n/);
  });

  it('show: reports error records on stderr with file and line', async () => {
    const { dir } = await ordersDir();
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'id,amount\n1,2.5\n2,abc\n');
    const r = await sluice('show', bad, '--schema', '{"id":"int32","amount":"float64"}');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 row\n');
    expect(r.stderr).toBe(`sluice: 1 error record among the rows read:\n  [scan csv] ${bad}:3: column amount: cannot parse 'abc' as float64\n`);
  });

  it('convert + schema: CSV to zstd parquet partitioned by a column, then its schema from the folder', async () => {
    const { dir, csv } = await ordersDir();
    const out = join(dir, 'by_status');
    const r = await sluice('convert', csv, out, '--partition-by', 'status', '--compression', 'zstd', '--schema', '{"order_id":"int64","ts":"timestamp","amount":"decimal(10,2)","status":"string","note":"string"}');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^wrote 5 rows as parquet to 3 files under ${out} in \\d+\\.\\d\\d s\\n$`));
    expect((await filesUnder(out)).filter((f) => f.endsWith('.parquet')).map((f) => f.split('/')[0])).toEqual(['status=cancelled', 'status=paid', 'status=shipped']);
    expect(await duck(`SELECT DISTINCT compression FROM parquet_metadata('${out}/**/*.parquet')`)).toEqual([{ compression: 'ZSTD' }]);

    const schema = await sluice('schema', out);
    expect(schema.code).toBe(0);
    expect(JSON.parse(schema.stdout)).toEqual({ order_id: 'int64', ts: 'timestamp', amount: 'decimal(10,2)', note: 'string', status: 'string' });
  });

  it('convert: output format from the --to flag, JSON lines in the folder', async () => {
    const { dir, csv } = await ordersDir();
    const out = join(dir, 'as_json');
    const r = await sluice('convert', csv, out, '--to', 'json');
    expect(r.code).toBe(0);
    const rows = await duck(`SELECT order_id::INTEGER AS id, status FROM read_json_auto('${out}/*.json') ORDER BY id`);
    expect(rows.map((x) => x.status)).toEqual(['paid', 'paid', 'cancelled', 'paid', 'shipped']);
  });

  it('fails with exit 1 and one line naming the problem: missing file, malformed or invalid spec, missing parameter', async () => {
    const { dir } = await ordersDir();
    const missing = join(dir, 'nope.csv');
    expect(await sluice('show', missing)).toEqual({ code: 1, stdout: '', stderr: `sluice: ${missing}: no such file or directory\n` });

    const malformed = join(dir, 'malformed.json');
    await writeFile(malformed, '{"nodes": [\n  {"id": "a",}\n]}');
    const m = await sluice('run', malformed);
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(new RegExp(`^sluice: ${malformed}: not valid JSON: .*line 2.*\\n$`));

    const invalid = await writeJson(join(dir, 'invalid.json'), { nodes: [{ id: 'a', type: 'read', format: 'orc', paths: ['x'] }, { id: 'b', type: 'Join', inputs: ['a', 'a'], keys1: ['k'] }] });
    expect(await sluice('run', invalid)).toEqual({
      code: 1, stdout: '',
      stderr: `sluice: invalid job spec ${invalid}:\n  nodes[0].format: must be one of csv, json, parquet, avro, xml, grokLog\n  nodes[1].keys2: required\n`,
    });

    const job = await writeJson(join(dir, 'job.json'), ORDERS_JOB);
    expect(await sluice('run', job, '--INPUT', 'x.csv')).toEqual({
      code: 1, stdout: '', stderr: `sluice: ${job}: missing job parameter OUTPUT: pass --OUTPUT <value>\n`,
    });
  });

  it('fails with exit 2 on a usage error: unknown verb, unknown flag, bad flag value, missing argument', async () => {
    const { csv } = await ordersDir();
    expect(await sluice('frobnicate')).toEqual({ code: 2, stdout: '', stderr: "sluice: unknown command 'frobnicate'; commands: run, show, schema, convert, bookmarks, transforms, catalog, crawl, functions, sql\nRun 'sluice --help' for usage.\n" });
    expect(await sluice('show', csv, '--limt', '3')).toEqual({ code: 2, stdout: '', stderr: "sluice: unknown option '--limt' for 'sluice show'\nRun 'sluice show --help' for usage.\n" });
    expect(await sluice('show', csv, '--limit', 'ten')).toEqual({ code: 2, stdout: '', stderr: "sluice: --limit must be a whole number >= 0, got 'ten'\nRun 'sluice show --help' for usage.\n" });
    expect(await sluice('convert', csv)).toEqual({ code: 2, stdout: '', stderr: "sluice: sluice convert needs an input and an output: sluice convert <in> <out>\nRun 'sluice convert --help' for usage.\n" });
    expect(await sluice('run', 'job.json', '--INPUT')).toEqual({ code: 2, stdout: '', stderr: "sluice: job argument --INPUT needs a value: --INPUT value or --INPUT=value\nRun 'sluice run --help' for usage.\n" });
    expect(await sluice()).toMatchObject({ code: 2, stdout: '' });
  });

  it('--debug adds the stack trace', async () => {
    const { dir } = await ordersDir();
    const job = await writeJson(join(dir, 'job.json'), ORDERS_JOB);
    const plain = await sluice('run', job, '--INPUT', join(dir, 'absent.csv'), '--OUTPUT', join(dir, 'out'));
    expect(plain.code).toBe(1);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await sluice('run', job, '--INPUT', join(dir, 'absent.csv'), '--OUTPUT', join(dir, 'out'), '--debug');
    expect(debug.code).toBe(1);
    expect(debug.stderr).toContain(`sluice: No input files at ${join(dir, 'absent.csv')}`);
    expect(debug.stderr).toMatch(/SluiceError: .*\n\s+at /);
  });
});
