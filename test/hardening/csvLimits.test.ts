import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Field, Int64, Utf8 } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/index.js';
import { makeColumnBuilder } from '../../src/io/formats/csv/makeColumnBuilder.js';
import { readFileChunks } from '../../src/io/formats/csv/readFileChunks.js';
import { duck } from '../support/duck.js';
import { tempDir } from '../support/files.js';

describe('CSV files of many columns, or many small files', () => {
  it('a small file is read through a buffer of its size, not a whole chunk', async () => {
    // Before: 1 MiB per file, which made 20,000 one-row files spend most of their time in GC.
    const dir = await tempDir('sluice-small-');
    const file = join(dir, 'one.csv');
    await writeFile(file, 'id,name\n1,a\n');
    const chunks: Uint8Array[] = [];
    for await (const chunk of readFileChunks(file)) chunks.push(chunk);
    expect(Buffer.from(chunks[0]).toString()).toBe('id,name\n1,a\n');
    expect(chunks[0].buffer.byteLength).toBeLessThan(1024);
    const rows = await read.csv(dir, { withHeader: true }).toRows();
    expect(rows).toEqual([{ id: 1, name: 'a' }]);
  });

  it('a column builder does not reserve a whole batch before rows arrive', () => {
    // Before: ~770 KB per utf8 column and 520 KB per int64 column at the default batch of 65,536 rows.
    const before = process.memoryUsage().arrayBuffers;
    const builders = Array.from({ length: 200 }, (_, i) => makeColumnBuilder(new Field(`c${i}`, i % 2 ? new Utf8() : new Int64(), true), 65_536));
    const grown = process.memoryUsage().arrayBuffers - before;
    expect(builders).toHaveLength(200);
    expect(grown).toBeLessThan(20 * 1024 * 1024);
  });

  it('reads a one-row file of 3,000 columns as DuckDB does', async () => {
    const dir = await tempDir('sluice-wide-');
    const file = join(dir, 'wide.csv');
    const names = Array.from({ length: 3000 }, (_, i) => `c${i}`);
    await writeFile(file, `${names.join(',')}\n${names.map((_, i) => (i % 3 === 0 ? `v${i}` : i % 3 === 1 ? String(i) : '')).join(',')}\n`);
    const rows = await read.csv(file, { withHeader: true }).toRows();
    expect(rows).toHaveLength(1);
    const oracle = await duck(`SELECT * FROM read_csv('${file}', header = true, all_varchar = true)`);
    const ours = Object.fromEntries(Object.entries(rows[0]).map(([k, v]) => [k, v === null ? null : String(v)]));
    expect(ours).toEqual(oracle[0]);
  });
});
