import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { read } from '../../src/frame/read.js';

/** Writes a CSV of `id,grp,amount` rows; `ageSeconds` sets its mtime that far in the past. */
export async function writeOrders(path: string, ids: number[], ageSeconds?: number): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const lines = ['id,grp,amount', ...ids.map((id) => `${id},${id % 2 === 0 ? 'even' : 'odd'},${id * 10}`)];
  await writeFile(path, lines.join('\n') + '\n');
  if (ageSeconds !== undefined) await setAge(path, ageSeconds);
}

export async function setAge(path: string, ageSeconds: number): Promise<void> {
  const when = new Date(Date.now() - ageSeconds * 1000);
  await utimes(path, when, when);
}

/** The rows of a parquet output folder, sorted by id (sluice reads it; `_`-paths are skipped). */
export async function parquetIds(folder: string): Promise<number[]> {
  const rows = await read.parquet(folder).toRows();
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

export async function csvIds(folder: string): Promise<number[]> {
  const rows = await read.csv(folder, { withHeader: true, schema: { id: 'int64', amount: 'int64', grp: 'string' } }).toRows();
  return rows.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** The ids 1..n. */
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * A job spec with one bookmarked CSV source and two sinks (parquet partitioned by grp, and CSV),
 * so a commit has several renames across two output folders.
 */
export function ordersSpec(dir: string, name = 'orders') {
  return {
    name,
    nodes: [
      { id: 'orders', type: 'read', format: 'csv', paths: [join(dir, 'in')], formatOptions: { withHeader: true }, schema: { id: 'int64', grp: 'string', amount: 'int64' } },
      { id: 'lake', type: 'write', input: 'orders', format: 'parquet', path: join(dir, 'lake'), partitionKeys: ['grp'] },
      { id: 'copy', type: 'write', input: 'orders', format: 'csv', path: join(dir, 'copy') },
    ],
  };
}
