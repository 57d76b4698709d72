import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataType, Type } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { writeFrame } from '../../src/frame/DataFrameWriter.js';
import { closeWorkerPool } from '../../src/exec/parallel/pool.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';
import { INLINE, PARALLEL, bothWays } from '../parallel/helpers.js';

// CSV string columns whose values repeat are read as Dictionary<Utf8, Int32> (exec/scan.ts,
// csv/repeatingColumns.ts, csv/DictionaryUtf8Builder.ts): the same rows, fewer copies.

const STATUSES = ['paid', 'open', 'void', 'say "hi"', 'with, comma', 'café ☕'];

/** `rows` orders: repeating status/country/note (quotes, commas, UTF-8, "" and nulls) and a unique code. */
function ordersCsv(rows: number): string {
  const lines = ['id,code,status,country,note'];
  const quote = (s: string) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  for (let i = 1; i <= rows; i++) {
    const note = i % 7 === 0 ? '' : i % 11 === 0 ? '""' : ['gift', 'express', 'x"y'][i % 3];
    lines.push([i, `C${i * 7919}`, quote(STATUSES[i % STATUSES.length]), ['DE', 'FR', 'IT'][i % 3], note === '""' || note === '' ? note : quote(note)].join(','));
  }
  return lines.join('\n') + '\n';
}

const typesOf = (schema: { fields: { name: string; type: DataType }[] }) => Object.fromEntries(schema.fields.map((f) => [f.name, Type[f.type.typeId]]));

afterEach(async () => {
  delete process.env.SLUICE_CSV_DICTIONARY;
  await closeWorkerPool();
});

async function ordersFile(rows: number): Promise<string> {
  const csv = join(await tempDir(), 'orders.csv');
  await writeFile(csv, ordersCsv(rows));
  return csv;
}

