import { openAsBlob } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Bool, Float64, Int32, Int64, RecordBatch, Schema, TimestampMicrosecond, Utf8 } from 'apache-arrow';
import { afterEach, describe, expect, it } from 'vitest';
import { parseExpr } from '../../../src/expr/parser.js';
import { evaluatePredicate } from '../../../src/expr/evaluate.js';
import { read } from '../../../src/frame/read.js';
import { chunkPageIndex, pageIndexSpan, type ChunkPageIndex } from '../../../src/io/formats/parquet/decode/pageIndex.js';
import { readPageHeader } from '../../../src/io/formats/parquet/decode/pageHeader.js';
import { writeParquetFile } from '../../../src/io/formats/parquet/encode/parquetFileWriter.js';
import { readParquetFooter, type ParquetFooter } from '../../../src/io/formats/parquet/parquetFooter.js';
import { parquetReader } from '../../../src/io/formats/parquet/parquetReader.js';
import { parquetWriter } from '../../../src/io/formats/parquet/parquetWriter.js';
import { SluiceError } from '../../../src/types/ErrorRecord.js';
import { duck } from '../../support/duck.js';
import { tempDir } from '../../support/files.js';
import { batchOf, column, random, rawColumn, rowsOf, streamOf } from '../helpers.js';
import { withEnv } from '../../support/env.js';

/**
 * The Parquet page index (ColumnIndex/OffsetIndex): sluice's encoder writes one per column chunk,
 * equal to what the pages hold; the flat reader skips the pages a filter cannot match and returns
 * exactly the rows a read of every page returns; a damaged index never changes the rows.
 */

const PAGE_ROWS = 64;
const LONG = 'ü'.repeat(40); // 80 bytes: bounds past 64 bytes are truncated

interface Table {
  batch: RecordBatch;
  n: number;
  ids: number[];
  names: string[];
  maybe: (number | null)[];
}

/** A seeded table: id ascending, name ascending (some past 64 bytes), ts descending, amount sorted with a NaN run, cat and noise unsorted, maybe with all-null runs. */
function table(seed: number, n: number): Table {
  const r = random(seed);
  const ids: number[] = [];
  let id = r.int(-50, 50);
  for (let i = 0; i < n; i++) ids.push((id += r.int(0, 3)));
  const names = ids.map((v, i) => (i % 97 === 5 ? LONG : '') + `n${String(v + 1000).padStart(6, '0')}` + (i % 13 === 0 ? '日本' : ''));
  names.sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
  const nullFrom = r.int(0, n - 300);
  const maybe = ids.map((v, i) => (i >= nullFrom && i < nullFrom + 250) || r.next() < 0.1 ? null : v % 500);
  const nanFrom = r.int(0, n - 200);
  const amount = ids.map((v, i) => (i >= nanFrom && i < nanFrom + 130 ? NaN : v / 4));
  const ts = ids.map((v) => 1_700_000_000_000_000n - BigInt(v) * 3_600_000_000n);
  const cats = ['DE', 'FR', 'US', 'JP'];
  const batch = batchOf({
    id: column(ids.map(BigInt), new Int64()),
    name: column(names, new Utf8()),
    ts: rawColumn(ts, new TimestampMicrosecond('UTC')),
    amount: column(amount, new Float64()),
    cat: column(ids.map(() => r.pick(cats)), new Utf8()),
    noise: column(ids.map(() => (r.next() < 0.05 ? null : r.int(-1000, 1000))), new Int32()),
    maybe: column(maybe, new Int32()),
    flag: column(ids.map((v, i) => (i % 300 < 150 ? null : i >= 1000 || v % 7 === 0)), new Bool()),
  });
  return { batch, n, ids, names, maybe };
}

async function write(dir: string, t: Table, rowGroupSize = 1000, pageRows = PAGE_ROWS): Promise<string> {
  const path = join(dir, 'sorted.parquet');
  await writeParquetFile(streamOf(t.batch), path, t.batch.schema, { compression: 'snappy', rowGroupSize, pageRows });
  return path;
}

