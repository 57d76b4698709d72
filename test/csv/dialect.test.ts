import { describe, expect, it } from 'vitest';
import { csvReader } from '../../src/io/formats/csv/index.js';
import type { CsvOptions } from '../../src/io/formats/csv/index.js';
import { sniffCsvFile } from '../../src/io/formats/csv/sniffCsv.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';
import { collect, seededRandom, writeCsv } from './helpers.js';

/** Reads a file the way DuckDB's read_csv does by default: every dialect option sniffed. */
async function sniffedRead(path: string, options: CsvOptions = {}) {
  const csv = { sniff: true, ...options };
  const schema = await csvReader.inferSchema(path, csv);
  return collect(csvReader.read(path, csv, { schema }));
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const random = seededRandom(11);
const WORDS = ['alpha', 'beta', 'gamma delta', 'epsilon', 'zeta', 'eta theta', 'iota'];
const word = (): string => WORDS[Math.floor(random() * WORDS.length)];
const int = (): number => Math.floor(random() * 2000) - 500;

interface Case { name: string; text: string; rows: number }

/** One generated file per dialect axis, 12 data rows each. */
function cases(): Case[] {
  const rows = Array.from({ length: 12 }, (_, i) => ({ id: i + 1, n: int(), w: word(), x: (int() / 4).toFixed(2) }));
  const plain = (sep: string, nl = '\n') => ['id', 'n', 'w', 'x'].join(sep) + nl + rows.map((r) => [r.id, r.n, r.w, r.x].join(sep)).join(nl) + nl;
  return [
    { name: 'comma', text: plain(','), rows: 12 },
    { name: 'semicolon', text: plain(';'), rows: 12 },
    { name: 'pipe', text: plain('|'), rows: 12 },
    { name: 'tab', text: plain('\t'), rows: 12 },
    { name: 'crlf', text: plain(',', '\r\n'), rows: 12 },
    { name: 'cr-only', text: plain(',', '\r'), rows: 12 },
    { name: 'double quotes with separators inside',
      text: 'id,w,n\n' + rows.map((r) => `${r.id},"${r.w}, ${r.n}",${r.n}`).join('\n') + '\n', rows: 12 },
    { name: 'single quotes', text: 'id;w;n\n' + rows.map((r) => `${r.id};'${r.w}; ${r.id}';${r.n}`).join('\n') + '\n', rows: 12 },
    { name: 'backslash escapes', text: 'id,w\n' + rows.map((r) => `${r.id},"say \\"${r.w}\\""`).join('\n') + '\n', rows: 12 },
    { name: 'quoted newlines', text: 'id,w,n\n' + rows.map((r) => `${r.id},"${r.w}\nline ${r.id}",${r.n}`).join('\n') + '\n', rows: 12 },
    { name: 'preamble lines', text: 'Exported by some tool\nversion 3 report\n' + plain(','), rows: 12 },
    { name: 'no header', text: rows.map((r) => `${r.id},${r.n},${r.x}`).join('\n') + '\n', rows: 12 },
    { name: 'all text with a header', text: 'a,b\n' + rows.map((r) => `${r.w},${word()}`).join('\n') + '\n', rows: 12 },
    { name: 'trailing delimiter', text: 'id,n,\n' + rows.map((r) => `${r.id},${r.n},`).join('\n') + '\n', rows: 12 },
    { name: 'spaces around quoted fields', text: 'id,w,n\n' + rows.map((r) => `${r.id}, "${r.w},x" ,${r.n}`).join('\n') + '\n', rows: 12 },
    { name: 'quotes inside unquoted fields', text: 'id,size\n' + rows.map((r) => `${r.id},${r.id}" screen`).join('\n') + '\n', rows: 12 },
  ];
}

describe('CSV dialect sniffing, against DuckDB read_csv (auto-detect)', () => {
  for (const c of cases()) {
    it(`${c.name}: the same columns and values as DuckDB`, async () => {
      const path = await writeCsv(await tempDir(), 'data.csv', c.text);
      const ours = await sniffedRead(path);
      expect(ours.errors).toEqual([]);
      const theirs = await duck(`SELECT * FROM read_csv('${path}')`);
      expect(ours.rows.length).toBe(c.rows);
      expect(theirs.length).toBe(c.rows);
      const ourNames = ours.schema!.fields.map((f) => f.name);
      const duckNames = Object.keys(theirs[0]);
      expect(ourNames.length).toBe(duckNames.length);
      // Generated names differ by design (DuckDB column0, Spark's _c0 and Glue's col0): compare the others.
      ourNames.forEach((name, i) => {
        if (!/^(_c|col)\d+$/.test(name)) expect(name).toBe(duckNames[i]);
      });
      const ourValues = ours.rows.map((row) => ourNames.map((n) => text(row[n])));
      const duckValues = theirs.map((row) => duckNames.map((n) => text(row[n])));
      expect(ourValues).toEqual(duckValues);
      const [sniffed] = await duck(`SELECT Delimiter, Escape, SkipRows, HasHeader FROM sniff_csv('${path}')`);
      const dialect = await sniffCsvFile(path, { sniff: true });
      expect(dialect.separator).toBe(sniffed.Delimiter);
      expect(dialect.skip).toBe(sniffed.SkipRows);
      expect(dialect.withHeader).toBe(sniffed.HasHeader);
      if (sniffed.Escape === '\\') expect(dialect.escaper).toBe('\\');
    });
  }

  it('options given win over the sniffer, and sniff: false keeps Glue\'s defaults', async () => {
    const path = await writeCsv(await tempDir(), 'data.csv', 'a;b\n1;2\n');
    expect((await sniffedRead(path)).rows).toEqual([{ a: 1, b: 2 }]);
    expect((await sniffedRead(path, { separator: ',', withHeader: false })).rows).toEqual([{ col0: 'a;b' }, { col0: '1;2' }]);
    expect((await collect(csvReader.read(path, {}, { schema: await csvReader.inferSchema(path, {}) }))).rows).toEqual([{ col0: 'a;b' }, { col0: '1;2' }]);
  });

  it('skip: N preamble lines before the header, given', async () => {
    const path = await writeCsv(await tempDir(), 'data.csv', 'title, with a comma\n\nid,v\n1,x\n');
    const csv = { skip: 2, withHeader: true };
    const read = await collect(csvReader.read(path, csv, { schema: await csvReader.inferSchema(path, csv) }));
    expect(read.rows).toEqual([{ id: 1, v: 'x' }]);
  });

  it('header names: empty ones are _c<i>, repeats get their position (case-insensitive, as Spark); a clash after that says so', async () => {
    const dir = await tempDir();
    const named = await writeCsv(dir, 'named.csv', 'id,,ID,name\n1,2,3,x\n');
    expect((await csvReader.inferSchema(named, { withHeader: true })).fields.map((f) => f.name)).toEqual(['id0', '_c1', 'ID2', 'name']);
    const clash = await writeCsv(dir, 'clash.csv', 'a,a,a1\n1,2,3\n');
    await expect(csvReader.inferSchema(clash, { withHeader: true })).rejects.toThrow(/clash.csv:1: the header names columns 2 and 3 both 'a1'/);
    const broken = await writeCsv(dir, 'broken.csv', 'id,"name\n1,x\n');
    await expect(collect(csvReader.read(broken, { withHeader: true }, { schema: await csvReader.inferSchema(broken, { withHeader: false }) })))
      .rejects.toThrow(/broken.csv:1: the header line is malformed: a quote opens and the line ends inside it/);
  });
});