describe('CSV columns whose values repeat', () => {
  it('are read as dictionaries, with exactly the rows of plain string columns', async () => {
    process.env.SLUICE_CSV_DICTIONARY = 'auto';
    const csv = await ordersFile(5000);
    const frame = () => read.csv(csv, { withHeader: true });
    const encoded = await frame().collect(INLINE);
    expect(typesOf(encoded.table.schema)).toEqual({ id: 'Int', code: 'Utf8', status: 'Dictionary', country: 'Dictionary', note: 'Dictionary' });
    process.env.SLUICE_CSV_DICTIONARY = 'off';
    const plain = await frame().collect(INLINE);
    expect(typesOf(plain.table.schema)).toEqual({ id: 'Int', code: 'Utf8', status: 'Utf8', country: 'Utf8', note: 'Utf8' });
    expect(encoded.table.toArray().map((r) => r.toJSON())).toEqual(plain.table.toArray().map((r) => r.toJSON()));
    // Nulls (unquoted empty) and empty strings ("") stay apart.
    const rows = encoded.table.toArray().map((r) => r.toJSON());
    expect(rows[6]).toMatchObject({ id: 7, note: null });
    expect(rows[10]).toMatchObject({ id: 11, note: '' });
    expect(rows[3]).toMatchObject({ id: 4, status: 'with, comma', note: 'express' });
  });

  it('filter, group and join as plain strings do (DuckDB reads the same CSV)', async () => {
    const csv = await ordersFile(5000);
    const orders = read.csv(csv, { withHeader: true });
    const counts = await orders.filter("status <> 'void' AND country IN ('DE', 'IT')").groupBy('status', 'country').agg({ n: ['count'] }).orderBy('status', 'country').toRows();
    const expected = await duck(`SELECT status, country, count(*)::INTEGER AS n FROM read_csv('${csv}', header = true, allow_quoted_nulls = false, all_varchar = true)
      WHERE status <> 'void' AND country IN ('DE', 'IT') GROUP BY ALL ORDER BY status, country`);
    expect(counts.map((r) => ({ ...r, n: Number(r.n) }))).toEqual(expected);
    const joined = await orders.join(orders.selectFields(['id', 'status']).renameField('status', 'status2'), ['id']).filter('status = status2').count();
    expect(joined).toBe(5000);
  });

  it('run split-parallel with the rows of an inline run (dictionaries cross threads)', async () => {
    const csv = await ordersFile(3000);
    const { inline, parallel } = await bothWays(read.csv(csv, { withHeader: true }).filter("status <> 'open'"), PARALLEL);
    expect(typesOf(parallel.schema)).toEqual(typesOf(inline.schema));
    expect(parallel.rows).toEqual(inline.rows);
    expect(inline.rows.length).toBe(2500);
  });

  it('are written to Parquet dictionary-encoded, as strings (DuckDB and sluice read them back)', async () => {
    const csv = await ordersFile(5000);
    const dir = await tempDir();
    const out = join(dir, 'lake');
    await writeFrame(read.csv(csv, { withHeader: true }), { format: 'parquet', path: out, mode: 'overwrite' }, INLINE);
    const file = `${out}/*.parquet`;
    expect(await duck(`SELECT * FROM read_parquet('${file}') ORDER BY id`)).toEqual(
      await duck(`SELECT * FROM read_csv('${csv}', header = true, allow_quoted_nulls = false, columns = {'id': 'INTEGER', 'code': 'VARCHAR', 'status': 'VARCHAR', 'country': 'VARCHAR', 'note': 'VARCHAR'}) ORDER BY id`),
    );
    const encodings = await duck(`SELECT path_in_schema AS col, encodings FROM parquet_metadata('${file}') WHERE path_in_schema IN ('status', 'note') ORDER BY 1`);
    expect(encodings).toEqual([{ col: 'note', encodings: 'PLAIN, RLE, RLE_DICTIONARY' }, { col: 'status', encodings: 'PLAIN, RLE, RLE_DICTIONARY' }]);
    // The footer's Arrow schema says string: parquet-wasm reads strings; sluice's own decoder keeps the
    // file's dictionary pages as (string-marked) dictionaries, with the same rows.
    const back = await read.parquet(out).collect(INLINE);
    expect(typesOf(back.table.schema)).toEqual({ id: 'Int', code: 'Dictionary', status: 'Dictionary', country: 'Dictionary', note: 'Dictionary' });
    process.env.SLUICE_PARQUET_DECODER = 'wasm';
    try {
      const viaWasm = await read.parquet(out).collect(INLINE);
      expect(typesOf(viaWasm.table.schema)).toEqual({ id: 'Int', code: 'Utf8', status: 'Utf8', country: 'Utf8', note: 'Utf8' });
      expect(await read.parquet(out).orderBy('id').toRows()).toEqual(await DataFrame.fromArrow(viaWasm.table).orderBy('id').toRows());
    } finally {
      delete process.env.SLUICE_PARQUET_DECODER;
    }
  });

  it('stay plain in small files and where values rarely repeat; SLUICE_CSV_DICTIONARY=always encodes every string column', async () => {
    process.env.SLUICE_CSV_DICTIONARY = 'auto';
    const small = await ordersFile(200);
    expect(typesOf((await read.csv(small, { withHeader: true }).collect(INLINE)).table.schema)).toMatchObject({ status: 'Utf8', country: 'Utf8' });
    process.env.SLUICE_CSV_DICTIONARY = 'always';
    const all = await read.csv(small, { withHeader: true }).collect(INLINE);
    expect(typesOf(all.table.schema)).toEqual({ id: 'Int', code: 'Dictionary', status: 'Dictionary', country: 'Dictionary', note: 'Dictionary' });
    process.env.SLUICE_CSV_DICTIONARY = 'sometimes';
    await expect(read.csv(small, { withHeader: true }).count()).rejects.toThrow("SLUICE_CSV_DICTIONARY must be auto, always or off, got 'sometimes'");
  });
});
