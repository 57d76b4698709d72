import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataFrame, read } from '../../src/index.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';
import { TABLE_SCHEMA, writeOracleTable, type OracleTable } from './randomTable.js';

/** Our CSV and JSON-lines output read by DuckDB: the types it detects and the values it sees. */

let table: OracleTable;

beforeAll(async () => {
  table = await writeOracleTable(await tempDir('sluice-oracle-'), 99, 300);
});

const VALUES = `id::int as id, i::int as i, j::int as j, cast(big as varchar) as big, x, s, strftime(d, '%Y-%m-%d') as d, cast(epoch_us(ts) as varchar) as ts, b`;

async function describeTypes(from: string): Promise<Record<string, unknown>> {
  const rows = await duck(`select column_name, column_type from (describe select * from ${from})`);
  return Object.fromEntries(rows.map((row) => [row.column_name, row.column_type]));
}

describe('text output read by DuckDB', () => {
  it('CSV: DuckDB detects every column type and reads the values the input holds', async () => {
    const out = join(table.dir, 'csv-out');
    await read.parquet(table.parquet, { schema: { ...TABLE_SCHEMA } }).write.csv(out);
    // Quoted "" is the empty string and an unquoted empty field null, as our writer means them.
    const from = `read_csv('${out}/*.csv', header = true, allow_quoted_nulls = false)`;
    expect(await describeTypes(from)).toEqual({
      id: 'BIGINT', i: 'BIGINT', j: 'BIGINT', big: 'BIGINT', x: 'DOUBLE', s: 'VARCHAR', d: 'DATE', ts: 'TIMESTAMP WITH TIME ZONE', b: 'BOOLEAN',
    });
    const ours = await duck(`set timezone = 'UTC'; select ${VALUES} from ${from} order by id`);
    expect(ours).toEqual(await duck(`select ${VALUES} from ${table.duckFrom} order by id`));
  });

  it('JSON lines: DuckDB detects every column type and reads the values the input holds', async () => {
    const out = join(table.dir, 'json-out');
    await read.parquet(table.parquet, { schema: { ...TABLE_SCHEMA } }).write.json(out);
    const from = `read_json('${out}/*.json', format = 'newline_delimited')`;
    // DuckDB's JSON reader types integer columns holding negative numbers as HUGEINT, and ISO
    // timestamps ending in Z as TIMESTAMP (UTC); what matters is numbers, not JSON or VARCHAR.
    expect(await describeTypes(from)).toEqual({
      id: 'BIGINT', i: 'HUGEINT', j: 'HUGEINT', big: 'HUGEINT', x: 'DOUBLE', s: 'VARCHAR', d: 'DATE', ts: 'TIMESTAMP', b: 'BOOLEAN',
    });
    const ours = await duck(`set timezone = 'UTC'; select ${VALUES} from ${from} order by id`);
    expect(ours).toEqual(await duck(`select ${VALUES} from ${table.duckFrom} order by id`));
  });

  it('JSON lines: int64 on both sides of 2^53 is one JSON number type that DuckDB reads exactly (it was strings past 2^53)', async () => {
    const dir = await tempDir('sluice-oracle-');
    const values = [1n, 9007199254740993n, null, -9223372036854775808n, 9223372036854775807n, -42n];
    await DataFrame.fromColumns({ k: [0, 1, 2, 3, 4, 5], v: values }, { k: 'int32', v: 'int64' }).write.json(join(dir, 'out'));
    const from = `read_json('${dir}/out/*.json', format = 'newline_delimited')`;
    // Before the fix DuckDB typed v as JSON (numbers in some rows, strings in others).
    expect(await describeTypes(from)).toEqual({ k: 'BIGINT', v: 'HUGEINT' });
    const rows = await duck(`select cast(v as varchar) as v from ${from} order by k`);
    expect(rows.map((row) => row.v)).toEqual(values.map((v) => (v === null ? null : String(v))));
  });

  it('float32, decimals, lists and structs read back with their types', async () => {
    const dir = await tempDir('sluice-oracle-');
    const source = join(dir, 'in.parquet');
    await duck(`copy (select 0.1::float as f, 12.34::decimal(10,2) as p, [1, null, 3] as l, {'a': 'ü', 'n': 2} as st
      union all select null, -0.05, [], null) to '${source}'`);
    for (const format of ['csv', 'json'] as const) {
      const out = join(dir, format);
      await read.parquet(source).write.to({ format, path: out });
      const from = format === 'csv' ? `read_csv('${out}/*.csv', header = true)` : `read_json('${out}/*.json', format = 'newline_delimited')`;
      const rows = await duck(`select cast(f as varchar) as f, cast(p as varchar) as p, cast(l as varchar) as l, cast(st as varchar) as st from ${from} order by p desc`);
      expect(rows, format).toEqual([
        { f: '0.1', p: '12.34', l: format === 'csv' ? '[1,null,3]' : '[1, NULL, 3]', st: format === 'csv' ? '{"a":"ü","n":2}' : "{'a': ü, 'n': 2}" },
        { f: null, p: '-0.05', l: '[]', st: null },
      ]);
    }
  });
});
