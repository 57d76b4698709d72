import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatOfName, inferFormat } from '../../src/cli/inferFormat.js';
import { tempDir } from '../support/files.js';

describe('inferFormat', () => {
  it('reads the format from the extension, gzip or not', () => {
    expect(formatOfName('a/orders.csv')).toEqual({ format: 'csv', formatOptions: {} });
    expect(formatOfName('orders.CSV.gz')).toEqual({ format: 'csv', formatOptions: {} });
    expect(formatOfName('orders.tsv')).toEqual({ format: 'csv', formatOptions: { separator: '\t' } });
    expect(formatOfName('events.jsonl.gz')).toEqual({ format: 'json', formatOptions: {} });
    expect(formatOfName('s3://b/t/part-0.parquet')).toEqual({ format: 'parquet', formatOptions: {} });
    expect(formatOfName('orders.txt')).toBeUndefined();
    expect(formatOfName('lake/orders')).toBeUndefined();
  });

  it('looks inside a folder, breadth first, skipping _SUCCESS and hidden files', async () => {
    const dir = await tempDir('sluice-fmt-');
    await mkdir(join(dir, 'year=2024', 'month=1'), { recursive: true });
    await writeFile(join(dir, '_SUCCESS'), '');
    await writeFile(join(dir, '.part-0.json.crc'), '');
    await writeFile(join(dir, 'year=2024', 'month=1', 'part-0.parquet'), '');
    expect(await inferFormat(dir)).toEqual({ format: 'parquet', formatOptions: {} });
  });

  it('uses the first match of a glob', async () => {
    const dir = await tempDir('sluice-fmt-');
    await writeFile(join(dir, 'a.ndjson'), '');
    expect(await inferFormat(join(dir, '*'))).toEqual({ format: 'json', formatOptions: {} });
  });

  it('asks for --format when it cannot tell', async () => {
    const dir = await tempDir('sluice-fmt-');
    await writeFile(join(dir, 'notes.txt'), '');
    await expect(inferFormat(join(dir, 'notes.txt'))).rejects.toThrow(`${join(dir, 'notes.txt')}: cannot tell the format from the name; pass --format csv|json|parquet`);
    await expect(inferFormat(dir)).rejects.toThrow(`${dir}: no .csv, .tsv, .json, .jsonl or .parquet file inside; pass --format csv|json|parquet`);
    await expect(inferFormat(join(dir, 'gone'))).rejects.toThrow(`${join(dir, 'gone')}: no such file or directory`);
  });
});