/** Rows the reader yields for `sql` pushed down (before the filter) and the rows that satisfy it. */
async function filtered(path: string, sql: string): Promise<{ yielded: number; rows: Record<string, unknown>[] }> {
  const predicate = parseExpr(sql);
  const schema = await parquetReader.inferSchema(path, {});
  const kept: RecordBatch[] = [];
  let yielded = 0;
  for await (const { batch } of parquetReader.read(path, {}, { schema, predicate })) {
    yielded += batch.numRows;
    const keep = evaluatePredicate(predicate, batch);
    const rows: number[] = [];
    keep.forEach((k, i) => k === 1 && rows.push(i));
    if (rows.length) kept.push(takeRows(batch, rows));
  }
  return { yielded, rows: rowsOf(kept) };
}

function takeRows(batch: RecordBatch, rows: number[]): RecordBatch {
  const columns = Object.fromEntries(batch.schema.fields.map((f, k) => [f.name, column(rows.map((i) => batch.getChildAt(k)!.get(i)), f.type)]));
  return batchOf(columns);
}

const withPageIndex = <T>(mode: 'on' | 'off', run: () => Promise<T>): Promise<T> => withEnv('SLUICE_PARQUET_PAGE_INDEX', mode, run);

async function pageIndexes(path: string): Promise<{ footer: ParquetFooter; indexes: (ChunkPageIndex | undefined)[][] }> {
  const footer = await readParquetFooter(await openAsBlob(path), path);
  const bytes = new Uint8Array(await readFile(path));
  const indexes = footer.rowGroups.map((group) => {
    const span = pageIndexSpan(group.chunks)!;
    return group.chunks.map((chunk) => chunkPageIndex(chunk, group.numRows, bytes.subarray(span.offset, span.offset + span.length), span.offset));
  });
  return { footer, indexes };
}

/** Where the page index starts: after the last row group's data. */
const indexStart = (footer: ParquetFooter) => Math.min(...footer.rowGroups.flatMap((g) => g.chunks.flatMap((c) => [c.columnIndex?.offset ?? Infinity, c.offsetIndex!.offset])));

