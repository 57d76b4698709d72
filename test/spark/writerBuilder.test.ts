import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataFrame } from '../../src/frame/DataFrame.js';
import { duck } from '../support/duck.js';
import { filesUnder, tempDir } from '../support/files.js';

const sales = () => DataFrame.fromRows([{ day: '2024-01-01', amount: 5 }, { day: '2024-01-02', amount: 7 }, { day: '2024-01-01', amount: 1 }]);

describe("Spark's DataFrameWriter builder: mode, partitionBy, format, option, save", () => {
  it('df.write.mode("overwrite").partitionBy("day").parquet(path), twice: the second replaces the first', async () => {
    const out = join(await tempDir(), 'sales');
    await sales().write.mode('overwrite').partitionBy('day').parquet(out);
    await sales().limit(1).write.mode('overwrite').partitionBy('day').option('compression', 'zstd').parquet(out);
    expect((await filesUnder(out)).filter((f) => f.endsWith('.parquet')).map((f) => f.split('/')[0])).toEqual(['day=2024-01-01']);
    expect(await duck(`SELECT day::VARCHAR AS day, amount::INTEGER AS amount FROM read_parquet('${out}/**/*.parquet', hive_partitioning = true)`)).toEqual([{ day: '2024-01-01', amount: 5 }]);
    expect(await duck(`SELECT DISTINCT compression FROM parquet_metadata('${out}/**/*.parquet')`)).toEqual([{ compression: 'ZSTD' }]);
  });

  it("format('csv').option('header', 'true').option('sep', ';').save(path); mode('error') refuses an existing output", async () => {
    const out = join(await tempDir(), 'csv');
    await sales().write.format('csv').option('header', 'true').options({ sep: ';' }).save(out);
    const rows = await duck(`SELECT day::VARCHAR AS day, amount::INTEGER AS amount FROM read_csv('${out}/*.csv', header = true, delim = ';') ORDER BY amount`);
    expect(rows).toEqual([{ day: '2024-01-01', amount: 1 }, { day: '2024-01-01', amount: 5 }, { day: '2024-01-02', amount: 7 }]);
    await expect(sales().write.mode('errorifexists').csv(out)).rejects.toThrow();
    expect(() => sales().write.mode('ignore')).toThrow("write.mode: unknown mode 'ignore'");
    await expect(sales().write.save(out)).rejects.toThrow("write.save: name the format first");
  });

  it('an unknown write option fails before anything is written, naming the nearest; run options (threads, signal) are taken', async () => {
    const out = join(await tempDir(), 'sales');
    await expect(sales().write.parquet(out, { partitionKey: ['day'] } as never)).rejects.toThrow("write: unknown option 'partitionKey'; did you mean 'partitionKeys'?");
    await expect(sales().write.csv(out, { bogus: 1 } as never)).rejects.toThrow("write: unknown option 'bogus'; known: mode, partitionKeys");
    expect(existsSync(out)).toBe(false);
    await expect(sales().write.parquet(out, { partitionKeys: ['day'], signal: AbortSignal.abort() })).rejects.toThrow();
    expect(existsSync(out)).toBe(false);
    await expect(sales().write.parquet(out, { partitionKeys: ['day'], threads: 1, parallel: false })).resolves.toMatchObject({ rows: 3 });
    expect(await duck(`SELECT count(*)::INTEGER AS n FROM read_parquet('${out}/**/*.parquet', hive_partitioning = true)`)).toEqual([{ n: 3 }]);
  });
});
