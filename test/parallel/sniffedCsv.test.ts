import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { read } from '../../src/frame/read.js';
import { planSplits } from '../../src/exec/parallel/splits.js';
import { closeWorkerPool } from '../../src/exec/parallel/pool.js';
import { bothWays, PARALLEL } from './helpers.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';

afterAll(() => closeWorkerPool());

// Every value is text (a bare number would make the column a choice of int and string, as Glue infers).
const NAMES = ['café', 'Zürich', 'naïve', 'plain', 'Ångström', 'Ørsted'];
const ROWS = 3000;

/** A Latin-1 file with `;` separators and a header, as a European spreadsheet exports it. */
async function latin1Semicolons(dir: string): Promise<string> {
  const path = join(dir, 'ventes.csv');
  const lines = ['id;nom;montant'];
  for (let i = 1; i <= ROWS; i++) lines.push(`${i};${NAMES[i % NAMES.length]} ${i % 7};${(i * 1.25).toFixed(2)}`);
  await writeFile(path, Buffer.from(lines.join('\n') + '\n', 'latin1'));
  return path;
}

describe('a sniffed CSV dialect travels with the splits to the worker threads', () => {
  it('the planner sniffs each file once and its byte ranges carry the dialect', async () => {
    const dir = await tempDir();
    const path = await latin1Semicolons(dir);
    const splits = await planSplits([{ path, values: [] }], { format: 'csv', formatOptions: { sniff: true, encoding: 'latin1' }, splitSize: 8192 });
    const parts = splits.flatMap((s) => s.parts);
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) {
      expect(part.kind).toBe('byteRange');
      expect(part.formatOptions).toMatchObject({ separator: ';', withHeader: true, skip: 0, lineSep: '\n', multiLine: false, encoding: 'latin1' });
    }
  });

  it('a parallel read of a sniffed semicolon, Latin-1 file equals the inline read, and DuckDB', async () => {
    const dir = await tempDir();
    const path = await latin1Semicolons(dir);
    const frame = read.csv(path, { sniff: true, encoding: 'latin1' });
    const { inline, parallel } = await bothWays(frame, { ...PARALLEL, splitSize: 8192 });
    expect(parallel.errors).toEqual([]);
    expect(parallel.schema.fields.map((f) => f.name)).toEqual(['id', 'nom', 'montant']);
    expect(parallel.rows).toEqual(inline.rows);
    expect(parallel.rows).toHaveLength(ROWS);
    expect(parallel.rows[0]).toEqual({ id: 1, nom: 'Zürich 1', montant: 1.25 });
    const utf8 = join(dir, 'utf8.csv');
    await writeFile(utf8, (await readFile(path)).toString('latin1'));
    const expected = await duck(`SELECT id::INTEGER AS id, nom, montant::DOUBLE AS montant FROM read_csv('${utf8}') ORDER BY id`);
    expect(parallel.rows.map((r) => ({ id: Number(r.id), nom: r.nom, montant: r.montant }))).toEqual(expected);
  });

  it('a file sniffed as multiLine is one task, not ranges that read nothing', async () => {
    const dir = await tempDir();
    const path = join(dir, 'notes.csv');
    const lines = ['id,note'];
    for (let i = 1; i <= 2000; i++) lines.push(i % 50 === 0 ? `${i},"two\nlines"` : `${i},note ${i}`);
    await writeFile(path, lines.join('\n') + '\n');
    const splits = await planSplits([{ path, values: [] }], { format: 'csv', formatOptions: { sniff: true }, splitSize: 4096 });
    expect(splits.flatMap((s) => s.parts.map((p) => [p.kind, p.formatOptions?.multiLine]))).toEqual([['file', true]]);
    const { inline, parallel } = await bothWays(read.csv(path, { sniff: true }), { ...PARALLEL, splitSize: 4096 });
    expect(parallel.rows).toEqual(inline.rows);
    expect(parallel.rows[49]).toEqual({ id: 50, note: 'two\nlines' });
  });
});
