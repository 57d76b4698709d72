import { readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, type RecordBatch } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { read } from '../../src/index.js';
import { typeName } from '../../src/types/typeNames.js';
import { tempDir } from '../support/files.js';
import { PARALLEL, rowsOf } from '../parallel/helpers.js';

/** Numbers for `rows` rows, then names and wider numbers after the sampled head: a fresh file each time (widenings are remembered per file). */
async function providersCsv(rows = 12_000, tail = ['X1', '4.5', '3000000000']) {
  const dir = await tempDir('sluice-widening-stream-');
  const lines = ['Provider Id,City'];
  for (let i = 1; i <= rows; i++) lines.push(`${10000 + i},C${i % 7}`);
  for (const value of tail) lines.push(`${value},Z`);
  await writeFile(join(dir, 'providers.csv'), lines.join('\n') + '\n');
  return { file: join(dir, 'providers.csv'), rows: rows + tail.length };
}

const spillFiles = async () => (await readdir(tmpdir())).filter((f) => f.startsWith('sluice-stream-') && f.endsWith('.arrow'));

async function drain(stream: { schema: import('apache-arrow').Schema; chunks: AsyncIterable<{ batch: RecordBatch; errors: unknown[] }> }) {
  const batches: RecordBatch[] = [];
  let errors = 0;
  for await (const { batch, errors: e } of stream.chunks) {
    expect(batch.schema.fields.map((f) => typeName(f.type))).toEqual(stream.schema.fields.map((f) => typeName(f.type)));
    batches.push(batch);
    errors += e.length;
  }
  // As collect() does: batches from worker threads come through IPC (types equal by name, not by class).
  return { table: batches.length ? new Table(batches) : new Table(stream.schema), errors };
}

describe('df.stream() with a column that widens after the sampled rows', () => {
  it('yields one schema, the widened one, and every row (inline, in memory)', async () => {
    const { file, rows } = await providersCsv();
    const stream = await read.csv(file, { withHeader: true }).stream({ parallel: false });
    expect(typeName(stream.schema.fields[0].type)).toBe('choice<float64,string>');
    const { table, errors } = await drain(stream);
    expect(errors).toBe(0);
    expect(table.numRows).toBe(rows);
    const out = await rowsOf(table);
    expect(out[0]).toEqual({ 'Provider Id': { double: 10001, string: null }, City: 'C1' });
    expect(out.slice(-3).map((r) => r['Provider Id'])).toEqual([
      { double: null, string: 'X1' }, { double: 4.5, string: null }, { double: 3000000000, string: null },
    ]);
  });

  it('spills past its buffer to a temp Arrow file, in order, and removes it; parallel equals inline', async () => {
    const before = await spillFiles();
    const inline = await providersCsv(20_000);
    const expected = await read.csv(inline.file, { withHeader: true }).collect({ parallel: false });
    const { file } = await providersCsv(20_000);
    const stream = await read.csv(file, { withHeader: true, batchSize: 1000 }).stream({ ...PARALLEL, bufferBytes: 10_000 });
    expect(await spillFiles()).toHaveLength(before.length + 1);
    const { table, errors } = await drain(stream);
    expect(errors).toBe(0);
    expect(table.batches.length).toBeGreaterThan(2);
    expect(await rowsOf(table)).toEqual(await rowsOf(expected.table));
    expect(await spillFiles()).toEqual(before);
  });

  it('a stream left after its first batch removes its spill file', async () => {
    const before = await spillFiles();
    const { file } = await providersCsv(20_000);
    const stream = await read.csv(file, { withHeader: true, batchSize: 1000 }).stream({ parallel: false, bufferBytes: 1 });
    for await (const chunk of stream.chunks) {
      expect(chunk.batch.numRows).toBe(1000);
      break;
    }
    expect(await spillFiles()).toEqual(before);
  });

  it('a declared schema streams at once, as before: misfits stay error records', async () => {
    const { file, rows } = await providersCsv(100, ['X1']);
    const stream = await read.csv(file, { withHeader: true, schema: { 'Provider Id': 'int32', City: 'string' } }).stream({ parallel: false });
    const { table, errors } = await drain(stream);
    expect(table.numRows).toBe(rows - 1);
    expect(errors).toBe(1);
  });
});
