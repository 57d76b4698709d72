import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFrame } from '../../src/frame/read.js';
import { NODE_TYPES } from '../../src/job/spec/JobSpec.js';
import { loadJobSpec } from '../../src/job/spec/loadJobSpec.js';
import { runJobSpec, type JobProgress } from '../../src/job/spec/runJobSpec.js';
import { ORDERS_CSV, ORDERS_JOB, writeJson } from './helpers.js';
import { duck } from '../support/duck.js';
import { filesUnder, tempDir } from '../support/files.js';

describe('runJobSpec', () => {
  it('runs the example job into Hive-partitioned parquet that DuckDB and sluice read back', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'orders.csv'), ORDERS_CSV);
    const jobFile = await writeJson(join(dir, 'job.json'), ORDERS_JOB);
    const out = join(dir, 'lake');
    const events: JobProgress['kind'][] = [];

    const summary = await runJobSpec(jobFile, { INPUT: join(dir, 'orders.csv'), OUTPUT: out }, { onProgress: (e) => events.push(e.kind) });

    expect(summary.name).toBe('orders_to_lake');
    expect(summary.sinks.map(({ id, format, path, rows, errors }) => ({ id, format, path, rows, errors }))).toEqual([
      { id: 'sink', format: 'parquet', path: out, rows: 3, errors: 0 },
    ]);
    expect(summary.sinks[0].files).toHaveLength(3);
    expect(summary.errors).toBe(0);
    expect(summary.nodeErrors).toEqual({});
    expect(summary.wallMs).toBeGreaterThanOrEqual(summary.sinks[0].ms);
    expect(events).toEqual(['sink-start', 'sink-done']);

    const partitions = (await filesUnder(out)).filter((f) => f.endsWith('.parquet')).map((f) => f.split('/').slice(0, 2).join('/'));
    expect(partitions).toEqual(['year=2023/month=12', 'year=2024/month=1', 'year=2024/month=2']);

    const viaDuck = await duck(`SELECT order_id, amount, status, year::INTEGER AS year, month::INTEGER AS month FROM read_parquet('${out}/**/*.parquet', hive_partitioning = true) ORDER BY order_id`);
    expect(viaDuck).toEqual([
      { order_id: 1, amount: 10.5, status: 'paid', year: 2024, month: 1 },
      { order_id: 4, amount: 3, status: 'paid', year: 2024, month: 2 },
      { order_id: 5, amount: 100, status: 'shipped', year: 2023, month: 12 },
    ]);
    const columns = await duck(`DESCRIBE SELECT * FROM read_parquet('${out}/year=2024/month=1/*.parquet', hive_partitioning = false)`);
    expect(columns.map((c) => [c.column_name, c.column_type])).toEqual([
      ['order_id', 'INTEGER'], ['ts', 'TIMESTAMP WITH TIME ZONE'], ['amount', 'DOUBLE'], ['status', 'VARCHAR'],
    ]);

    const back = (await readFrame({ format: 'parquet', paths: [out] }).toRows()).sort((a, b) => Number(a.order_id) - Number(b.order_id));
    expect(back.map((r) => [r.order_id, r.status, r.year, r.month])).toEqual([[1, 'paid', 2024, 1], [4, 'paid', 2024, 2], [5, 'shipped', 2023, 12]]);
  });

  it('wires every transform type, resolves function modules from the job folder, and counts errors per node', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'orders.csv'), 'order_id,customer_id,amount,status\n1,10,25.5,paid\n2,11,abc,paid\n3,10,300,shipped\n4,12,7,paid\n5,10,8,cancelled\n');
    await writeFile(join(dir, 'customers.json'), '{"customer_id": 10, "name": "Ann"}\n{"customer_id": 11, "name": "Bo"}\n{"customer_id": 12, "name": null}\n');
    await writeFile(join(dir, 'fns.mjs'), [
      'export function tag(r) { return { ...r, big: r.amount > 100 }; }',
      "export function isShipped(r) { return r.state === 'shipped'; }",
      'export function twice(r) { return [r, r]; }',
    ].join('\n'));
    const spec = {
      name: 'all_nodes',
      nodes: [
        { id: 'orders', type: 'read', format: 'csv', paths: [join(dir, 'orders.csv')], formatOptions: { withHeader: true },
          schema: { order_id: 'int32', customer_id: 'int32', amount: 'float64', status: 'string' } },
        { id: 'customers', type: 'read', format: 'json', paths: [join(dir, 'customers.json')], schema: { customer_id: 'int32', name: 'string' } },
        { id: 'mapped', type: 'ApplyMapping', input: 'orders', mappings: [
          ['order_id', 'int', 'id', 'long'], ['customer_id', 'int', 'customer_id', 'int'], ['amount', 'double', 'amount', 'double'], ['status', 'string', 'status', 'string'],
        ] },
        { id: 'renamed', type: 'RenameField', input: 'mapped', oldName: 'status', newName: 'state' },
        { id: 'joined', type: 'Join', inputs: ['renamed', 'customers'], keys1: ['customer_id'], keys2: ['customer_id'] },
        { id: 'picked', type: 'SelectFields', input: 'joined', paths: ['id', 'name', 'amount', 'state'] },
        { id: 'named', type: 'DropNullFields', input: 'picked' },
        { id: 'tagged', type: 'Map', input: 'named', function: { module: './fns.mjs', export: 'tag' },
          schema: { id: 'int64', name: 'string', amount: 'float64', state: 'string', big: 'bool' } },
        { id: 'twice', type: 'FlatMapRecords', input: 'named', function: { module: './fns.mjs', export: 'twice' } },
        { id: 'spread', type: 'Repartition', input: 'twice', numPartitions: 2 },
        { id: 'single', type: 'Coalesce', input: 'spread', numPartitions: 1 },
        { id: 'merged', type: 'MergeDynamicFrame', inputs: ['renamed', 'single'], primaryKeys: ['id'] },
        { id: 'filled', type: 'FillMissingValues', input: 'merged', missingValuesColumn: 'amount' },
        { id: 'matched', type: 'FindMatches', input: 'filled', keyColumns: ['state'] },
        { id: 'paid', type: 'Filter', input: 'renamed', condition: "state = 'paid'" },
        { id: 'shipped', type: 'Filter', input: 'renamed', function: { module: 'fns.mjs', export: 'isShipped' } },
        { id: 'both', type: 'Union', inputs: ['paid', 'shipped', 'shipped'] },
        { id: 'distinct', type: 'DropDuplicates', input: 'both', columns: ['id'] },
        { id: 'cents', type: 'WithColumns', input: 'distinct', columns: { cents: 'amount * 100', parts: "split(state, 'i')" } },
        { id: 'slim', type: 'DropFields', input: 'cents', paths: ['customer_id', 'amount'] },
        { id: 'totals', type: 'GroupBy', input: 'slim', keys: ['state'], aggregations: [{ name: 'n', fn: 'count' }, { name: 'cents', fn: 'sum', column: 'cents' }] },
        { id: 'ordered', type: 'OrderBy', input: 'totals', keys: [{ column: 'cents', descending: true }] },
        { id: 'labelled', type: 'Concatenate', input: 'distinct', colName: 'label', colList: ['state', 'id'], spacer: '-' },
        { id: 'exploded', type: 'Explode', input: 'cents', column: 'parts', as: 'part', position: 'pos' },
        { id: 'resolved', type: 'ResolveChoice', input: 'labelled', specs: [['id', 'cast:long']] },
        { id: 'ranked', type: 'Window', input: 'distinct', partitionBy: ['state'], orderBy: [{ column: 'id' }], functions: [{ name: 'rn', fn: 'row_number' }] },
        // Collections and nested data: wired here, run in test/nested.
        { id: 'rel', type: 'Relationalize', input: 'customers', name: 'root' },
        { id: 'root', type: 'SelectFromCollection', input: 'rel', key: 'root' },
        { id: 'rels', type: 'MapToCollection', input: 'rel', transform: { type: 'DropNullFields' } },
        { id: 'flatmapped', type: 'FlatMap', input: 'rel', transform: { type: 'SplitFields', paths: ['customer_id'], name1: 'ids', name2: 'rest' } },
        { id: 'halves', type: 'SplitFields', input: 'customers', paths: ['name'] },
        { id: 'rows', type: 'SplitRows', input: 'customers', comparisonDict: { customer_id: { '>': 10 } } },
        { id: 'flat', type: 'Unnest', input: 'rels', key: 'root' },
        { id: 'flat2', type: 'UnnestFrame', input: 'rows', key: 'frame1' },
        { id: 'unboxed', type: 'Unbox', input: 'customers', path: 'name', format: 'csv' },
        { id: 'sampled', type: 'Spigot', input: 'halves', key: 'frame2', path: join(dir, 'sample') },
        { id: 'tagged_out', type: 'write', input: 'tagged', format: 'json', path: join(dir, 'tagged') },
        { id: 'distinct_out', type: 'write', input: 'distinct', format: 'csv', path: join(dir, 'distinct') },
        { id: 'totals_out', type: 'write', input: 'ordered', format: 'csv', path: join(dir, 'totals') },
        { id: 'labels_out', type: 'write', input: 'resolved', format: 'json', path: join(dir, 'labels') },
        { id: 'ranked_out', type: 'write', input: 'ranked', format: 'csv', path: join(dir, 'ranked') },
      ],
    };
    // Every node type a spec can hold is here: a type added to NODE_TYPES fails this until covered.
    expect(new Set(spec.nodes.map((node) => node.type))).toEqual(new Set(NODE_TYPES));
    const jobFile = await writeJson(join(dir, 'job.json'), spec);
    // Relative module paths in the spec resolve from the job file's folder, not the cwd.
    const plan = await loadJobSpec(jobFile);
    expect([...plan.frames.keys()]).toEqual(['orders', 'customers', 'mapped', 'renamed', 'joined', 'picked', 'named', 'tagged', 'twice', 'spread', 'single', 'merged', 'filled', 'matched', 'paid', 'shipped', 'both', 'distinct', 'cents', 'slim', 'totals', 'ordered', 'labelled', 'exploded', 'resolved', 'ranked', 'root', 'flat', 'flat2', 'unboxed', 'sampled']);

    const summary = await runJobSpec(plan);

    expect(summary.sinks.map((s) => [s.id, s.rows, s.errors])).toEqual([['tagged_out', 4, 1], ['distinct_out', 3, 1], ['totals_out', 2, 1], ['labels_out', 3, 1], ['ranked_out', 3, 1]]);
    // The bad amount on line 3 reaches both sinks but is one error of one node.
    expect(summary.nodeErrors).toEqual({ orders: 1 });
    expect(summary.errors).toBe(1);
    expect(summary.sampleErrors.map((e) => [e.node, e.line])).toEqual([['orders', 3]]);

    const tagged = (await readFrame({ format: 'json', paths: [join(dir, 'tagged')] }).toRows()).sort((a, b) => Number(a.id) - Number(b.id));
    expect(tagged).toEqual([
      { id: 1, name: 'Ann', amount: 25.5, state: 'paid', big: false },
      { id: 3, name: 'Ann', amount: 300, state: 'shipped', big: true },
      { id: 4, name: null, amount: 7, state: 'paid', big: false },
      { id: 5, name: 'Ann', amount: 8, state: 'cancelled', big: false },
    ]);
    const csvFiles = (await filesUnder(join(dir, 'distinct'))).filter((f) => f.endsWith('.csv'));
    const csvLines = (await Promise.all(csvFiles.map((f) => readFile(join(dir, 'distinct', f), 'utf8')))).join('').trim().split('\n');
    expect(csvLines.filter((l) => !l.startsWith('id,')).sort()).toEqual(['1,10,25.5,paid', '3,10,300,shipped', '4,12,7,paid']);
    // WithColumns → DropFields → GroupBy → OrderBy (by total, descending): one CSV file, exact.
    const totalsFiles = (await filesUnder(join(dir, 'totals'))).filter((f) => f.endsWith('.csv'));
    expect(totalsFiles).toHaveLength(1);
    expect(await readFile(join(dir, 'totals', totalsFiles[0]), 'utf8')).toBe('state,n,cents\nshipped,1,30000\npaid,2,3250\n');
    // Concatenate: state and id joined by the spacer, beside the other columns.
    const labels = (await readFrame({ format: 'json', paths: [join(dir, 'labels')] }).toRows()).map((r) => r.label).sort();
    expect(labels).toEqual(['paid-1', 'paid-4', 'shipped-3']);
    // Window: row_number per state in id order.
    const rankedFiles = (await filesUnder(join(dir, 'ranked'))).filter((f) => f.endsWith('.csv'));
    const ranked = (await Promise.all(rankedFiles.map((f) => readFile(join(dir, 'ranked', f), 'utf8')))).join('').trim().split('\n');
    expect(ranked.filter((l) => !l.startsWith('id,')).sort()).toEqual(['1,10,25.5,paid,1', '3,10,300,shipped,1', '4,12,7,paid,2']);
  });

  it('rejects a function module that does not exist, naming the node and the resolved path', async () => {
    const dir = await tempDir();
    const spec = structuredClone(ORDERS_JOB) as { nodes: Record<string, unknown>[] };
    spec.nodes[2] = { id: 'valid', type: 'Filter', input: 'clean', function: { module: './missing.mjs', export: 'keep' } };
    const jobFile = await writeJson(join(dir, 'job.json'), spec);
    await expect(loadJobSpec(jobFile, { INPUT: 'a.csv', OUTPUT: 'out' })).rejects.toThrow(
      `invalid job spec ${jobFile}:\n  nodes[2].function.module: no file ${join(dir, 'missing.mjs')} (module paths are relative to the job file's folder)`,
    );
  });

  it('reports a missing spec file and malformed JSON with the file name', async () => {
    const dir = await tempDir();
    await expect(loadJobSpec(join(dir, 'nope.json'))).rejects.toThrow(`${join(dir, 'nope.json')}: no such file`);
    await writeFile(join(dir, 'bad.json'), '{"nodes": [\n  {"id": "a",}\n]}');
    await expect(loadJobSpec(join(dir, 'bad.json'))).rejects.toThrow(new RegExp(`^${join(dir, 'bad.json')}: not valid JSON: .*line 2`));
  });
});