/** Predicates with constants at page boundaries (a page's first and last values) and in between. */
function predicates(t: Table, seed: number): string[] {
  const r = random(seed);
  const at = () => {
    const page = r.int(0, Math.floor(t.n / PAGE_ROWS) - 1);
    return [page * PAGE_ROWS, page * PAGE_ROWS + PAGE_ROWS - 1, page * PAGE_ROWS + r.int(0, PAGE_ROWS - 1)][r.int(0, 2)];
  };
  const id = () => t.ids[at()];
  const name = () => t.names[at()].replace(/'/g, "''");
  return [
    `id = ${id()}`, `id < ${id()}`, `id <= ${id()}`, `id > ${id()}`, `id >= ${id()}`, `${id()} > id`,
    `id BETWEEN ${id()} AND ${id() + 40}`, `id IN (${id()}, ${id()}, ${t.ids[t.n - 1] + 5})`,
    `id > ${t.ids[t.n - 1]}`, `id < ${t.ids[0]}`, `id >= ${t.ids[0]}`,
    `name = '${name()}'`, `name >= '${name()}'`, `name < '${name()}'`, `name > '${LONG}'`,
    `amount > ${id() / 4}`, `amount <= ${id() / 4}`,
    `ts < timestamp '2023-11-01 00:00:00'`, `ts >= timestamp '2023-11-14 00:00:00'`,
    `maybe IS NULL`, `maybe IS NOT NULL AND id > ${id()}`, `maybe = ${r.int(0, 499)}`, `maybe > 400 AND id < ${id()}`,
    `cat = 'DE' AND id > ${id()}`, `noise > 900 AND id <= ${id()}`, `id > ${id()} OR id < ${id()}`,
  ];
}

describe('Parquet page index', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  const dir = async () => {
    const made = await tempDir('sluice-pageindex-');
    dirs.push(made);
    return made;
  };

  it('writes an OffsetIndex and ColumnIndex per chunk that equal the pages', async () => {
    const t = table(1, 3000);
    const path = await write(await dir(), t);
    const { footer, indexes } = await pageIndexes(path);
    const bytes = new Uint8Array(await readFile(path));
    expect(footer.rowGroups.map((g) => g.numRows)).toEqual([1000, 1000, 1000]);
    const names = footer.columns.map((c) => c.path);
    footer.rowGroups.forEach((group, g) => {
      group.chunks.forEach((chunk, c) => {
        const index = indexes[g][c]!;
        expect(index, `${names[c]} row group ${g}`).toBeDefined();
        // Pages as the headers say: each location holds a data page of its rows.
        let firstRow = 0;
        for (const page of index.pages) {
          const header = readPageHeader(bytes, page.offset, bytes.length);
          expect(header.type).toBe(0);
          expect(header.headerSize + header.compressedSize).toBe(page.size);
          expect(header.numValues).toBe(page.rows);
          expect(page.firstRow).toBe(firstRow);
          firstRow += page.rows;
        }
        expect(firstRow).toBe(group.numRows);
        expect(index.pages.map((p) => p.rows)).toEqual(Array.from({ length: Math.ceil(1000 / PAGE_ROWS) }, (_, k) => Math.min(PAGE_ROWS, 1000 - k * PAGE_ROWS)));
        const values = (k: number) => Array.from({ length: index.pages[k].rows }, (_, i) => t.batch.getChildAt(c)!.get(g * 1000 + index.pages[k].firstRow + i));
        if (names[c] === 'amount') {
          // A page of NaN only has no bounds: the chunk has no ColumnIndex then (as arrow-rs).
          const nanOnly = index.pages.some((_, k) => values(k).every((v) => Number.isNaN(v)));
          expect(index.stats === undefined).toBe(nanOnly);
        }
        if (!index.stats) return;
        index.pages.forEach((_, k) => {
          const page = values(k);
          const present = page.filter((v) => v !== null && !(typeof v === 'number' && Number.isNaN(v)));
          const stats = index.stats![k];
          expect(stats.nullCount).toBe(page.filter((v) => v === null).length);
          if (page.every((v) => v === null)) return expect(stats.min).toBeUndefined();
          const decode = (b: Uint8Array) => {
            const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
            if (names[c] === 'id') return view.getBigInt64(0, true);
            if (names[c] === 'ts') return Number(view.getBigInt64(0, true) / 1000n); // Arrow JS gives milliseconds
            if (names[c] === 'amount') return view.getFloat64(0, true);
            if (names[c] === 'name' || names[c] === 'cat') return Buffer.from(b).toString('utf8');
            if (names[c] === 'flag') return b[0] === 1;
            return view.getInt32(0, true);
          };
          const sorted = [...present].sort((a, b) => (typeof a === 'string' ? Buffer.compare(Buffer.from(a), Buffer.from(b as string)) : a < b ? -1 : a > b ? 1 : 0));
          const [min, max] = [decode(stats.min!), decode(stats.max!)];
          if (typeof sorted[0] === 'string') {
            const lo = Buffer.from(sorted[0]);
            const hi = Buffer.from(sorted[sorted.length - 1]);
            // Past 64 bytes: a prefix below, an incremented prefix above, both valid UTF-8 and at most 64 bytes.
            expect(stats.min!.length).toBeLessThanOrEqual(64);
            expect(stats.max!.length).toBeLessThanOrEqual(64);
            expect(Buffer.compare(Buffer.from(stats.min!), lo)).toBeLessThanOrEqual(0);
            expect(Buffer.compare(Buffer.from(stats.max!), hi)).toBeGreaterThanOrEqual(0);
            if (lo.length <= 64) expect(min).toBe(sorted[0]);
            if (hi.length <= 64) expect(max).toBe(sorted[sorted.length - 1]);
            expect(Buffer.from(min as string).equals(Buffer.from(stats.min!))).toBe(true);
          } else {
            expect(min).toEqual(sorted[0]);
            expect(max).toEqual(sorted[sorted.length - 1]);
          }
        });
      });
    });
  });

  it('merges the pages\' bounds into the chunk statistics (booleans over many pages too)', async () => {
    const t = table(9, 3000);
    const path = await write(await dir(), t);
    const stats = await duck(`select row_group_id::int g, path_in_schema p, stats_min_value lo, stats_max_value hi from parquet_metadata('${path}') where path_in_schema in ('id', 'flag') order by g, p`);
    const expected = [0, 1, 2].flatMap((g) => {
      const rows = Array.from({ length: 1000 }, (_, i) => g * 1000 + i);
      const flags = rows.map((i) => t.batch.getChild('flag')!.get(i)).filter((v) => v !== null);
      const ids = rows.map((i) => t.ids[i]);
      return [
        { g, p: 'flag', lo: String(flags.every((v) => v)), hi: String(flags.some((v) => v)) },
        { g, p: 'id', lo: String(Math.min(...ids)), hi: String(Math.max(...ids)) },
      ];
    });
    expect(stats).toEqual(expected);
  });

  it('filtered reads with page skipping return exactly the rows of reads without it', async () => {
    for (const seed of [2, 3, 4]) {
      const t = table(seed, 2500 + seed * 97);
      const path = await write(await dir(), t, 700 + seed * 8 * 11);
      let skipped = 0;
      for (const sql of predicates(t, seed)) {
        const off = await withPageIndex('off', () => filtered(path, sql));
        const on = await withPageIndex('on', () => filtered(path, sql));
        expect(on.rows, `seed ${seed}: ${sql}`).toEqual(off.rows);
        expect(on.yielded).toBeLessThanOrEqual(off.yielded);
        if (on.yielded < off.yielded) skipped++;
      }
      // Selective predicates on the sorted columns do skip pages.
      expect(skipped).toBeGreaterThan(8);
    }
  });

  it('an id range reads only the pages that hold it', async () => {
    const t = table(5, 3000);
    const path = await write(await dir(), t);
    const lo = t.ids[1030];
    const hi = t.ids[1100];
    const { yielded, rows } = await filtered(path, `id BETWEEN ${lo} AND ${hi}`);
    expect(rows.length).toBe(t.ids.filter((v) => v >= lo && v <= hi).length);
    // Rows 1030–1100 lie in pages 0–1 of row group 1 (1000–1063, 1064–1127), maybe one more where equal ids spill over.
    expect(yielded).toBeLessThanOrEqual(3 * PAGE_ROWS);
  });

  it('DuckDB and parquet-wasm read files with a page index as sluice does', async () => {
    const t = table(6, 2200);
    const path = await write(await dir(), t, 1024);
    const ours = await read.parquet(path).toRows();
    const viaWasm = await (async () => {
      process.env.SLUICE_PARQUET_DECODER = 'wasm';
      try {
        return await read.parquet(path).toRows();
      } finally {
        delete process.env.SLUICE_PARQUET_DECODER;
      }
    })();
    expect(JSON.stringify(viaWasm, (_, v) => (typeof v === 'bigint' ? String(v) : v))).toBe(JSON.stringify(ours, (_, v) => (typeof v === 'bigint' ? String(v) : v)));
    const duckRows = await duck(`select id, name, cat, noise, maybe from read_parquet('${path}') order by id, name`);
    expect(duckRows.map((r) => [String(r.id), r.name, r.cat, r.noise, r.maybe])).toEqual(t.ids.map((v, i) => [String(v), t.names[i], t.batch.getChild('cat')!.get(i), t.batch.getChild('noise')!.get(i), t.maybe[i]]));
    for (const sql of predicates(t, 6).filter((p) => !p.includes('timestamp'))) {
      const [{ c }] = await duck(`select count(*)::int c from read_parquet('${path}') where ${sql}`);
      expect(await read.parquet(path).filter(sql).count(), sql).toBe(c);
    }
  });

  it('skips pages by the page index arrow-rs (parquet-wasm) writes', async () => {
    const t = table(10, 70_000);
    const path = join(await dir(), 'arrow-rs.parquet');
    process.env.SLUICE_PARQUET_ENCODER = 'wasm';
    try {
      await parquetWriter.write(streamOf(t.batch), path, { compression: 'snappy' });
    } finally {
      delete process.env.SLUICE_PARQUET_ENCODER;
    }
    const { footer, indexes } = await pageIndexes(path);
    expect(footer.rowGroups.length).toBe(1);
    // The same pages have the same bounds and null counts in sluice's index (arrow-rs cuts some
    // columns' pages at 20,000 rows, others at 20,480: compare those cut as sluice's).
    const plain = (index: ChunkPageIndex | undefined) => index && { rows: index.pages.map((p) => p.rows), stats: index.stats?.map((s) => [s.min && Buffer.from(s.min).toString('hex'), s.max && Buffer.from(s.max).toString('hex'), s.nullCount]) };
    let compared = 0;
    for (const pageRows of [20_000, 20_480]) {
      const ours = (await pageIndexes(await write(await dir(), t, 100_000, pageRows))).indexes[0].map(plain);
      indexes[0].map(plain).forEach((theirs, c) => {
        if (theirs?.rows[0] !== pageRows) return;
        expect(ours[c], footer.columns[c].path).toEqual(theirs);
        compared++;
      });
    }
    expect(compared).toBe(footer.columns.length);
    const id = indexes[0][footer.columns.findIndex((c) => c.path === 'id')]!;
    expect(id.pages.length).toBeGreaterThan(2);
    expect(id.stats).toBeDefined();
    let skipped = 0;
    for (const sql of [`id >= ${t.ids[65_000]}`, `id < ${t.ids[100]}`, `name >= '${t.names[50_000]}'`, `id BETWEEN ${t.ids[30_000]} AND ${t.ids[30_500]}`, 'maybe IS NULL']) {
      const off = await withPageIndex('off', () => filtered(path, sql));
      const on = await filtered(path, sql);
      expect(on.rows, sql).toEqual(off.rows);
      if (on.yielded < off.yielded) skipped++;
    }
    expect(skipped).toBeGreaterThanOrEqual(4);
  });

  it('a damaged page index reads every page, or fails naming the file; never other rows', async () => {
    const t = table(7, 2000);
    const d = await dir();
    const path = await write(d, t);
    const bytes = new Uint8Array(await readFile(path));
    const { footer } = await pageIndexes(path);
    const start = indexStart(footer);
    const sqls = [`id BETWEEN ${t.ids[300]} AND ${t.ids[420]}`, `name >= '${t.names[1500]}'`, 'maybe IS NULL'];
    const expected = await Promise.all(sqls.map((sql) => withPageIndex('off', () => filtered(path, sql))));
    const r = random(7);
    let failed = 0;
    for (let k = 0; k < 60; k++) {
      const damaged = bytes.slice();
      if (k === 0) damaged.fill(0, start, footer.offset);
      else if (k === 1) for (let b = start; b < footer.offset; b++) damaged[b] = r.int(0, 255);
      else for (let flips = r.int(1, 3); flips > 0; flips--) damaged[r.int(start, footer.offset - 1)] ^= 1 << r.int(0, 7);
      const broken = join(d, `damaged-${k}.parquet`);
      await writeFile(broken, damaged);
      for (let q = 0; q < sqls.length; q++) {
        try {
          const got = await filtered(broken, sqls[q]);
          expect(got.rows, `damage ${k}: ${sqls[q]}`).toEqual(expected[q].rows);
        } catch (error) {
          expect(error).toBeInstanceOf(SluiceError);
          expect((error as Error).message).toContain(broken);
          failed++;
        }
      }
    }
    expect(failed).toBeLessThan(60 * sqls.length);
  });

  it('count() takes the footer\'s row counts without decoding a column; a filtered count equals DuckDB\'s', async () => {
    const t = table(8, 2600);
    const d = await dir();
    const path = await write(d, t);
    const [{ c }] = await duck(`select count(*)::int c from read_parquet('${path}')`);
    expect(await read.parquet(path).count()).toBe(c);
    expect(c).toBe(2600);
    // Every column chunk's bytes wiped, the footer kept: a count still needs none of them.
    const bytes = new Uint8Array(await readFile(path));
    const { footer } = await pageIndexes(path);
    const wiped = bytes.slice();
    wiped.fill(0xee, 4, indexStart(footer));
    const broken = join(d, 'wiped.parquet');
    await writeFile(broken, wiped);
    expect(await read.parquet(broken).count()).toBe(2600);
    await expect(read.parquet(broken).filter('id > 0').count()).rejects.toThrow(/wiped\.parquet/);
    // A filtered count decodes only the filter's columns: every other column's chunks wiped, it still counts.
    const others = bytes.slice();
    for (const group of footer.rowGroups) {
      for (const chunk of group.chunks.filter((ch) => ch.path !== 'id')) {
        const start = chunk.dictionaryPageOffset ?? chunk.dataPageOffset;
        others.fill(0xee, start, start + chunk.totalCompressedSize);
      }
    }
    const idOnly = join(d, 'id-only.parquet');
    await writeFile(idOnly, others);
    expect(await read.parquet(idOnly).filter(`id > ${t.ids[700]}`).count()).toBe(t.ids.filter((v) => v > t.ids[700]).length);
    await expect(read.parquet(idOnly).filter(`maybe > 3`).count()).rejects.toThrow(/id-only\.parquet/);
    const [{ f }] = await duck(`select count(*)::int f from read_parquet('${path}') where id > ${t.ids[1234]} and maybe is not null`);
    expect(await read.parquet(path).filter(`id > ${t.ids[1234]} AND maybe IS NOT NULL`).count()).toBe(f);
  });
});
