import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORDERS_CSV } from '../job/helpers.js';
import { duck } from '../support/duck.js';
import { filesUnder, tempDir } from '../support/files.js';
import { runSluice } from '../support/cli.js';

const sluice = (...args: string[]) => runSluice(args);

describe('sluice convert --max-rows-per-file / --max-bytes-per-file', { timeout: 180_000 }, () => {
  it('cuts part files by rows and by bytes, every row written', async () => {
    const dir = await tempDir('sluice-cli-bounds-');
    const csv = join(dir, 'orders.csv');
    await writeFile(csv, ORDERS_CSV);

    const byRows = join(dir, 'by_rows');
    const r = await sluice('convert', csv, byRows, '--max-rows-per-file', '2');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^wrote 5 rows as parquet to 3 files under /);
    expect((await filesUnder(byRows)).filter((f) => f.endsWith('.parquet'))).toHaveLength(3);

    // One byte is less than any row: one row per file.
    const byBytes = join(dir, 'by_bytes');
    expect((await sluice('convert', csv, byBytes, '--max-bytes-per-file', '1B')).stdout).toMatch(/^wrote 5 rows as parquet to 5 files /);
    expect(await duck(`SELECT count(*)::INTEGER AS n, count(DISTINCT filename)::INTEGER AS files FROM read_parquet('${byBytes}/*.parquet', filename = true)`)).toEqual([{ n: 5, files: 5 }]);

    const roomy = join(dir, 'roomy');
    expect((await sluice('convert', csv, roomy, '--max-bytes-per-file', '128MB')).stdout).toMatch(/^wrote 5 rows as parquet to 1 file /);
  });

  it('refuses sizes and counts it cannot read, with exit 2', async () => {
    const bad = await sluice('convert', 'in.csv', 'out', '--max-bytes-per-file', 'huge');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--max-bytes-per-file: 'huge' is not a size in bytes; write e.g. 134217728, 128MB or 1GiB");
    const rows = await sluice('convert', 'in.csv', 'out', '--max-rows-per-file', '0');
    expect(rows.code).toBe(2);
    expect(rows.stderr).toContain("--max-rows-per-file takes a whole number >= 1, got '0'");
  });
});
