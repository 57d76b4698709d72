import { beforeAll, describe, expect, it } from 'vitest';
import { read } from '../../src/index.js';
import type { DataFrame } from '../../src/index.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';
import { TABLE_SCHEMA, asMultiset, canonicalRows, duckCanonical, writeOracleTable, type OracleTable } from './randomTable.js';
import { DataType, type Field } from 'apache-arrow';

/** GroupBy, Join and OrderBy of a seeded table (duplicate and null keys) against DuckDB. */

let table: OracleTable;
let frame: () => DataFrame;

beforeAll(async () => {
  table = await writeOracleTable(await tempDir('sluice-oracle-'), 777, 400);
  frame = () => read.parquet(table.parquet, { schema: { ...TABLE_SCHEMA } });
});

/** DuckDB's rows with numbers for numeric strings DuckDB's JSON form gives (HUGEINT sums, counts). */
async function duckRows(sql: string, numeric: number[] = []): Promise<unknown[][]> {
  return (await duck(sql)).map((row) => Object.values(row).map((v, c) => (numeric.includes(c) && typeof v === 'string' ? Number(v) : v)));
}

describe('GroupBy against DuckDB', () => {
  it('count, sum, min, max, avg and countDistinct per key, a null key being its own group', async () => {
    const ours = await frame().groupBy('i', 's').agg({
      n: ['count'], nj: ['count', 'j'], sj: ['sum', 'j'], sbig: ['sum', 'big'], mn: ['min', 'x'], mx: ['max', 'ts'],
      ms: ['min', 's'], av: ['avg', 'x'], cd: ['countDistinct', 'j'], md: ['max', 'd'],
    }).toArrow();
    // Spark: count(*) counts rows, count(col) non-null values; sum of int is bigint; avg is double.
    const theirs = await duckRows(
      `select i, s, count(*)::int, count(j)::int, sum(j)::bigint::varchar, sum(big)::bigint::varchar, min(x), ${duckCanonical('max(ts)', 'timestamp')},
        min(s), avg(x), count(distinct j)::int, ${duckCanonical('max(d)', 'date')} from ${table.duckFrom} group by i, s`,
    );
    // Strings sluice holds as a dictionary (read from Parquet dictionary pages; min keeps it) are strings.
    const logical = (f: Field) => (DataType.isDictionary(f.type) && DataType.isUtf8(f.type.dictionary) ? 'Utf8' : String(f.type));
    expect(ours.schema.fields.map(logical).slice(2)).toEqual(['Int64', 'Int64', 'Int64', 'Int64', 'Float64', 'Timestamp<MICROSECOND, UTC>', 'Utf8', 'Float64', 'Int64', 'Date32<DAY>']);
    const rows = canonicalRows(ours).map((row) => row.map((v, c) => ([2, 3, 10].includes(c) ? Number(v) : v)));
    expect(rows.length).toBe(theirs.length);
    expect(rows.some((row) => row[0] === null)).toBe(true);
    expect(asMultiset(rows.map(roundFloats))).toEqual(asMultiset(theirs.map(roundFloats)));
  });

  it('aggregates the whole table when there are no keys', async () => {
    const ours = canonicalRows(await frame().groupBy().agg({ n: ['count'], s: ['sum', 'i'], a: ['avg', 'big'], c: ['countDistinct', 's'] }).toArrow());
    const [theirs] = await duckRows(`select count(*), sum(i)::varchar, avg(big), count(distinct s) from ${table.duckFrom}`, [0, 3]);
    expect(roundFloats(ours[0])).toEqual(roundFloats([String(theirs[0]), theirs[1], theirs[2], String(theirs[3])]));
  });
});

/** Floats to 12 significant digits: the engines add in different orders. */
const roundFloats = (row: unknown[]) => row.map((v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v));

describe('Join against DuckDB', () => {
  const JOINS = { inner: 'inner join', left: 'left join', right: 'right join', outer: 'full outer join', semi: 'semi join', anti: 'anti join' } as const;
  for (const [how, sqlJoin] of Object.entries(JOINS) as [keyof typeof JOINS, string][]) {
    it(`${how}: the same rows as a multiset, duplicate keys multiplying and null keys never matching`, async () => {
      const left = frame().selectFields(['id', 'i', 's']);
      const right = frame().selectFields(['id', 'j', 'big', 'd']).renameField('id', 'rid').filter('rid % 3 = 0');
      const joined = left.join(right, ['i'], ['j'], how);
      const ours = canonicalRows(await joined.toArrow());
      const cols = how === 'semi' || how === 'anti' ? 'l.id, l.i, l.s' : `l.id, l.i, l.s, r.rid, r.j, cast(r.big as varchar), ${duckCanonical('r.d', 'date')}`;
      const theirs = await duckRows(
        `with l as (select id, i, s from ${table.duckFrom}), r as (select id as rid, j, big, d from ${table.duckFrom} where id % 3 = 0)
         select ${cols} from l ${sqlJoin} r on l.i = r.j`,
      );
      expect(ours.length).toBeGreaterThan(0);
      expect(asMultiset(ours)).toEqual(asMultiset(theirs));
    });
  }
});

describe('OrderBy against DuckDB', () => {
  it('sorts stably: ties keep input order; nulls first ascending and last descending, as Spark', async () => {
    const ours = canonicalRows(await frame().orderBy('s', { column: 'i', descending: true }, 'd').selectFields(['id', 's', 'i', 'd']).toArrow());
    // Spark's default null order, spelled out for DuckDB (whose default is NULLS LAST for both);
    // `id` last makes DuckDB's order total, the same as a stable sort of input in id order.
    const theirs = await duckRows(
      `select id, s, i, ${duckCanonical('d', 'date')} from ${table.duckFrom} order by s asc nulls first, i desc nulls last, d asc nulls first, id`,
    );
    expect(ours).toEqual(theirs);
  });

  it('orders floats, int64, timestamps and booleans as DuckDB does', async () => {
    const ours = canonicalRows(await frame().orderBy({ column: 'b', descending: true }, 'x', { column: 'ts', descending: true }, 'big').selectFields(['id']).toArrow());
    const theirs = await duckRows(`select id from ${table.duckFrom} order by b desc nulls last, x nulls first, ts desc nulls last, big nulls first, id`);
    expect(ours).toEqual(theirs);
  });
});
